package scan

import (
	"os"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/porchlight/porchlight/vendors"
)

// kevMaker has a specific camera and a family entry, each with a KEV entry
// that names no fix ("every version") and one that does.
const kevMaker = `{
  "id": "kev", "name": "Kev",
  "support": {"policy": "", "published": false, "source": {"url": "https://example.com/kev", "checked": "2026-01-01"}},
  "disclosure": {"url": "https://example.com/kev/security", "source": {"url": "https://example.com/kev/security", "checked": "2026-01-01"}},
  "products": [
    {"id": "cam-1", "name": "Cam 1", "type": "camera",
     "known_exploited": [
       {"cve": "CVE-2020-0011", "title": "Every version", "source": {"url": "https://example.com/kev/1", "checked": "2026-01-01"}},
       {"cve": "CVE-2020-0012", "title": "Fixed later", "fixed_in": "2.0.0", "source": {"url": "https://example.com/kev/2", "checked": "2026-01-01"}}
     ]},
    {"id": "other-cameras", "name": "Other Kev cameras", "type": "camera", "family": true,
     "known_exploited": [
       {"cve": "CVE-2020-0021", "title": "Some models", "source": {"url": "https://example.com/kev/3", "checked": "2026-01-01"}},
       {"cve": "CVE-2020-0022", "title": "Some models, fixed later", "fixed_in": "2.0.0", "source": {"url": "https://example.com/kev/4", "checked": "2026-01-01"}}
     ]}
  ],
  "guides": {"change_password": ["Open the app."], "update": ["Open the app."], "replace": ["Buy another."], "source": {"url": "https://example.com/kev/help", "checked": "2026-01-01"}}
}`

// TestKnownExploitedOnFamilies: a KEV entry that names no fix is asserted
// for the exact product (every version is affected), never for a family
// entry, where it applies to some unnamed models only; an entry with a fix
// is judged by the firmware in both cases.
func TestKnownExploitedOnFamilies(t *testing.T) {
	generic, err := os.ReadFile("../vendors/data/generic.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := vendors.Load(fstest.MapFS{
		"data/generic.json": {Data: generic},
		"data/kev.json":     {Data: []byte(kevMaker)},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		product  string
		firmware string
		want     []string // CVEs reported
	}{
		{"exact product, firmware unknown", "cam-1", "", []string{"CVE-2020-0011"}},
		{"exact product, old firmware", "cam-1", "1.0.0", []string{"CVE-2020-0011", "CVE-2020-0012"}},
		{"family, firmware unknown", "other-cameras", "", nil},
		{"family, old firmware: only the entry with a fix", "other-cameras", "1.0.0", []string{"CVE-2020-0022"}},
		{"family, fixed firmware", "other-cameras", "2.1.0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := checkEnv{catalog: cat, now: testNow}
			dev := Device{IP: "192.0.2.1", MakerID: "kev", ProductID: tt.product, Type: "camera", Firmware: tt.firmware}
			got := checkDevice(t.Context(), dev, env)
			var cves []string
			for _, f := range got.Findings {
				if f.ID == FindKnownExploited {
					cves = append(cves, f.Detail["cve"])
				}
			}
			if diff := cmp.Diff(tt.want, cves); diff != "" {
				t.Errorf("known-exploited CVEs (-want +got):\n%s", diff)
			}
		})
	}
}
