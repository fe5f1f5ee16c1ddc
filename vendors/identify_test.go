package vendors

import (
	"strings"
	"testing"
)

func TestIdentify(t *testing.T) {
	c := mustEmbedded(t)
	igd := "urn:schemas-upnp-org:device:InternetGatewayDevice:1"
	tests := []struct {
		name     string
		e        Evidence
		want     string // "maker/product", "maker/" or ""
		typ      string
		firmware string
		model    string
		reason   string // part of one reason
	}{
		{
			name: "TP-Link Archer C7 by UPnP and SSDP",
			e: Evidence{
				Servers: []string{"ipos/7.0 UPnP/1.0 Archer_C7/2.0"}, Manufacturer: "TP-LINK", ModelName: "Archer C7",
				ModelNumber: "3.15.3 Build 180114 Rel.39265n", DeviceTypes: []string{igd},
				Realms: []string{"TP-LINK AC1750 Wireless Dual Band Gigabit Router Archer C7"},
			},
			want: "tp-link/archer-c7", typ: "router", firmware: "3.15.3 Build 180114 Rel.39265n", reason: `UPnP manufacturer "TP-LINK"`,
		},
		{
			name: "Hikvision camera by ISAPI deviceInfo",
			e: Evidence{
				MAC: "44:19:b6:12:34:56", Servers: []string{"App-webs/"}, Realms: []string{"DS-2CD2042WD-I"},
				Bodies: map[string]string{"/ISAPI/System/deviceInfo": `<?xml version="1.0"?><DeviceInfo xmlns="http://www.hikvision.com/ver20/XMLSchema"><deviceName>IP CAMERA</deviceName><model>DS-2CD2042WD-I</model><firmwareVersion>V5.2.5</firmwareVersion><firmwareReleasedDate>build 141201</firmwareReleasedDate></DeviceInfo>`},
			},
			want: "hikvision/ds-2cd2042wd-i", typ: "camera", firmware: "5.2.5", model: "DS-2CD2042WD-I", reason: "network card registered to",
		},
		{
			name: "Hikvision camera by web server alone",
			e:    Evidence{Servers: []string{"App-webs/"}},
			want: "hikvision/ip-camera", typ: "camera", reason: `server header "App-webs/"`,
		},
		{
			name: "Samsung 2014 TV",
			e: Evidence{
				Servers: []string{"SHP, UPnP/1.0, Samsung UPnP SDK/1.0"}, Manufacturer: "Samsung Electronics", ModelName: "UE55H6400",
				ModelNumber: "1.0", FriendlyName: "[TV]Samsung LED55",
				DeviceTypes: []string{"urn:samsung.com:device:RemoteControlReceiver:1", "urn:schemas-upnp-org:device:MediaRenderer:1"},
			},
			want: "samsung/ue55h6400", typ: "tv", model: "UE55H6400",
		},
		{
			name: "Sonos One",
			e: Evidence{
				MAC: "b8:e9:37:aa:bb:cc", Servers: []string{"Linux UPnP/1.0 Sonos/83.1-61240 (ZPS13)"}, Manufacturer: "Sonos, Inc.",
				ModelName: "Sonos One", ModelNumber: "S13", DeviceTypes: []string{"urn:schemas-upnp-org:device:ZonePlayer:1"},
				MDNSServices: []string{"_sonos._tcp"},
			},
			want: "sonos/one", typ: "speaker", firmware: "83.1-61240",
		},
		{
			name: "Shelly Plug S with no password",
			e: Evidence{
				MDNSServices: []string{"_http._tcp"}, FriendlyName: "shellyplug-s-C45BBE",
				Bodies: map[string]string{"/shelly": `{"type":"SHPLG-S","mac":"C45BBE123456","auth":false,"fw":"20210115-102725/v1.9.4@e2732e05","longid":1}`},
			},
			want: "shelly/plug-s", typ: "plug", firmware: "1.9.4",
		},
		{
			name: "HP OfficeJet Pro 9010 over mDNS and HTTP",
			e: Evidence{
				MDNSServices: []string{"_ipp._tcp", "_http._tcp"},
				TXT:          map[string]string{"ty": "HP OfficeJet Pro 9010 series", "product": "(HP OfficeJet Pro 9010 series)", "rp": "ipp/print"},
				Servers:      []string{"HP HTTP Server; HP OfficeJet Pro 9010 series - 3UK83B; Serial Number: TH00000000; Built: Thu Jan 01, 2021"},
			},
			want: "hp/officejet-pro-9010", typ: "printer",
		},
		{
			name: "WD My Cloud on OS 3",
			e:    Evidence{Manufacturer: "Western Digital Corporation", ModelName: "WDMyCloud", ModelNumber: "2.31.204", Titles: []string{"WD My Cloud"}},
			want: "western-digital/my-cloud", typ: "nas", firmware: "2.31.204",
		},
		{
			name: "Hue Bridge v2",
			e: Evidence{
				Servers: []string{"Linux/3.14.0 UPnP/1.0 IpBridge/1.67.0"}, Manufacturer: "Signify", ModelName: "Philips hue bridge 2015", ModelNumber: "BSB002",
				MDNSServices: []string{"_hue._tcp"}, TXT: map[string]string{"bridgeid": "001788fffe0ae670", "modelid": "BSB002"},
				Bodies: map[string]string{"/api/config": `{"name":"Philips hue","swversion":"1967054020","apiversion":"1.67.0","modelid":"BSB002"}`},
			},
			want: "signify/hue-bridge-v2", typ: "hub", firmware: "1967054020",
		},
		{
			name: "Google TV Streamer over Cast",
			e: Evidence{
				MDNSServices: []string{"_googlecast._tcp"},
				TXT:          map[string]string{"md": "Google TV Streamer", "fn": "Living Room TV", "id": "0123456789abcdef0123456789abcdef", "ve": "05"},
				Bodies:       map[string]string{"/setup/eureka_info": `{"name":"Living Room TV","cast_build_revision":"1.72.412345","build_version":"412345"}`},
			},
			want: "google/google-tv-streamer", typ: "streamer", firmware: "1.72.412345", model: "Google TV Streamer",
		},
		{
			name: "Nest Learning Thermostat 4th gen over Matter",
			e:    Evidence{MAC: "f4:f5:d8:01:02:03", MDNSServices: []string{"_matter._tcp"}},
			want: "google/nest-learning-thermostat-4th-gen", typ: "thermostat",
		},
		{
			name: "Xiongmai DVR with telnet",
			e:    Evidence{Servers: []string{"uc-httpd 1.0.0"}, Titles: []string{"NETSurveillance WEB"}, Banners: []string{"LocalHost login:"}},
			want: "xiongmai/xmeye-dvr", typ: "camera",
		},
		{
			name: "Synology DS218 with DSM version",
			e:    Evidence{Servers: []string{"Synology/DSM/192.168.1.10"}, Manufacturer: "Synology", ModelName: "DS218", ModelNumber: "DS218 7.1-42661"},
			want: "synology/ds218", typ: "nas", firmware: "7.1-42661",
		},
		{
			name: "FRITZ!Box 7590 firmware from SERVER",
			e:    Evidence{Servers: []string{"FRITZ!Box UPnP/1.0 AVM FRITZ!Box 7590 154.07.29"}},
			want: "avm/fritzbox-7590", typ: "router", firmware: "154.07.29",
		},
		{
			name: "Apple TV 4K by AirPlay TXT",
			e:    Evidence{MDNSServices: []string{"_airplay._tcp"}, TXT: map[string]string{"model": "AppleTV6,2", "srcvers": "550.10"}},
			want: "apple/apple-tv-4k", typ: "streamer",
		},
		{
			name: "Netgear router by realm",
			e:    Evidence{Realms: []string{"NETGEAR R6100"}},
			want: "netgear/r6100", typ: "router",
		},
		{
			name: "Brother printer by title",
			e:    Evidence{Titles: []string{"Brother MFC-L5900DW series"}},
			want: "brother/mfc-l5900dw", typ: "printer",
		},
		{
			name: "known maker, unknown product keeps the maker's type",
			e:    Evidence{Servers: []string{"Hikvision-Webs"}},
			want: "hikvision/", typ: "camera",
		},
		// Evidence that must not claim a maker.
		{
			name: "generic Linux UPnP server alone claims no maker",
			e:    Evidence{Servers: []string{"Linux UPnP/1.0"}, DeviceTypes: []string{igd}},
			want: "", typ: "router",
		},
		{
			name: "OUI alone is only a tie-breaker",
			e:    Evidence{MAC: "44:19:b6:12:34:56"},
			want: "", typ: "unknown",
		},
		{
			name: "MediaRenderer of an unknown maker is a TV",
			e:    Evidence{Servers: []string{"Linux/4.9 UPnP/1.0 DLNADOC/1.50"}, DeviceTypes: []string{"urn:schemas-upnp-org:device:MediaRenderer:1"}, ModelName: "Smart TV 2020"},
			want: "", typ: "tv", model: "Smart TV 2020",
		},
		{
			name: "IPP printer of an unknown maker",
			e:    Evidence{MDNSServices: []string{"_ipp._tcp"}, TXT: map[string]string{"ty": "Acme LaserWriter 9"}},
			want: "", typ: "printer", model: "Acme LaserWriter 9",
		},
		{
			name: "a model stated over SADP is named as SADP's",
			e:    Evidence{MAC: "44:19:b6:12:34:56", ModelName: "DS-2CD2042WD-I", ModelNumber: "DS-2CD2042WD-I", ModelFrom: "SADP"},
			want: "hikvision/ds-2cd2042wd-i", typ: "camera", model: "DS-2CD2042WD-I", reason: `SADP model`,
		},
		{
			name: "a Samsung-looking model name alone is not Samsung",
			e:    Evidence{ModelName: "UE55H6400"},
			want: "", typ: "unknown",
		},
		{
			name: "nothing at all",
			e:    Evidence{},
			want: "", typ: "unknown",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := c.Identify(tt.e)
			if got := productID(id); got != tt.want {
				t.Fatalf("Identify() = %q, want %q (reasons %q)", got, tt.want, id.Reasons)
			}
			if id.Type != tt.typ {
				t.Errorf("Type = %q, want %q", id.Type, tt.typ)
			}
			if id.Firmware != tt.firmware {
				t.Errorf("Firmware = %q, want %q", id.Firmware, tt.firmware)
			}
			if tt.model != "" && id.Model != tt.model {
				t.Errorf("Model = %q, want %q", id.Model, tt.model)
			}
			if tt.want != "" && len(id.Reasons) == 0 {
				t.Error("identified with no reasons")
			}
			if tt.want == "" && len(id.Reasons) != 0 {
				t.Errorf("unidentified device has reasons %q", id.Reasons)
			}
			if tt.reason != "" && !hasReason(id, tt.reason) {
				t.Errorf("Reasons = %q, want one containing %q", id.Reasons, tt.reason)
			}
		})
	}
}

