package vendors

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzLoad feeds arbitrary bytes to the loader as one maker file. It must
// never panic; anything it accepts must be usable: identified, searched
// and given a status without panicking.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "match": [{"server": "^Acme"}]}]`)))
	f.Add([]byte(`{"id": "x"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			// A late data date, so real maker files used as seeds load fully.
			"data/generic.json": {Data: []byte(strings.Replace(minimalGeneric, "2026-01-31", "2099-12-31", 1))},
			"data/fuzz.json":    {Data: data},
		}
		c, err := Load(fsys)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		e := Evidence{Servers: []string{"Acme/1.0"}, Bodies: map[string]string{"/": "x"}, TXT: map[string]string{"md": "x"}, MAC: "44:19:b6:00:00:01"}
		_ = c.Identify(e)
		_ = c.Search("acme cam")
		for i := range c.Makers {
			for j := range c.Makers[i].Products {
				_ = c.Status(&c.Makers[i].Products[j], c.loadedDay())
			}
		}
	})
}

// FuzzIdentify throws device-supplied strings at the embedded rules.
func FuzzIdentify(f *testing.F) {
	f.Add("App-webs/", "Hikvision", "DS-2CD2042WD-I", "_googlecast._tcp", "md", "Google TV Streamer", "/shelly", `{"type":"SHPLG-S","fw":"x/v1.9.4@y"}`, "44:19:b6:12:34:56")
	f.Add("Linux UPnP/1.0", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, server, manufacturer, model, service, txtKey, txtVal, path, body, mac string) {
		c := mustEmbedded(t)
		id := c.Identify(Evidence{
			MAC: mac, Manufacturer: manufacturer, ModelName: model, ModelNumber: model, Servers: []string{server},
			Realms: []string{server}, Titles: []string{model}, MDNSServices: []string{service},
			TXT: map[string]string{strings.ToLower(txtKey): txtVal}, Bodies: map[string]string{path: body},
		})
		if id.Type == "" {
			t.Fatal("empty Type")
		}
		if utf8.RuneCountInString(id.Firmware) > maxCaptured || utf8.RuneCountInString(id.Model) > maxCaptured {
			t.Fatalf("uncapped firmware %q or model %q", id.Firmware, id.Model)
		}
		if (id.Maker == nil) != (len(id.Reasons) == 0) {
			t.Fatalf("maker %v with reasons %q", id.Maker, id.Reasons)
		}
	})
}

// FuzzSearch: free text from a shopper never panics and results stay sorted.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"tp-link tapo c200", "hue bridge", "synolgy ds218", "", "ü\x00\xff", strings.Repeat("a ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		hits := mustEmbedded(t).Search(q)
		if len(hits) > maxHits {
			t.Fatalf("%d hits, cap is %d", len(hits), maxHits)
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Score > hits[i-1].Score {
				t.Fatalf("not sorted at %d", i)
			}
		}
	})
}

// FuzzParseMAC: any text parses or fails cleanly; a parsed MAC has 48 bits.
func FuzzParseMAC(f *testing.F) {
	for _, s := range []string{"44:19:b6:12:34:56", "4419.b612.3456", "44-19-B6-12-34-56", "", "zz", "44:19:b6:12:34:56:78"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseMAC(s)
		if ok && v>>48 != 0 {
			t.Fatalf("parseMAC(%q) = %x, more than 48 bits", s, v)
		}
		_, _ = mustEmbedded(t).OUIVendor(s)
	})
}
