package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// load reads a saved report from testdata, as `porchlight report FILE` does.
func load(t *testing.T, name string) *Report {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Load(f)
	if err != nil {
		t.Fatalf("Load(%s) = %v", name, err)
	}
	return r
}

// render writes r in one format.
func render(t *testing.T, r *Report, format string) string {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "markdown":
		err = r.WriteMarkdown(&b)
	case "html":
		err = r.WriteHTML(&b)
	case "text":
		err = r.WriteText(&b)
	case "json":
		err = r.WriteJSON(&b)
	default:
		t.Fatalf("unknown format %q", format)
	}
	if err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	return b.String()
}

// golden compares got with testdata/<TestName>/<name>.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", strings.Split(t.Name(), "/")[0], name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestRoundTrip loads the saved home report and checks that every format
// carries every device, its verdict, its UK rules, its fixes, and no password.
func TestRoundTrip(t *testing.T) {
	r := load(t, "home.json")
	for _, format := range []string{"markdown", "html", "text", "json"} {
		t.Run(format, func(t *testing.T) {
			out := render(t, r, format)
			for _, d := range r.Devices {
				model := d.Model
				if format == "markdown" {
					model = mdText(model)
				}
				if !strings.Contains(out, model) || !strings.Contains(out, d.IP) {
					t.Errorf("%s report is missing %s %s at %s", format, d.Vendor, d.Model, d.IP)
				}
			}
			want := map[string][]string{
				"markdown": {"**We found 11 devices. 5 are at risk and 4 need a look. Fix the ones at risk first.**",
					"## Hikvision DS-2CD2042WD-I — At risk", "- No factory password: **no**",
					"1. ", "<https://www.hikvision.com/en/support/cybersecurity/report-an-issue/>", "Tip: Three random words"},
				"html": {"We found 11 devices.", `<section class="device v-risk" id="device-1">`, "UK security rules",
					`<a href="https://www.tp-link.com/uk/press/security-advisory/" rel="noreferrer">`, `<ol class="steps">`},
				"text": {"AT RISK: Hikvision DS-2CD2042WD-I at 192.168.1.20", "UK rules: No factory password: no;"},
				"json": {`"schema": "porchlight.scan/v1"`, `"id": "default-password"`},
			}[format]
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%s report lacks %q", format, w)
				}
			}
			if format == "json" {
				again, err := Load(strings.NewReader(out))
				if err != nil {
					t.Fatalf("Load(WriteJSON) = %v", err)
				}
				if diff := cmp.Diff(r, again, cmpopts.IgnoreUnexported(Report{})); diff != "" {
					t.Errorf("JSON round trip changed the report (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestGolden pins the Markdown and text layouts; review diffs like code.
// It uses advice's built-in wording, so vendor data edits do not move it.
func TestGolden(t *testing.T) {
	for _, name := range []string{"home", "hostile"} {
		r := load(t, name+".json")
		r.builtinWording = true
		golden(t, name+".md", render(t, r, "markdown"))
		golden(t, name+".txt", render(t, r, "text"))
	}
	empty := &Report{Schema: Schema, Targets: []string{"127.0.0.1/32"}, builtinWording: true}
	golden(t, "empty.txt", render(t, empty, "text"))
}

// TestTextFits80Columns: every line of the text report fits a helpdesk terminal.
func TestTextFits80Columns(t *testing.T) {
	for _, name := range []string{"home.json", "hostile.json"} {
		out := render(t, load(t, name), "text")
		for i, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("%s line %d is %d columns: %q", name, i+1, n, line)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"fits", "a short line", 20, []string{"a short line"}},
		{"breaks at spaces", "one two three four", 10, []string{"one two", "three four"}},
		{"cuts a long word", "abcdefghijklmnopqrstuvwxyz end", 10, []string{"abcdefghij", "klmnopqrst", "uvwxyz end"}},
		{"empty", "", 10, []string{""}},
		{"runes not bytes", "ééééé ééééé", 11, []string{"ééééé ééééé"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wrap(tt.in, tt.width); !cmp.Equal(got, tt.want) {
				t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}
