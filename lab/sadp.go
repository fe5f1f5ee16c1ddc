package lab

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"strings"
	"time"
)

// sadpPort is Hikvision's SADP discovery port, the same in both lab modes.
const sadpPort = 37020

// maxSADP caps a probe; SADP Tool's is under 200 bytes.
const maxSADP = 2048

// SADPSpec is what a Hikvision device answers to SADP Tool's inquiry:
// model, serial number, MAC, network settings and firmware, with no login.
// Model, serial, MAC, address and firmware come from the device itself.
type SADPSpec struct {
	// DeviceType is Hikvision's numeric device class code.
	DeviceType string `json:"device_type"`
	// DSPVersion is the encoder firmware, in SADP's spelling ("V5.0, build 140714").
	DSPVersion string `json:"dsp_version"`
	// CommandPort is the SDK port the answer names (8000 when unset).
	CommandPort int `json:"command_port,omitempty"`
	// Activated is "true" or "false" on firmware with activation (IP cameras
	// from 5.3.0 on); "" sends no such field, as older firmware, which has a
	// factory password instead.
	Activated string `json:"activated,omitempty"`
}

// sadpProbe is the part of SADP Tool's probe a device reads.
type sadpProbe struct {
	XMLName xml.Name `xml:"Probe"`
	UUID    string   `xml:"Uuid"`
	Types   string   `xml:"Types"`
}

var sadpUUID = regexp.MustCompile(`^[0-9A-Za-z-]{1,64}$`)

// parseSADPProbe reads an inquiry and returns its Uuid, which the answer
// repeats; anything else (another request type, other XML) is refused.
func parseSADPProbe(b []byte) (string, error) {
	if len(b) > maxSADP {
		return "", fmt.Errorf("sadp: probe of %d bytes", len(b))
	}
	var p sadpProbe
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	if err := dec.Decode(&p); err != nil {
		return "", fmt.Errorf("sadp: probe: %w", err)
	}
	if strings.TrimSpace(p.Types) != "inquiry" {
		return "", fmt.Errorf("sadp: probe type %q", p.Types)
	}
	uuid := strings.TrimSpace(p.UUID)
	if !sadpUUID.MatchString(uuid) {
		uuid = ""
	}
	return uuid, nil
}

// sadpBuild is the space SADP drops between version and build.
var sadpBuild = regexp.MustCompile(`(?i)\s+(build\s)`)

// sadpVersion writes the running firmware as SADP does: the camera's web
// page shows "V5.2.5 build 141201", SADP says "V5.2.5build 141201".
func sadpVersion(fw string) string { return sadpBuild.ReplaceAllString(fw, "$1") }

// sadpMatch is d's answer, laid out as a real camera's (a published
// capture of a DS-2CD2432F-IW on the same V5.2.5 firmware).
func (d *device) sadpMatch(uuid string, booted time.Time) []byte {
	s := d.spec.SADP
	esc := func(v string) string {
		// Only markup is escaped: a hostile device's control bytes go out raw,
		// as a real one's would.
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(d.text("sadp", v))
	}
	cmdPort := s.CommandPort
	if cmdPort == 0 {
		cmdPort = 8000
	}
	httpPort := 80
	if d.spec.HTTP != nil && len(d.spec.HTTP.Ports) > 0 {
		httpPort = d.spec.HTTP.Ports[0]
	}
	gw := d.addr.As4()
	gw[3] = 1
	var b bytes.Buffer
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProbeMatch><Uuid>%s</Uuid>\n<Types>inquiry</Types>\n", uuid)
	fmt.Fprintf(&b, "<DeviceType>%s</DeviceType>\n<DeviceDescription>%s</DeviceDescription>\n<DeviceSN>%s</DeviceSN>\n",
		esc(s.DeviceType), esc(d.spec.Model), esc(d.spec.Serial))
	fmt.Fprintf(&b, "<CommandPort>%d</CommandPort>\n<HttpPort>%d</HttpPort>\n<MAC>%s</MAC>\n",
		cmdPort, d.lab.net.port(httpPort), strings.ReplaceAll(d.mac.String(), ":", "-"))
	fmt.Fprintf(&b, "<IPv4Address>%s</IPv4Address>\n<IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>\n<IPv4Gateway>%s</IPv4Gateway>\n",
		d.addr, netip.AddrFrom4(gw))
	b.WriteString("<IPv6Address>::</IPv6Address>\n<IPv6Gateway>::</IPv6Gateway>\n<IPv6MaskLen>64</IPv6MaskLen>\n<DHCP>false</DHCP>\n")
	b.WriteString("<AnalogChannelNum>0</AnalogChannelNum>\n<DigitalChannelNum>1</DigitalChannelNum>\n")
	fmt.Fprintf(&b, "<SoftwareVersion>%s</SoftwareVersion>\n<DSPVersion>%s</DSPVersion>\n<BootTime>%s</BootTime>\n",
		esc(sadpVersion(d.firmware())), esc(s.DSPVersion), booted.UTC().Format(time.DateTime))
	if s.Activated != "" {
		fmt.Fprintf(&b, "<Activated>%s</Activated>\n", esc(s.Activated))
	}
	b.WriteString("</ProbeMatch>\n")
	return b.Bytes()
}

// serveSADP answers SADP inquiries on UDP 37020 of the device's address
// (and, in namespaces, on the multicast group SADP Tool probes), straight
// back to the sender, as the tools that read SADP expect.
func serveSADP(l *Lab, d *device) error {
	if d.spec.SADP == nil {
		return nil
	}
	conn, err := l.net.listenUDP(d, sadpPort, ssdpGroup)
	if err != nil {
		return err
	}
	if !l.track(conn) {
		return nil
	}
	booted := time.Now()
	l.goServe(func() {
		buf := make([]byte, maxSADP+1)
		for {
			n, src, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			uuid, err := parseSADPProbe(buf[:n])
			if err != nil || d.misbehaves("sadp", misSilent) {
				continue
			}
			_, _ = conn.WriteTo(d.sadpMatch(uuid, booted), src)
		}
	})
	return nil
}
