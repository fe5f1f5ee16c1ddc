package history

import (
	"time"

	"github.com/porchlight/porchlight/scan"
)

// Devices as the scanner reports them for the home scenario
// (/work/notes/home.md): a router, a camera, a plug, and a phone whose MAC is
// randomised and changes between scans.

func router() scan.Device {
	return scan.Device{
		Key: "50:c7:bf:12:34:56", IP: "192.168.1.1", MAC: "50:c7:bf:12:34:56", MACVendor: "TP-LINK TECHNOLOGIES CO.,LTD.",
		Vendor: "TP-Link", Model: "Archer C7", Type: "router", Firmware: "3.15.3 Build 180114 Rel.39265n",
		Name: "Archer C7", MakerID: "tp-link", ProductID: "archer-c7",
		UDN:     "uuid:565aa949-67c1-4c0e-aa8f-f349e6f59311",
		Sources: []string{"neighbour", "ssdp", "http"},
		Services: []scan.Service{
			{Port: 80, Protocol: "http", Banner: "Router Webserver", Auth: "basic", Realm: "TP-LINK Wireless Dual Band Gigabit Router Archer C7"},
			{Port: 1900, Protocol: "upnp", Banner: "Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.19"},
		},
		Support:    scan.Support{Status: "unknown"},
		Disclosure: scan.Disclosure{URL: "https://www.tp-link.com/uk/press/security-advisory/", Email: "security@tp-link.com"},
		PSTI:       scan.PSTI{Passwords: scan.Fail, Reporting: scan.Pass, Updates: scan.Unknown},
		Findings: []scan.Finding{
			{ID: scan.FindDefaultPassword, Severity: scan.Critical, Title: "Still uses its factory password", Service: "http:80",
				Evidence: `The admin page accepted the documented default login for user "admin" (password ****).`},
			{ID: scan.FindUPnPPortMapping, Severity: scan.High, Title: "Has opened ports to the internet", Service: "upnp:1900",
				Evidence: "2 port mappings: TCP 8000 -> 192.168.1.20:8000, TCP 5000 -> 192.168.1.40:5000"},
			{ID: scan.FindSupportUnknown, Severity: scan.Low, Title: "No stated end of security updates"},
		},
		Checked: true,
	}
}

func camera() scan.Device {
	return scan.Device{
		Key: "44:19:b6:aa:bb:cc", IP: "192.168.1.20", MAC: "44:19:b6:aa:bb:cc", MACVendor: "Hangzhou Hikvision Digital Technology Co.,Ltd.",
		Vendor: "Hikvision", Model: "DS-2CD2042WD-I", Type: "camera", Firmware: "V5.2.5 build 141201",
		MakerID: "hikvision", ProductID: "ds-2cd2042wd-i", Serial: "DS-2CD2042WD-I20150321CCWR512345678",
		Sources: []string{"neighbour", "http", "rtsp"},
		Services: []scan.Service{
			{Port: 80, Protocol: "http", Banner: "App-webs/", Auth: "digest", Realm: "DS-2CD2042WD-I"},
			{Port: 554, Protocol: "rtsp", Auth: "digest"},
		},
		Support:    scan.Support{Status: "unknown"},
		Disclosure: scan.Disclosure{URL: "https://www.hikvision.com/en/support/cybersecurity/report-a-vulnerability/", Email: "hsrc@hikvision.com"},
		PSTI:       scan.PSTI{Passwords: scan.Fail, Reporting: scan.Pass, Updates: scan.Unknown},
		Findings: []scan.Finding{
			{ID: scan.FindDefaultPassword, Severity: scan.Critical, Title: "Still uses its factory password", Service: "http:80",
				Evidence: `The web page accepted the documented default login for user "admin" (password *****).`},
			{ID: scan.FindFirmwareOutdated, Severity: scan.High, Title: "Firmware is out of date", Evidence: "V5.2.5 build 141201; latest V5.5.0",
				Detail: map[string]string{"latest": "V5.5.0"}},
			{ID: scan.FindKnownExploited, Severity: scan.Critical, Title: "Has a flaw attackers are using", Evidence: "CVE-2017-7921 (fixed in V5.4.5)",
				Detail: map[string]string{"cve": "CVE-2017-7921"}},
		},
		Checked: true,
	}
}

// cameraFixed is the camera after the household changed its password.
func cameraFixed() scan.Device {
	d := camera()
	d.PSTI.Passwords = scan.Pass
	d.Findings = d.Findings[1:]
	return d
}

func plug() scan.Device {
	return scan.Device{
		Key: "a4:cf:12:de:ad:01", IP: "192.168.1.31", MAC: "a4:cf:12:de:ad:01",
		Vendor: "Shelly", Model: "Plug S", Type: "plug", Firmware: "20210115-102725/v1.9.4@e2732e05",
		MDNSName: "shellyplug-s-DEAD01", Sources: []string{"neighbour", "mdns", "http"},
		Services:   []scan.Service{{Port: 80, Protocol: "http", Auth: "none"}},
		Support:    scan.Support{Status: "unknown"},
		PSTI:       scan.PSTI{Passwords: scan.Fail, Reporting: scan.Fail, Updates: scan.Unknown},
		Findings:   []scan.Finding{{ID: scan.FindAnonymousAccess, Severity: scan.High, Title: "Its settings page needs no password", Service: "http:80"}},
		Checked:    true,
		Disclosure: scan.Disclosure{},
	}
}

// phone has a randomised MAC (a different one each scan) but keeps its mDNS name.
func phone(mac string) scan.Device {
	return scan.Device{
		Key: mac, IP: "192.168.1.57", MAC: mac, RandomMAC: true, Hostname: "Pixel-7",
		Type: "phone", MDNSName: "Pixel-7._googlecast._tcp.local.", Sources: []string{"neighbour", "mdns"},
		PSTI: scan.PSTI{Passwords: scan.Unknown, Reporting: scan.Unknown, Updates: scan.Unknown}, Checked: true,
	}
}

func day(n int) time.Time { return time.Date(2026, 3, n, 19, 30, 0, 0, time.UTC) }

func record(n int, devices ...scan.Device) ScanRecord {
	return ScanRecord{
		Started: day(n).Add(-time.Minute), Finished: day(n), Targets: []string{"192.168.1.0/24"},
		Devices: devices, ToolVersion: "0.1.0-test",
	}
}
