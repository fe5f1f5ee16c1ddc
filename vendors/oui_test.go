package vendors

import "testing"

func TestOUIVendor(t *testing.T) {
	c := mustEmbedded(t)
	tests := []struct {
		name   string
		mac    string
		want   string
		random bool
	}{
		{"MA-L Hikvision, colons", "44:19:b6:12:34:56", "Hangzhou Hikvision Digital Technology Co.,Ltd.", false},
		{"MA-L Sonos, upper case dashes", "B8-E9-37-AA-BB-CC", "Sonos, Inc.", false},
		{"MA-L Philips Lighting, dotted", "0017.8801.0203", "Philips Lighting BV", false},
		{"MA-L Google, bare hex", "f4f5d8010203", "Google, Inc.", false},
		{"MA-M block inside an IEEE MA-L", "20:85:93:b1:23:45", "IOG Products LLC", false},
		{"MA-S block", "70:b3:d5:f2:f1:23", "TELEPLATFORMS", false},
		{"private registration names nobody", "11:00:aa:00:00:01", "", false},
		{"locally administered (randomised)", "4a:19:b6:12:34:56", "", true},
		{"randomised, other nibble", "de:ad:be:ef:00:01", "", true},
		{"first entry in the table", "00:00:00:00:00:00", "XEROX CORPORATION", false},
		{"too short", "44:19:b6", "", false},
		{"too long", "44:19:b6:12:34:56:78", "", false},
		{"not hex", "zz:19:b6:12:34:56", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, random := c.OUIVendor(tt.mac)
			if got != tt.want || random != tt.random {
				t.Errorf("OUIVendor(%q) = %q, %v, want %q, %v", tt.mac, got, random, tt.want, tt.random)
			}
		})
	}
}

func TestOUIRegistryVersion(t *testing.T) {
	if v := OUIRegistryVersion(); v == "" {
		t.Error("OUIRegistryVersion() is empty")
	}
}

func TestDecodeOUIRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not gzip"), ouiData[:len(ouiData)/2]} {
		if _, err := decodeOUI(b); err == nil {
			t.Errorf("decodeOUI(%d bytes of garbage) succeeded", len(b))
		}
	}
}

func TestMACPrefix(t *testing.T) {
	if got := macPrefix("44:19:b6:12:34:56"); got != "44:19:B6" {
		t.Errorf("macPrefix = %q", got)
	}
	if got := macPrefix("nope"); got != "" {
		t.Errorf("macPrefix(nope) = %q", got)
	}
}