// TestIdentifyOUITieBreak builds two makers that the same evidence matches
// equally and checks that the MAC's registered owner decides.
func TestIdentifyOUITieBreak(t *testing.T) {
	rule := `[{"id": "box", "name": "Box", "type": "hub", "match": [{"server": "^AcmeOS/"}]}]`
	c, err := mapCatalog(t, map[string]string{
		"data/alpha.json": makerJSON("alpha", rule),
		"data/beta.json":  strings.Replace(makerJSON("beta", rule), `"name": "Acme beta",`, `"name": "Acme beta", "oui_name": "^Sonos",`, 1),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ mac, want string }{
		{"", "alpha/box"},                  // tie: data order
		{"b8:e9:37:00:00:01", "beta/box"},  // Sonos-registered MAC breaks the tie
		{"ba:e9:37:00:00:01", "alpha/box"}, // randomised MAC names nobody
	}
	for _, tt := range tests {
		id := c.Identify(Evidence{MAC: tt.mac, Servers: []string{"AcmeOS/1.0"}})
		if got := productID(id); got != tt.want {
			t.Errorf("Identify(MAC %q) = %q, want %q", tt.mac, got, tt.want)
		}
	}
}

// TestIdentifyReasonsAreCapped keeps device-supplied text short in reasons.
func TestIdentifyReasonsAreCapped(t *testing.T) {
	c := mustEmbedded(t)
	long := "App-webs/" + strings.Repeat("x", 500)
	id := c.Identify(Evidence{Servers: []string{long}})
	for _, r := range id.Reasons {
		if len(r) > 2*maxQuoted+40 {
			t.Errorf("reason is %d bytes long: %q", len(r), r)
		}
	}
}
