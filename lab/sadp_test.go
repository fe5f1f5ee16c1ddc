package lab

import (
	"encoding/xml"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// probeMatch is what a SADP reader takes from an answer, decoded here
// independently of the lab's writer.
type probeMatch struct {
	XMLName         xml.Name `xml:"ProbeMatch"`
	UUID            string   `xml:"Uuid"`
	Description     string   `xml:"DeviceDescription"`
	Serial          string   `xml:"DeviceSN"`
	MAC             string   `xml:"MAC"`
	IPv4            string   `xml:"IPv4Address"`
	HTTPPort        int      `xml:"HttpPort"`
	CommandPort     int      `xml:"CommandPort"`
	SoftwareVersion string   `xml:"SoftwareVersion"`
	DSPVersion      string   `xml:"DSPVersion"`
	DeviceType      string   `xml:"DeviceType"`
	Activated       *string  `xml:"Activated"`
}

const testProbe = `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>%s</Uuid><Types>inquiry</Types></Probe>`

// sadpAsk sends each message to addr in turn from one socket and returns
// the first answer decoded.
func sadpAsk(t *testing.T, addr netip.AddrPort, msgs ...string) probeMatch {
	t.Helper()
	c, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, m := range msgs {
		if _, err := c.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	_ = c.SetReadDeadline(time.Now().Add(testTimeout))
	buf := make([]byte, 8192)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no SADP answer from %s: %v", addr, err)
	}
	var pm probeMatch
	if err := xml.Unmarshal(buf[:n], &pm); err != nil {
		t.Fatalf("answer is not a ProbeMatch: %v\n%s", err, buf[:n])
	}
	return pm
}

// TestSADPLoopback asks the home camera the way SADP Tool does. Requests
// that are not an inquiry get no answer, so the first answer must be the
// one to the real probe (its Uuid repeated). After a firmware update the
// answer names the new firmware.
func TestSADPLoopback(t *testing.T) {
	l := startLab(t, "home")
	cam := dev(t, l, "camera")
	if cam.Port("sadp") != sadpPort {
		t.Fatalf("camera SADP port %d, want %d (ports %v)", cam.Port("sadp"), sadpPort, cam.Ports)
	}
	addr := netip.AddrPortFrom(cam.Addr, sadpPort)
	got := sadpAsk(t, addr,
		`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>AAAA</Uuid><Types>update</Types></Probe>`,
		"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n\r\n",
		strings.Replace(testProbe, "%s", "13A888A9-F1B1-4020-AE9F-05607682D23B", 1))
	want := probeMatch{
		XMLName: xml.Name{Local: "ProbeMatch"}, UUID: "13A888A9-F1B1-4020-AE9F-05607682D23B",
		Description: cam.Model, Serial: "DS-2CD2042WD-I20150112AACH512345678",
		MAC: strings.ReplaceAll(cam.MAC, ":", "-"), IPv4: cam.Addr.String(),
		HTTPPort: cam.Port("http"), CommandPort: 8000,
		SoftwareVersion: "V5.2.5build 141201", DSPVersion: "V5.0, build 140714", DeviceType: "38930",
	}
	if got != want {
		t.Errorf("SADP answer\n got %+v\nwant %+v", got, want)
	}

	if ok, err := l.byID["camera"].update(); !ok || err != nil {
		t.Fatalf("update = %v, %v", ok, err)
	}
	got = sadpAsk(t, addr, strings.Replace(testProbe, "%s", "B", 1))
	if got.SoftwareVersion != "V5.5.0build 170725" || got.UUID != "B" {
		t.Errorf("after the update: firmware %q, uuid %q; want V5.5.0build 170725, B", got.SoftwareVersion, got.UUID)
	}
	// Devices without SADP in their scenario have nothing on the port.
	if tv := dev(t, l, "tv"); tv.Port("sadp") != 0 {
		t.Errorf("the TV lists a SADP port")
	}
}

func TestSADPVersion(t *testing.T) {
	for in, want := range map[string]string{
		"V5.2.5 build 141201": "V5.2.5build 141201",
		"V5.5.0 Build 170725": "V5.5.0Build 170725",
		"V5.4.5":              "V5.4.5",
	} {
		if got := sadpVersion(in); got != want {
			t.Errorf("sadpVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseSADPProbe(t *testing.T) {
	tests := []struct {
		name, in, uuid string
		err            bool
	}{
		{"SADP Tool", strings.Replace(testProbe, "%s", "13A888A9-F1B1-4020-AE9F-05607682D23B", 1), "13A888A9-F1B1-4020-AE9F-05607682D23B", false},
		{"odd uuid is not repeated", strings.Replace(testProbe, "%s", "a&lt;b", 1), "", false},
		{"other request type", `<Probe><Uuid>x</Uuid><Types>update</Types></Probe>`, "", true},
		{"not a probe", `<ProbeMatch><Types>inquiry</Types></ProbeMatch>`, "", true},
		{"not xml", "M-SEARCH * HTTP/1.1\r\n\r\n", "", true},
		{"oversized", "<Probe><Types>inquiry</Types>" + strings.Repeat(" ", maxSADP) + "</Probe>", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uuid, err := parseSADPProbe([]byte(tt.in))
			if (err != nil) != tt.err || uuid != tt.uuid {
				t.Errorf("parseSADPProbe = %q, %v; want %q, error %v", uuid, err, tt.uuid, tt.err)
			}
		})
	}
}

func FuzzSADPProbe(f *testing.F) {
	f.Add([]byte(strings.Replace(testProbe, "%s", "13A888A9-F1B1-4020-AE9F-05607682D23B", 1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		uuid, err := parseSADPProbe(b)
		if err != nil {
			return
		}
		// The Uuid goes back out inside XML: it must never carry markup.
		if uuid != "" && !sadpUUID.MatchString(uuid) {
			t.Fatalf("uuid %q would be repeated", uuid)
		}
	})
}
