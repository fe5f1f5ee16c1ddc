package vendors

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// loadedDay is the data date as a time; zero when unset.
func (c *Catalog) loadedDay() time.Time {
	t, _ := parseDay(c.DataDate)
	return t
}

// minimalGeneric is a valid generic.json for catalogues built in tests.
const minimalGeneric = `{
 "data_date": "2026-01-31",
 "report_uk": {"text": "Report it.", "source": {"url": "https://example.org/uk", "checked": "2026-01-02"}},
 "default_logins": [],
 "guides": {"change_password": ["Change it."], "update": ["Update it."], "replace": ["Replace it."],
            "source": {"url": "https://example.org/g", "checked": "2026-01-02"}}
}`

// makerJSON is a valid maker file; replace its parts to make invalid ones.
func makerJSON(id string, productsJSON string) string {
	return `{
 "id": "` + id + `", "name": "Acme ` + id + `",
 "support": {"policy": "Five years.", "published": true, "source": {"url": "https://example.org/p", "checked": "2026-01-02"}},
 "disclosure": {"email": "security@example.org", "source": {"url": "https://example.org/d", "checked": "2026-01"}},
 "products": ` + productsJSON + `,
 "guides": {"change_password": ["Change it."], "update": ["Update it."], "replace": ["Replace it."], "source": {"url": "https://example.org/g", "checked": "2026-01-02"}}
}`
}

// mapCatalog loads a catalogue from generic.json plus the given files.
func mapCatalog(t *testing.T, files map[string]string) (*Catalog, error) {
	t.Helper()
	fsys := fstest.MapFS{"data/generic.json": {Data: []byte(minimalGeneric)}}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return Load(fsys)
}

func mustEmbedded(t testing.TB) *Catalog {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded(): %v", err)
	}
	return c
}

func productID(id Identification) string {
	switch {
	case id.Product != nil:
		return id.Maker.ID + "/" + id.Product.ID
	case id.Maker != nil:
		return id.Maker.ID + "/"
	}
	return ""
}

func hasReason(id Identification, part string) bool {
	for _, r := range id.Reasons {
		if strings.Contains(r, part) {
			return true
		}
	}
	return false
}
