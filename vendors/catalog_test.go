package vendors

import (
	"strings"
	"testing"
	"time"
)

// TestEmbeddedValidates loads the whole embedded data set through decode,
// validate and compile; any problem in any file fails here with its position.
func TestEmbeddedValidates(t *testing.T) {
	c := mustEmbedded(t)
	if _, err := time.Parse(time.DateOnly, c.DataDate); err != nil {
		t.Errorf("DataDate = %q, want YYYY-MM-DD", c.DataDate)
	}
	if c.Generic.ReportUK.Source.URL == "" {
		t.Error("generic.json has no UK reporting route")
	}
}

// TestCoverage keeps the data set from silently shrinking.
func TestCoverage(t *testing.T) {
	c := mustEmbedded(t)
	var withStatus, dated, logins int
	for i := range c.Makers {
		m := &c.Makers[i]
		if len(m.Guides.ChangePassword) == 0 || len(m.Guides.Update) == 0 {
			t.Errorf("maker %s has no password or update guide", m.ID)
		}
		if m.Disclosure.URL == "" && m.Disclosure.Email == "" && !m.Disclosure.NonePublished {
			t.Errorf("maker %s has no disclosure contact and no none_published", m.ID)
		}
		for j := range m.Products {
			p := &m.Products[j]
			if p.Support != nil {
				dated++
			}
			// A product counts when it has an end date, or when its maker's
			// policy is published and sourced (its status is then a
			// meaningful "unknown").
			if p.Support != nil || m.Support.Published {
				withStatus++
			}
			logins += len(p.Logins)
		}
	}
	t.Logf("makers %d, products with a support status %d (dated %d), default logins %d", len(c.Makers), withStatus, dated, logins)
	for _, min := range []struct {
		what      string
		got, want int
	}{
		{"makers", len(c.Makers), 60},
		{"products with a support status", withStatus, 150},
		{"products with a published end date", dated, 60},
		{"default logins", logins, 100},
	} {
		if min.got < min.want {
			t.Errorf("%s = %d, want at least %d", min.what, min.got, min.want)
		}
	}
}

// TestHomeScenarioProducts pins the facts the lab's home scenario is built on.
func TestHomeScenarioProducts(t *testing.T) {
	c := mustEmbedded(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		id         string
		typ        string
		status     SupportStatus
		loginSvc   string // a documented default for this service, or ""
		noContact  bool   // maker publishes no disclosure contact
		exploitCVE string
	}{
		{"tp-link/archer-c7", "router", UnknownSupp, "http-basic", false, ""},
		{"hikvision/ds-2cd2042wd-i", "camera", UnknownSupp, "http-basic", false, "CVE-2017-7921"},
		{"samsung/ue55h6400", "tv", UnknownSupp, "", false, ""},
		{"sonos/one", "speaker", UnknownSupp, "", false, ""},
		{"shelly/plug-s", "plug", UnknownSupp, "", true, ""},
		{"hp/officejet-pro-9010", "printer", UnknownSupp, "", false, ""},
		{"western-digital/my-cloud", "nas", Ended, "", false, ""},
		{"signify/hue-bridge-v2", "hub", UnknownSupp, "", false, ""},
		{"google/google-tv-streamer", "streamer", Supported, "", false, ""},
		{"google/nest-learning-thermostat-4th-gen", "thermostat", Supported, "", false, ""},
		{"xiongmai/xmeye-dvr", "camera", UnknownSupp, "telnet", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			mid, pid, _ := strings.Cut(tt.id, "/")
			p := c.Product(mid, pid)
			if p == nil {
				t.Fatalf("Product(%q, %q) = nil", mid, pid)
			}
			if p.Type != tt.typ {
				t.Errorf("type = %q, want %q", p.Type, tt.typ)
			}
			if got := c.Status(p, now); got != tt.status {
				t.Errorf("Status = %q, want %q", got, tt.status)
			}
			m := c.MakerOf(p)
			if m == nil || m.ID != mid {
				t.Fatalf("MakerOf = %v, want %s", m, mid)
			}
			if m.Disclosure.NonePublished != tt.noContact {
				t.Errorf("disclosure none_published = %v, want %v", m.Disclosure.NonePublished, tt.noContact)
			}
			if tt.loginSvc != "" && !hasLogin(p, tt.loginSvc) {
				t.Errorf("no %s default login", tt.loginSvc)
			}
			if tt.exploitCVE != "" && !hasCVE(p, tt.exploitCVE) {
				t.Errorf("no known-exploited entry %s", tt.exploitCVE)
			}
		})
	}
	if x := c.Product("hikvision", "ds-2cd2042wd-i").Exploits[0]; x.FixedIn == "" {
		t.Error("CVE-2017-7921 has no fixed_in firmware")
	}
	if p := c.Product("shelly", "plug-s"); p.Latest == nil || p.Latest.Version == "" {
		t.Error("Shelly Plug S has no latest firmware")
	}
}

