package vendors

import "testing"

// BenchmarkLoadEmbedded measures decode, validate and compile of the whole
// embedded data set (the OUI table loads lazily and is not included).
func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := Load(embedded); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIdentify(b *testing.B) {
	c := mustEmbedded(b)
	e := Evidence{
		MAC: "b8:e9:37:aa:bb:cc", Servers: []string{"Linux UPnP/1.0 Sonos/83.1-61240 (ZPS13)"}, Manufacturer: "Sonos, Inc.",
		ModelName: "Sonos One", ModelNumber: "S13", DeviceTypes: []string{"urn:schemas-upnp-org:device:ZonePlayer:1"},
		MDNSServices: []string{"_sonos._tcp"}, TXT: map[string]string{"md": "x"},
	}
	for b.Loop() {
		if id := c.Identify(e); id.Product == nil {
			b.Fatal("not identified")
		}
	}
}

func BenchmarkOUIVendor(b *testing.B) {
	c := mustEmbedded(b)
	c.OUIVendor("44:19:b6:12:34:56") // decode the table outside the loop
	for b.Loop() {
		if name, _ := c.OUIVendor("44:19:b6:12:34:56"); name == "" {
			b.Fatal("no vendor")
		}
	}
}

// BenchmarkOUIDecode is the one-off cost of the first OUI lookup.
func BenchmarkOUIDecode(b *testing.B) {
	for b.Loop() {
		if _, err := decodeOUI(ouiData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	c := mustEmbedded(b)
	for b.Loop() {
		if len(c.Search("tp-link tapo c200")) == 0 {
			b.Fatal("no hits")
		}
	}
}
