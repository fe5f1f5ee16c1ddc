package lab

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"
)

// profileRoutes adds the maker's own HTTP endpoints, where scanners (and
// Porchlight) read the model and firmware of real devices.
func (d *device) profileRoutes(rt *routes) {
	switch d.spec.HTTP.Profile {
	case "hikvision":
		rt.handle("GET /ISAPI/System/deviceInfo", d.hikvisionDeviceInfo)
		rt.handle("GET /PSIA/Custom/SelfExt/userCheck", d.hikvisionUserCheck)
	case "shelly-gen1":
		rt.handle("GET /shelly", d.shellyInfo)
		rt.handle("GET /settings", d.adminPage(d.shellySettings))
		rt.handle("GET /settings/login", d.adminPage(d.shellySetLogin))
	case "hue":
		rt.handle("GET /api/config", d.hueConfig)
		rt.handle("GET /{$}", d.staticPage("hue personal wireless lighting"))
	case "cast":
		rt.handle("GET /setup/eureka_info", d.castEureka)
	case "hp":
		rt.handle("GET /DevMgmt/ProductConfigDyn.xml", d.hpProductConfig)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeXML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func (d *device) staticPage(title string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body></body></html>\n", html.EscapeString(title))
	}
}

// hikvisionBypass is the "auth" value of CVE-2017-7921 (base64 "admin:11"),
// which old Hikvision firmware accepted in place of a login.
const hikvisionBypass = "YWRtaW46MTEK"

// hikvisionDeviceInfo serves ISAPI deviceInfo, which needs a login — except
// on firmware still open to CVE-2017-7921 (not yet updated).
func (d *device) hikvisionDeviceInfo(w http.ResponseWriter, r *http.Request) {
	vulnerable := d.latest != "" && d.firmware() != d.latest
	if !(vulnerable && r.URL.Query().Get("auth") == hikvisionBypass) {
		if _, ok := d.adminUser(w, r); !ok {
			return
		}
	}
	version, build, _ := strings.Cut(d.firmware(), " ")
	writeXML(w, http.StatusOK, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<DeviceInfo version="1.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<deviceName>%s</deviceName>
<deviceID>%s</deviceID>
<deviceDescription>IPCamera</deviceDescription>
<deviceLocation>hangzhou</deviceLocation>
<systemContact>Hikvision.China</systemContact>
<model>%s</model>
<serialNumber>%s</serialNumber>
<macAddress>%s</macAddress>
<firmwareVersion>%s</firmwareVersion>
<firmwareReleasedDate>%s</firmwareReleasedDate>
<encoderVersion>V5.0</encoderVersion>
<encoderReleasedDate>build 141127</encoderReleasedDate>
<bootVersion>V1.3.4</bootVersion>
<bootReleasedDate>100316</bootReleasedDate>
<hardwareVersion>0x0</hardwareVersion>
<deviceType>IPCamera</deviceType>
<telecontrolID>88</telecontrolID>
<supportBeep>false</supportBeep>
<supportVideoLoss>false</supportVideoLoss>
</DeviceInfo>
`, xmlText(d.text("http", d.spec.Name)), d.expand("{uuid}"), xmlText(d.spec.Model), xmlText(d.spec.Serial),
		d.mac, xmlText(version), xmlText(build)))
}

// hikvisionUserCheck is the old PSIA login check: Basic auth, XML verdict.
func (d *device) hikvisionUserCheck(w http.ResponseWriter, r *http.Request) {
	c, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok || c.scheme != authBasic || !d.checkLogin("http", c.user, c.pass) {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", d.expand(d.spec.HTTP.Realm)))
		writeXML(w, http.StatusUnauthorized, `<?xml version="1.0" encoding="UTF-8"?>
<userCheck><statusValue>401</statusValue><statusString>Unauthorized</statusString></userCheck>
`)
		return
	}
	writeXML(w, http.StatusOK, `<?xml version="1.0" encoding="UTF-8"?>
<userCheck><statusValue>200</statusValue><statusString>OK</statusString></userCheck>
`)
}

// shellyInfo is Gen1 /shelly: open to anyone, says whether a login is set.
func (d *device) shellyInfo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"type": d.spec.ModelNum, "mac": d.expand("{mac}"), "auth": d.effectiveAuth() != authNone,
		"fw": d.firmware(), "longid": 1, "num_outputs": 1, "num_meters": 1,
	})
}

func (d *device) shellySettings(w http.ResponseWriter, _ *http.Request, _ string) {
	writeJSON(w, map[string]any{
		"device": map[string]any{"type": d.spec.ModelNum, "mac": d.expand("{mac}"), "hostname": d.hostname(), "num_outputs": 1, "num_meters": 1},
		"login":  map[string]any{"enabled": d.effectiveAuth() != authNone, "unprotected": false, "username": "admin"},
		"name":   d.text("http", d.spec.Name), "fw": d.firmware(),
		"build_info": map[string]any{"build_id": d.firmware(), "build_timestamp": "2021-01-15T10:27:25Z", "build_version": "1.0"},
		"time":       time.Now().Format("15:04"),
	})
}

// shellySetLogin is Gen1 /settings/login?enabled=1&username=admin&password=…,
// the real API (and the app) behind "restrict login".
func (d *device) shellySetLogin(w http.ResponseWriter, r *http.Request, _ string) {
	q := r.URL.Query()
	pw := ""
	if q.Get("enabled") == "1" || q.Get("enabled") == "true" {
		pw = q.Get("password")
		if pw == "" || len(pw) > 64 {
			http.Error(w, `{"error":"password required"}`, http.StatusBadRequest)
			return
		}
	}
	if err := d.setPassword("admin", pw); err != nil {
		http.Error(w, `{"error":"save failed"}`, http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"enabled": pw != "", "unprotected": false, "username": "admin"})
}

// hueConfig is the bridge's unauthenticated /api/config.
func (d *device) hueConfig(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"name": d.text("http", d.spec.Name), "datastoreversion": "131", "swversion": d.firmware(),
		"apiversion": "1.67.0", "mac": d.mac.String(), "bridgeid": d.expand("{mac_hue}"),
		"factorynew": false, "replacesbridgeid": nil, "modelid": d.spec.ModelNum, "starterkitid": "",
	})
}

// castEureka is the Cast device's /setup/eureka_info.
func (d *device) castEureka(w http.ResponseWriter, _ *http.Request) {
	fw := d.firmware()
	writeJSON(w, map[string]any{
		"build_version": strings.ReplaceAll(fw, ".", ""), "cast_build_revision": fw, "connected": true,
		"ethernet_connected": false, "has_update": d.latest != "" && d.latest != fw, "ip_address": d.addr.String(),
		"locale": "en-GB", "mac_address": d.mac.String(), "name": d.text("http", d.spec.Name),
		"release_track": "stable-channel", "ssdp_udn": d.expand("{uuid}"), "ssid": "Home",
		"timezone": "Europe/London", "uptime": 86400.5, "version": 12,
	})
}

// hpProductConfig is the HP LEDM product page with model and firmware.
func (d *device) hpProductConfig(w http.ResponseWriter, _ *http.Request) {
	writeXML(w, http.StatusOK, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<prdcfgdyn:ProductConfigDyn xmlns:prdcfgdyn="http://www.hp.com/schemas/imaging/con/ledm/productconfigdyn/2007/11/05" xmlns:dd="http://www.hp.com/schemas/imaging/con/dictionaries/1.0/">
<prdcfgdyn:ProductInformation>
<dd:MakeAndModel>%s</dd:MakeAndModel>
<dd:SerialNumber>%s</dd:SerialNumber>
<dd:Version><dd:Revision>%s</dd:Revision></dd:Version>
</prdcfgdyn:ProductInformation>
</prdcfgdyn:ProductConfigDyn>
`, xmlText(d.spec.Maker+" "+d.spec.Model), xmlText(d.spec.Serial), xmlText(d.firmware())))
}
