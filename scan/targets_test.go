package scan

import (
	"errors"
	"net/netip"
	"testing"
)

func TestParseTargets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		wide bool
		want string // first prefix, when no error
		err  error
	}{
		{"home /24", "192.168.1.0/24", false, "192.168.1.0/24", nil},
		{"single address", "192.168.1.20", false, "192.168.1.20/32", nil},
		{"unmasked prefix", "10.1.2.3/24", false, "10.1.2.0/24", nil},
		{"loopback lab", "127.42.7.0/24", false, "127.42.7.0/24", nil},
		{"link-local", "169.254.10.0/24", false, "169.254.10.0/24", nil},
		{"ula", "fd00::1", false, "fd00::1/128", nil},
		{"ipv6 small", "fd00::/120", false, "fd00::/120", nil},
		{"mapped v4", "::ffff:192.168.1.2", false, "192.168.1.2/32", nil},
		{"/22 allowed", "10.0.0.0/22", false, "10.0.0.0/22", nil},
		{"public dns", "8.8.8.8", false, "", ErrPublicTarget},
		{"public net", "1.1.1.0/24", false, "", ErrPublicTarget},
		{"spans private and public", "192.0.0.0/8", true, "", ErrPublicTarget},
		{"cgnat is not home", "100.64.0.1", false, "", ErrPublicTarget},
		{"ipv6 global", "2001:db8::1", false, "", ErrPublicTarget},
		{"whole 10/8", "10.0.0.0/8", false, "", ErrTargetTooLarge},
		{"10/8 even wide", "10.0.0.0/8", true, "", ErrTargetTooLarge},
		{"/16 needs wide", "192.168.0.0/16", false, "", ErrTargetTooLarge},
		{"/16 wide", "192.168.0.0/16", true, "192.168.0.0/16", nil},
		{"ipv6 wide", "fd00::/64", false, "", ErrTargetTooLarge},
		{"nonsense", "nonsense", false, "", ErrBadTarget},
		{"hostname", "router.lan", false, "", ErrBadTarget},
		{"bad prefix", "192.168.1.0/33", false, "", ErrBadTarget},
		{"empty", "", false, "", ErrNoTargets},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTargets([]string{tt.in}, tt.wide)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("ParseTargets(%q) error = %v, want %v", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTargets(%q) error = %v", tt.in, err)
			}
			if got[0].String() != tt.want {
				t.Errorf("ParseTargets(%q) = %v, want %v", tt.in, got[0], tt.want)
			}
		})
	}
}

func TestParseTargetsList(t *testing.T) {
	got, err := ParseTargets([]string{"192.168.1.1,192.168.1.2 10.0.0.0/24", "127.0.0.1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d prefixes (%v), want 4", len(got), got)
	}
	if _, err := ParseTargets([]string{"192.168.1.1,8.8.8.8"}, false); !errors.Is(err, ErrPublicTarget) {
		t.Fatalf("one public address in a list: error = %v, want ErrPublicTarget", err)
	}
}

func TestHosts(t *testing.T) {
	tests := []struct {
		in          string
		n           int
		first, last string
	}{
		{"192.168.1.0/24", 254, "192.168.1.1", "192.168.1.254"},
		{"192.168.1.7/32", 1, "192.168.1.7", "192.168.1.7"},
		{"10.0.0.0/31", 2, "10.0.0.0", "10.0.0.1"},
		{"10.0.0.0/22", 1022, "10.0.0.1", "10.0.3.254"},
		{"fd00::/126", 4, "fd00::", "fd00::3"},
	}
	for _, tt := range tests {
		got := Hosts(netip.MustParsePrefix(tt.in))
		if len(got) != tt.n || got[0].String() != tt.first || got[len(got)-1].String() != tt.last {
			t.Errorf("Hosts(%s) = %d hosts %v..%v, want %d %s..%s", tt.in, len(got), got[0], got[len(got)-1], tt.n, tt.first, tt.last)
		}
	}
}