func hasLogin(p *Product, svc string) bool {
	for _, l := range p.Logins {
		if l.Service == svc {
			return true
		}
	}
	return false
}

func hasCVE(p *Product, cve string) bool {
	for _, x := range p.Exploits {
		if x.CVE == cve {
			return true
		}
	}
	return false
}

// TestDerivedDatesSayHow checks that every end date computed from a rule
// (launch plus five years, say) is marked as derived in its note.
func TestDerivedDatesSayHow(t *testing.T) {
	c := mustEmbedded(t)
	for _, id := range []string{"google/google-tv-streamer", "google/nest-learning-thermostat-4th-gen", "apple/iphone-15-pro-max", "arlo/arlo-pro"} {
		mid, pid, _ := strings.Cut(id, "/")
		p := c.Product(mid, pid)
		if p == nil || p.Support == nil {
			t.Errorf("%s: no support date", id)
			continue
		}
		if !strings.HasPrefix(p.Support.Note, "Derived") {
			t.Errorf("%s: note %q does not say the date is derived", id, p.Support.Note)
		}
	}
}

func TestLookups(t *testing.T) {
	c := mustEmbedded(t)
	if c.Maker("hikvision") == nil || c.Maker("nope") != nil {
		t.Error("Maker lookups wrong")
	}
	if c.Product("hikvision", "nope") != nil || c.Product("", "") != nil {
		t.Error("Product of an unknown id is not nil")
	}
	if c.MakerOf(&Product{ID: "archer-c7"}) != nil {
		t.Error("MakerOf a product not from the catalogue is not nil")
	}
	var nilCat *Catalog
	if nilCat.Maker("x") != nil || nilCat.Identify(Evidence{}).Type != "unknown" || nilCat.Search("x") != nil {
		t.Error("a nil catalogue must answer empty")
	}
	paths := c.ProbePaths()
	for _, want := range []string{"/shelly", "/ISAPI/System/deviceInfo", "/api/config", "/setup/eureka_info"} {
		if !contains(paths, want) {
			t.Errorf("ProbePaths() lacks %s: %v", want, paths)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestGuidesArePlain keeps guide sentences short, as GOV.UK style asks:
// a reading age of 9 to 11 means about 20 words a sentence at most.
func TestGuidesArePlain(t *testing.T) {
	c := mustEmbedded(t)
	check := func(who string, g Guides) {
		for _, steps := range [][]string{g.ChangePassword, g.Update, g.Replace} {
			for _, s := range steps {
				for _, sentence := range strings.SplitAfter(s, ". ") {
					if n := len(strings.Fields(sentence)); n > 20 {
						t.Errorf("%s: %d-word sentence: %q", who, n, sentence)
					}
				}
			}
		}
	}
	check("generic", c.Generic.Guides)
	for i := range c.Makers {
		check(c.Makers[i].ID, c.Makers[i].Guides)
	}
}

func TestMakerLogins(t *testing.T) {
	c := mustEmbedded(t)
	var all int
	m := c.Maker("linksys")
	for _, p := range m.Products {
		all += len(p.Logins)
	}
	got := MakerLogins(m)
	if len(got) != 2 || all <= 2 {
		t.Errorf("MakerLogins(linksys) = %d logins from %d product entries, want the 2 distinct ones", len(got), all)
	}
	if MakerLogins(nil) != nil {
		t.Error("MakerLogins(nil) is not nil")
	}
}
