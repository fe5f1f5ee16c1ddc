package lab

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestHTTPLogin(t *testing.T) {
	l := startLab(t, "home")
	router, camera, nas := dev(t, l, "router"), dev(t, l, "camera"), dev(t, l, "nas")
	tests := []struct {
		name       string
		url        string
		user, pass string
		scheme     string // basic, digest, form
		formPath   string
		wantOK     bool
	}{
		{"basic right", router.AdminURL, "admin", "admin", "basic", "", true},
		{"basic wrong", router.AdminURL, "admin", "password", "basic", "", false},
		{"basic unknown user", router.AdminURL, "root", "admin", "basic", "", false},
		{"digest right", camera.AdminURL, "admin", "12345", "digest", "", true},
		{"digest wrong", camera.AdminURL, "admin", "123456", "digest", "", false},
		{"basic on digest+basic camera", camera.AdminURL, "admin", "12345", "basic", "", true},
		{"form right", nas.AdminURL, "admin", "Cl0udy-Sky!", "form", "/cgi-bin/login_mgr.cgi", true},
		{"form wrong", nas.AdminURL, "admin", "admin", "form", "/cgi-bin/login_mgr.cgi", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := client(t)
			ok := login(t, c, tc.url, tc.scheme, tc.formPath, tc.user, tc.pass)
			if ok != tc.wantOK {
				t.Fatalf("login %s %s as %s = %v, want %v", tc.scheme, tc.url, tc.user, ok, tc.wantOK)
			}
		})
	}
}

// login tries a login and reports whether the status page (which shows the
// firmware version) came back.
func login(t *testing.T, c *http.Client, base, scheme, formPath, user, pass string) bool {
	t.Helper()
	status, h, body := do(t, c, newReq(t, "GET", base, nil))
	switch scheme {
	case "basic", "digest":
		if status != http.StatusUnauthorized {
			t.Fatalf("GET %s without login = %d, want 401", base, status)
		}
		req := newReq(t, "GET", base, nil)
		if scheme == "basic" {
			req.SetBasicAuth(user, pass)
		} else {
			ch := digestChallenge(h)
			if !strings.Contains(ch, `qop="auth"`) {
				t.Fatalf("Digest challenge %q lacks qop=auth", ch)
			}
			req.Header.Set("Authorization", digestAuth(ch, "GET", "/", user, pass))
		}
		status, _, body = do(t, c, req)
	case "form":
		if status != http.StatusFound || h.Get("Location") != formPath {
			t.Fatalf("GET %s without login = %d to %q, want 302 to %s", base, status, h.Get("Location"), formPath)
		}
		u := strings.TrimSuffix(base, "/") + formPath
		status, _, _ = do(t, c, newReq(t, "POST", u, url.Values{"username": {user}, "pwd": {pass}, "password": {pass}}))
		if status != http.StatusFound {
			return false
		}
		status, _, body = do(t, c, newReq(t, "GET", base, nil))
	}
	return status == http.StatusOK && strings.Contains(body, "Firmware version")
}

func TestPasswordChangeSticks(t *testing.T) {
	tests := []struct {
		name, id, scheme, formPath, user, old string
	}{
		{"basic router", "router", "basic", "", "admin", "admin"},
		{"digest camera", "camera", "digest", "", "admin", "12345"},
		{"form nas", "nas", "form", "/cgi-bin/login_mgr.cgi", "admin", "Cl0udy-Sky!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := startLab(t, "home")
			d := dev(t, l, tc.id)
			c := client(t)
			if !login(t, c, d.AdminURL, tc.scheme, tc.formPath, tc.user, tc.old) {
				t.Fatal("factory login failed before the change")
			}
			const newPW = "Correct-Horse-7"
			form := url.Values{"new_password": {newPW}, "confirm_password": {newPW}}
			req := newReq(t, "POST", d.AdminURL+"password", form)
			authorize(t, c, req, tc.scheme, tc.user, tc.old, d.AdminURL+"password")
			if status, _, body := do(t, c, req); status != http.StatusOK || !strings.Contains(body, "password has been changed") {
				t.Fatalf("POST /password = %d %q", status, body)
			}
			if login(t, client(t), d.AdminURL, tc.scheme, tc.formPath, tc.user, tc.old) {
				t.Error("the old password still works after the change")
			}
			if !login(t, client(t), d.AdminURL, tc.scheme, tc.formPath, tc.user, newPW) {
				t.Error("the new password does not work")
			}
			got := dev(t, l, tc.id)
			if got.Logins[0].Password != newPW || got.Logins[0].Default {
				t.Errorf("Devices() login = %+v, want the new, non-default password", got.Logins[0])
			}
		})
	}
}

// authorize adds credentials for a Basic or Digest request (form logins ride
// on the client's cookie).
func authorize(t *testing.T, c *http.Client, req *http.Request, scheme, user, pass, u string) {
	t.Helper()
	switch scheme {
	case "basic":
		req.SetBasicAuth(user, pass)
	case "digest":
		_, h, _ := do(t, c, newReq(t, "GET", u, nil))
		req.Header.Set("Authorization", digestAuth(digestChallenge(h), req.Method, req.URL.RequestURI(), user, pass))
	}
}

