package sadp

import (
	"bytes"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/unicast"
)

// captured is a real DS-2CD2432F-IW's answer to SADP Tool, published at
// sergei.nz/reverse-engineering-hikvision-sadp-tool (firmware V5.2.5, the
// same release as the lab's camera, which predates activation).
const captured = `<?xml version="1.0" encoding="UTF-8"?>
<ProbeMatch><Uuid>FC25924E-AFE2-49E6-ACC9-F84A6859054D</Uuid>
<Types>inquiry</Types>
<DeviceType>38930</DeviceType>
<DeviceDescription>DS-2CD2432F-IW</DeviceDescription>
<DeviceSN>DS-2CD2432F-IW20150126CCCH502126167</DeviceSN>
<CommandPort>8000</CommandPort>
<HttpPort>80</HttpPort>
<MAC>c0-56-e3-fe-42-92</MAC>
<IPv4Address>10.1.1.251</IPv4Address>
<IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>
<IPv4Gateway>10.1.1.1</IPv4Gateway>
<IPv6Address>::</IPv6Address>
<IPv6Gateway>::</IPv6Gateway>
<IPv6MaskLen>64</IPv6MaskLen>
<DHCP>false</DHCP>
<AnalogChannelNum>0</AnalogChannelNum>
<DigitalChannelNum>1</DigitalChannelNum>
<SoftwareVersion>V5.2.5build 141201</SoftwareVersion>
<DSPVersion>V5.0, build 140714</DSPVersion>
<BootTime>2016-03-06 09:18:17</BootTime>
</ProbeMatch>
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Device
		err  bool
	}{
		{name: "captured camera", in: captured, want: Device{Model: "DS-2CD2432F-IW", Serial: "DS-2CD2432F-IW20150126CCCH502126167",
			MAC: "c0:56:e3:fe:42:92", Firmware: "V5.2.5 build 141201", DSP: "V5.0 build 140714", DeviceType: "38930",
			IPv4: "10.1.1.251", HTTPPort: 80, CommandPort: 8000}},
		{name: "activated newer camera, one line",
			in:   `<?xml version="1.0" encoding="utf-8"?><ProbeMatch><DeviceDescription>DS-2CD2043G0-I</DeviceDescription><MAC>44-19-b6-aa-bb-cc</MAC><SoftwareVersion>V5.5.82build 190220</SoftwareVersion><Activated>true</Activated></ProbeMatch>`,
			want: Device{Model: "DS-2CD2043G0-I", MAC: "44:19:b6:aa:bb:cc", Firmware: "V5.5.82 build 190220", Activated: "true"}},
		{name: "firmware in another shape kept as is",
			in:   `<ProbeMatch><DeviceDescription>X</DeviceDescription><SoftwareVersion>V4.1.0 20240101</SoftwareVersion></ProbeMatch>`,
			want: Device{Model: "X", Firmware: "V4.1.0 20240101"}},
		{name: "C1 escapes and bidi overrides are stripped",
			in:   "<ProbeMatch><DeviceDescription>\u009b31mDS-2CD&#x9b;2J&#x202e;X</DeviceDescription></ProbeMatch>",
			want: Device{Model: "DS-2CDX"}},
		// XML allows no C0 controls, raw or as references: such an answer is refused.
		{name: "raw escape bytes make the answer unreadable",
			in: "<ProbeMatch><DeviceDescription>\x1b[2JDS-2CD</DeviceDescription></ProbeMatch>", err: true},
		{name: "first of a repeated element wins",
			in:   `<ProbeMatch><DeviceDescription>A</DeviceDescription><DeviceDescription>B</DeviceDescription><HttpPort>81</HttpPort><HttpPort>82</HttpPort></ProbeMatch>`,
			want: Device{Model: "A", HTTPPort: 81}},
		{name: "bad MAC, port and activation are dropped",
			in:   `<ProbeMatch><DeviceSN>S1</DeviceSN><MAC>ff-ff-ff-ff-ff-ff</MAC><HttpPort>99999</HttpPort><Activated>maybe</Activated></ProbeMatch>`,
			want: Device{Serial: "S1"}},
		{name: "nested elements are not fields",
			in:   `<ProbeMatch><Extra><DeviceDescription>inner</DeviceDescription></Extra><DeviceSN>S2</DeviceSN></ProbeMatch>`,
			want: Device{Serial: "S2"}},
		{name: "truncated after the model", in: `<ProbeMatch><DeviceDescription>DS-7608NI</DeviceDescription><MAC>44-19`,
			want: Device{Model: "DS-7608NI"}},
		{name: "our own probe is not an answer", in: string(Probe()), err: true},
		{name: "WS-Discovery envelope is not SADP", in: `<Envelope><Body><ProbeMatches><ProbeMatch><Scopes>x</Scopes></ProbeMatch></ProbeMatches></Body></Envelope>`, err: true},
		{name: "answer naming nothing", in: `<ProbeMatch><Uuid>x</Uuid><Types>inquiry</Types></ProbeMatch>`, err: true},
		{name: "deep nesting", in: "<ProbeMatch>" + strings.Repeat("<a>", 100) + "</ProbeMatch>", err: true},
		{name: "not xml", in: "\x00\x01garbage", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if (err != nil) != tt.err {
				t.Fatalf("Parse error = %v, want error %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCaps(t *testing.T) {
	long := strings.Repeat("M", 10*clean.Short)
	d, err := Parse([]byte("<ProbeMatch><DeviceDescription>" + long + "</DeviceDescription></ProbeMatch>"))
	if err != nil || len(d.Model) > clean.Short || len(d.Model) == 0 {
		t.Errorf("Parse long model: %d bytes, err %v; want 1..%d", len(d.Model), err, clean.Short)
	}
	// Past maxPacket nothing is read: a field after it is not seen.
	pad := "<ProbeMatch><DeviceSN>S</DeviceSN><x>" + strings.Repeat("y", maxPacket) + "</x><DeviceDescription>late</DeviceDescription></ProbeMatch>"
	if d, err := Parse([]byte(pad)); err != nil || d.Model != "" || d.Serial != "S" {
		t.Errorf("Parse oversized = %+v, %v; want serial only", d, err)
	}
	// Past maxTokens parsing stops, keeping what came before.
	many := "<ProbeMatch><DeviceSN>S</DeviceSN>" + strings.Repeat("<n/>", maxTokens) + "<DeviceDescription>late</DeviceDescription></ProbeMatch>"
	if d, err := Parse([]byte(many)); err != nil || d.Model != "" || d.Serial != "S" {
		t.Errorf("Parse many tokens = %+v, %v; want serial only", d, err)
	}
}

func TestVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"V5.2.5build 141201", "V5.2.5 build 141201"},
		{"V5.0, build 140714", "V5.0 build 140714"},
		{"V5.5.0 build 170725", "V5.5.0 build 170725"},
		{"v4.30.005Build 230512", "v4.30.005 build 230512"},
		{" V5.4.5build 170124 ", "V5.4.5 build 170124"},
		{"V5.4.5", "V5.4.5"},
		{"build 141201", "build 141201"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Version(tt.in); got != tt.want {
			t.Errorf("Version(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestProbe(t *testing.T) {
	a, b := Probe(), Probe()
	re := regexp.MustCompile(`^<\?xml version="1.0" encoding="utf-8"\?><Probe><Uuid>[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}</Uuid><Types>inquiry</Types></Probe>$`)
	if !re.Match(a) {
		t.Errorf("Probe = %s", a)
	}
	if bytes.Equal(a, b) {
		t.Error("two probes share a Uuid")
	}
}

// TestSearchUnicast answers a probe from a real UDP socket: junk and a
// duplicate are skipped, the answer is attributed to the address probed.
func TestSearchUnicast(t *testing.T) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 2048)
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		got <- string(buf[:n])
		conn.WriteToUDP([]byte("not sadp"), from)
		conn.WriteToUDP([]byte(captured), from)
		conn.WriteToUDP([]byte(captured), from)
	}()
	port := conn.LocalAddr().(*net.UDPAddr).Port
	devs, err := SearchUnicast(t.Context(), netip.MustParseAddr("127.0.0.1"), port, unicast.Fixed(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 || devs[0].From.String() != "127.0.0.1" || devs[0].Model != "DS-2CD2432F-IW" {
		t.Errorf("SearchUnicast = %+v, want one answer from 127.0.0.1", devs)
	}
	if req := <-got; !strings.Contains(req, "<Types>inquiry</Types>") {
		t.Errorf("probe sent = %q", req)
	}
}

// TestSearchUnicastRefused ends at once when nothing listens (ICMP refusal).
func TestSearchUnicastRefused(t *testing.T) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := conn.LocalAddr().(*net.UDPAddr).Port
	conn.Close() // the port is now closed
	start := time.Now()
	devs, err := SearchUnicast(t.Context(), netip.MustParseAddr("127.0.0.1"), port, unicast.Fixed(5*time.Second))
	if err != nil || len(devs) != 0 {
		t.Errorf("SearchUnicast on a closed port = %v, %v", devs, err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("a refused probe took %v; want it to end at once", took)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(captured))
	f.Add(Probe())
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		for _, s := range []string{d.Model, d.Serial, d.MAC, d.Firmware, d.DSP, d.DeviceType, d.IPv4, d.Activated} {
			if !clean.Safe(s) || len(s) > clean.Short {
				t.Fatalf("unsafe or oversized field %q", s)
			}
		}
		if d.MAC != "" && len(d.MAC) != len("aa:bb:cc:dd:ee:ff") {
			t.Fatalf("MAC %q", d.MAC)
		}
		if d.HTTPPort < 0 || d.HTTPPort > 65535 || d.CommandPort < 0 || d.CommandPort > 65535 {
			t.Fatalf("ports %d %d", d.HTTPPort, d.CommandPort)
		}
		if d.Model == "" && d.Serial == "" && d.MAC == "" && d.Firmware == "" {
			t.Fatal("accepted an answer that names nothing")
		}
	})
}
