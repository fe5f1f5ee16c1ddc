package neigh

import (
	"fmt"
	"strings"
	"testing"
)

func TestParsers(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) []Entry
		in    string
		want  string
	}{
		{"linux proc arp", func(s string) []Entry { return ParseProcARP(strings.NewReader(s)) },
			`IP address       HW type     Flags       HW address            Mask     Device
192.168.1.1      0x1         0x2         a0:63:91:01:02:03     *        eth0
192.168.1.7      0x1         0x0         00:00:00:00:00:00     *        eth0
192.168.1.20     0x1         0x2         44:19:B6:6D:20:14     *        eth0
`, "[192.168.1.1 a0:63:91:01:02:03 eth0] [192.168.1.20 44:19:b6:6d:20:14 eth0]"},
		{"ip -6 neigh", func(s string) []Entry { return ParseIPNeigh(strings.NewReader(s)) },
			`fe80::1 dev eth0 lladdr a0:63:91:01:02:03 router REACHABLE
fd00::20 dev eth0 lladdr 44:19:b6:6d:20:14 STALE
fe80::99 dev eth0 FAILED
fe80::5%eth0 dev eth0 INCOMPLETE
`, "[fe80::1 a0:63:91:01:02:03 eth0] [fd00::20 44:19:b6:6d:20:14 eth0]"},
		{"macos arp -an", func(s string) []Entry { return ParseARPDarwin(strings.NewReader(s)) },
			`? (192.168.1.1) at a0:63:91:1:2:3 on en0 ifscope [ethernet]
? (192.168.1.7) at (incomplete) on en0 ifscope [ethernet]
? (192.168.1.255) at ff:ff:ff:ff:ff:ff on en0 ifscope [ethernet]
? (224.0.0.251) at 1:0:5e:0:0:fb on en0 ifscope permanent [ethernet]
`, "[192.168.1.1 a0:63:91:01:02:03 en0]"},
		{"windows arp -a", func(s string) []Entry { return ParseARPWindows(strings.NewReader(s)) },
			"\r\nInterface: 192.168.1.10 --- 0xb\r\n  Internet Address      Physical Address      Type\r\n" +
				"  192.168.1.1           a0-63-91-01-02-03     dynamic   \r\n  192.168.1.255         ff-ff-ff-ff-ff-ff     static    \r\n" +
				"  224.0.0.22            01-00-5e-00-00-16     static    \r\n",
			"[192.168.1.1 a0:63:91:01:02:03 192.168.1.10]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []string
			for _, e := range tt.parse(tt.in) {
				parts = append(parts, fmt.Sprintf("[%s %s %s]", e.IP, e.MAC, e.Iface))
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestNormalizeMAC(t *testing.T) {
	tests := map[string]string{
		"A0-63-91-01-02-03": "a0:63:91:01:02:03", "0:11:2:a:bb:c": "00:11:02:0a:bb:0c",
		"00:00:00:00:00:00": "", "ff:ff:ff:ff:ff:ff": "", "01:00:5e:00:00:fb": "", "nonsense": "", "a0:63:91:01:02": "",
	}
	for in, want := range tests {
		if got := NormalizeMAC(in); got != want {
			t.Errorf("NormalizeMAC(%q) = %q, want %q", in, got, want)
		}
	}
}

func fuzzEntries(t *testing.T, list []Entry) {
	if len(list) > maxEntries {
		t.Fatalf("%d entries", len(list))
	}
	for _, e := range list {
		if !e.IP.IsValid() || NormalizeMAC(e.MAC) != e.MAC || len(e.Iface) > 32 {
			t.Fatalf("bad entry %+v", e)
		}
	}
}

func FuzzParseProcARP(f *testing.F) {
	f.Add("IP address HW type Flags HW address Mask Device\n192.168.1.1 0x1 0x2 a0:63:91:01:02:03 * eth0\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzEntries(t, ParseProcARP(strings.NewReader(s))) })
}

func FuzzParseIPNeigh(f *testing.F) {
	f.Add("fe80::1 dev eth0 lladdr a0:63:91:01:02:03 router REACHABLE\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzEntries(t, ParseIPNeigh(strings.NewReader(s))) })
}

func FuzzParseARPDarwin(f *testing.F) {
	f.Add("? (192.168.1.1) at a0:63:91:1:2:3 on en0 ifscope [ethernet]\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzEntries(t, ParseARPDarwin(strings.NewReader(s))) })
}

func FuzzParseARPWindows(f *testing.F) {
	f.Add("Interface: 192.168.1.10 --- 0xb\n  192.168.1.1  a0-63-91-01-02-03  dynamic\n")
	f.Fuzz(func(t *testing.T, s string) { fuzzEntries(t, ParseARPWindows(strings.NewReader(s))) })
}