func TestFirmwareUpdateSticks(t *testing.T) {
	l := startLab(t, "home")
	cam := dev(t, l, "camera")
	c := client(t)
	old := cam.Firmware
	info := func() string {
		req := newReq(t, "GET", cam.AdminURL+"ISAPI/System/deviceInfo", nil)
		req.SetBasicAuth("admin", "12345")
		status, _, body := do(t, c, req)
		if status != http.StatusOK {
			t.Fatalf("deviceInfo = %d", status)
		}
		return body
	}
	if !strings.Contains(info(), "<firmwareVersion>V5.2.5</firmwareVersion>") {
		t.Fatalf("deviceInfo before update lacks the old firmware")
	}
	req := newReq(t, "POST", cam.AdminURL+"update", url.Values{})
	req.SetBasicAuth("admin", "12345")
	status, _, body := do(t, c, req)
	if status != http.StatusOK || !strings.Contains(body, "update has been installed") {
		t.Fatalf("POST /update = %d %q", status, body)
	}
	now := dev(t, l, "camera").Firmware
	if now == old || now != l.byID["camera"].latest {
		t.Fatalf("firmware after update = %q, want the latest %q", now, l.byID["camera"].latest)
	}
	if v, _, _ := strings.Cut(now, " "); !strings.Contains(info(), "<firmwareVersion>"+v+"</firmwareVersion>") {
		t.Errorf("deviceInfo does not show the new firmware %q", v)
	}
	// Once updated, the CVE-2017-7921 bypass must stop working.
	status, _, _ = do(t, c, newReq(t, "GET", cam.AdminURL+"ISAPI/System/deviceInfo?auth="+hikvisionBypass, nil))
	if status != http.StatusUnauthorized {
		t.Errorf("bypass after update = %d, want 401", status)
	}
}

func TestVendorEndpoints(t *testing.T) {
	l := startLab(t, "home")
	tests := []struct {
		name, id, path string
		wantStatus     int
		want           []string
	}{
		{"shelly info open", "plug", "shelly", 200, []string{`"type":"SHPLG-S"`, `"auth":false`, `/v1.9.4@`}},
		{"shelly settings open", "plug", "settings", 200, []string{`"login":{"enabled":false`}},
		{"hue config", "hue", "api/config", 200, []string{`"swversion":"1967054020"`, `"modelid":"BSB002"`, `"bridgeid":"001788FFFE4A5B6C"`}},
		{"hue description", "hue", "description.xml", 200, []string{"<modelName>Philips hue bridge 2015</modelName>", "<modelNumber>BSB002</modelNumber>"}},
		{"cast eureka", "streamer", "setup/eureka_info", 200, []string{`"cast_build_revision":"3.74.456120"`}},
		{"hp product config", "printer", "DevMgmt/ProductConfigDyn.xml", 200, []string{"<dd:Revision>TWP1FN2227AR</dd:Revision>", "OfficeJet Pro 9010"}},
		{"hikvision needs login", "camera", "ISAPI/System/deviceInfo", 401, nil},
		{"hikvision CVE-2017-7921 on old firmware", "camera", "ISAPI/System/deviceInfo?auth=" + hikvisionBypass, 200, []string{"<model>DS-2CD2042WD-I</model>"}},
		{"tv has no admin page", "tv", "", 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := dev(t, l, tc.id)
			base := d.AdminURL
			if base == "" {
				proto := "http"
				if d.Port(proto) == 0 {
					proto = "upnp"
				}
				base = "http://" + addrPort(d, proto) + "/"
			}
			status, _, body := do(t, client(t), newReq(t, "GET", base+tc.path, nil))
			if status != tc.wantStatus {
				t.Fatalf("GET %s = %d, want %d", tc.path, status, tc.wantStatus)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s body lacks %q:\n%s", tc.path, w, body)
				}
			}
		})
	}
}

func TestShellySetLoginClosesAnonymousAccess(t *testing.T) {
	l := startLab(t, "home")
	plug := dev(t, l, "plug")
	c := client(t)
	status, _, _ := do(t, c, newReq(t, "GET", plug.AdminURL+"settings/login?enabled=1&username=admin&password=Plug-Pass-1", nil))
	if status != http.StatusOK {
		t.Fatalf("set login = %d", status)
	}
	status, h, _ := do(t, c, newReq(t, "GET", plug.AdminURL+"settings", nil))
	if status != http.StatusUnauthorized || !strings.Contains(h.Get("WWW-Authenticate"), `realm="Shelly"`) {
		t.Fatalf("settings after login set = %d %q, want 401 Basic realm Shelly", status, h.Get("WWW-Authenticate"))
	}
	_, _, body := do(t, c, newReq(t, "GET", plug.AdminURL+"shelly", nil))
	if !strings.Contains(body, `"auth":true`) {
		t.Errorf("/shelly after login set = %s, want auth true", body)
	}
}
