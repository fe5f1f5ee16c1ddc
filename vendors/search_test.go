package vendors

import "testing"

func TestSearch(t *testing.T) {
	c := mustEmbedded(t)
	tests := []struct {
		query string
		want  string // maker/product of the first hit; "maker/" for a maker hit
	}{
		{"tp-link tapo c200", "tp-link/tapo-c200"},
		{"TP-Link Tapo C200", "tp-link/tapo-c200"},
		{"tplink tapo c200", "tp-link/tapo-c200"},
		{"tapo c200", "tp-link/tapo-c200"},
		{"hue bridge", "signify/hue-bridge-v2"},
		{"philips hue bridge", "signify/hue-bridge-v2"},
		{"synology ds218", "synology/ds218"},
		{"DS218", "synology/ds218"},
		{"archer c7", "tp-link/archer-c7"},
		{"sonos one", "sonos/one"},
		{"google tv streamer", "google/google-tv-streamer"},
		{"my cloud", "western-digital/my-cloud"},
		{"fritzbox 7590", "avm/fritzbox-7590"},
		{"FRITZ!Box 7590", "avm/fritzbox-7590"},
		{"nest learning thermostat 1st gen", "google/nest-learning-thermostat-1st-gen"},
		{"hikvision", "hikvision/"},
		{"bt", "bt/"},
		// Misspellings.
		{"hikvison", "hikvision/"},
		{"sonso one", "sonos/one"},
		{"synolgy ds218", "synology/ds218"},
		{"netgaer r6100", "netgear/r6100"},
		{"philps hue bridge", "signify/hue-bridge-v2"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits := c.Search(tt.query)
			if len(hits) == 0 {
				t.Fatalf("Search(%q) found nothing, want %s", tt.query, tt.want)
			}
			got := hits[0].Maker.ID + "/"
			if hits[0].Product != nil {
				got += hits[0].Product.ID
			}
			if got != tt.want {
				t.Errorf("Search(%q)[0] = %s (%.2f), want %s", tt.query, got, hits[0].Score, tt.want)
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Errorf("Search(%q) not sorted at %d", tt.query, i)
				}
			}
		})
	}
}

func TestSearchNoMatch(t *testing.T) {
	c := mustEmbedded(t)
	for _, q := range []string{"", "   ", "zzzzqqq", "c210", "toaster 9000", "!!!", "a b c d e f g h i j k l m n"} {
		if hits := c.Search(q); len(hits) != 0 {
			t.Errorf("Search(%q) = %d hits, first %s, want none", q, len(hits), hits[0].Maker.ID)
		}
	}
}

// TestSearchModelNumbersAreExact: a typo is fine in a word, but a model
// number that differs by one digit is a different product.
func TestSearchModelNumbersAreExact(t *testing.T) {
	c := mustEmbedded(t)
	for _, h := range c.Search("tapo c210") {
		if h.Product != nil && h.Product.ID == "tapo-c200" {
			t.Errorf("Search(tapo c210) returned the Tapo C200")
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"sonos", "sonos", 0}, {"sonso", "sonos", 1}, {"hikvison", "hikvision", 1}, {"netgaer", "netgear", 1},
		{"abc", "xyz", 3}, {"", "ab", 2}, {"short", "muchlongerword", 3}, {"abcdef", "ghijkl", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
