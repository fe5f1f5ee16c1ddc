package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/vendors"
)

func TestWriteLookup(t *testing.T) {
	cat, err := vendors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		query string
		want  []string
	}{
		{"tp-link tapo c200", []string{"Tapo C200", "Made by TP-Link", "the maker publishes no end date for this product", "security@tp-link.com", "What to look for when buying"}},
		{"my cloud", []string{"My Cloud (on My Cloud OS 3)", "ended on 15 April 2022", "psirt@wdc.com"}},
		{"google tv streamer", []string{"promised until 6 August 2029", "Derived"}},
		{"shelly plug s", []string{"Shelly Plug S", "publishes no way to report one", "UK law requires one", "Newest firmware we know of: version 1.12"}},
		{"hikvision ds-2cd2042wd-i", []string{"CVE-2017-7921", "Fixed in firmware 5.4.41", "default login that everyone knows"}},
		{"my cloud os 5", []string{"promised until the end of 2026. That is less than a year away."}},
		{"hikvision", []string{"Hikvision", "publishes no support period", "hsrc@hikvision.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits := cat.Search(tt.query)
			if len(hits) == 0 {
				t.Fatalf("no hits for %q", tt.query)
			}
			var b strings.Builder
			writeLookup(&b, cat, hits, now)
			out := b.String()
			flat := strings.Join(strings.Fields(out), " ") // wrapping aside
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("lookup %q lacks %q:\n%s", tt.query, w, out)
				}
			}
			for i, line := range strings.Split(out, "\n") {
				if len(line) > 80 && !strings.Contains(line, "://") {
					t.Errorf("line %d is %d columns: %q", i+1, len(line), line)
				}
			}
		})
	}
}

func TestLookupCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "lookup", "zzzzqqq")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, `Nothing known about "zzzzqqq"`) {
		t.Errorf("no-match output = %q", out)
	}
	if code, _, _ := runCLI(t, "lookup"); code != exitUsage {
		t.Errorf("lookup with no text: exit %d, want %d", code, exitUsage)
	}
}

func TestLookupNeverPrintsPasswords(t *testing.T) {
	cat, err := vendors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, q := range []string{"hikvision ds-2cd2042wd-i", "xiongmai", "tp-link archer c7", "brother mfc-l5900dw"} {
		writeLookup(&b, cat, cat.Search(q), time.Now())
	}
	for _, secret := range []string{"12345", "xc3511", "initpass", "access\n"} {
		if strings.Contains(b.String(), secret) {
			t.Errorf("lookup output contains the default password %q", secret)
		}
	}
}

func TestLookupWithOverlay(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(p, []byte(`{"id": "x"`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "lookup", "--vendors", p, "hue"); code == exitOK {
		t.Errorf("lookup with a broken --vendors file succeeded: %q", out)
	}
}

func TestLongDate(t *testing.T) {
	for in, want := range map[string]string{"2027-03": "March 2027", "2027-03-05": "5 March 2027", "2027": "the end of 2027", "soon": "soon"} {
		if got := longDate(in); got != want {
			t.Errorf("longDate(%q) = %q, want %q", in, got, want)
		}
	}
}
