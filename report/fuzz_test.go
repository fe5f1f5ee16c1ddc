package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoad feeds Load arbitrary bytes. It must never panic; whatever it
// accepts must render in every format, with text lines in 80 columns and
// no script in the HTML. The seeds in testdata/fuzz/FuzzLoad run in every
// plain `go test`.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		`{"schema":"porchlight.scan/v1"}`,
		`{"schema":"porchlight.scan/v1","devices":[{"findings":[{"id":"default-password"}]},null,{}]}`,
		`{"schema":"other"}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrSchema) {
				t.Fatalf("Load error %v does not wrap ErrSchema", err)
			}
			return
		}
		if r.Schema != Schema || len(r.Devices) > maxDevices {
			t.Fatalf("Load accepted schema %q with %d devices", r.Schema, len(r.Devices))
		}
		var text, page, md bytes.Buffer
		if err := r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(text.String(), "\n") {
			if utf8.RuneCountInString(line) > 80 {
				t.Fatalf("text line wider than 80 columns: %q", line)
			}
		}
		if strings.Contains(strings.ToLower(page.String()), "<script") {
			t.Fatalf("HTML contains a script element")
		}
		if !utf8.Valid(md.Bytes()) || !utf8.Valid(page.Bytes()) || !utf8.Valid(text.Bytes()) {
			t.Fatalf("a report is not valid UTF-8")
		}
	})
}

func TestLoadRefuses(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"not json", "<html>"},
		{"other schema", `{"schema":"porchlight.scan/v2"}`},
		{"no schema", `{"devices":[]}`},
		{"too many devices", `{"schema":"porchlight.scan/v1","devices":[` + strings.Repeat(`{},`, maxDevices) + `{}]}`},
		{"too large", `{"schema":"porchlight.scan/v1","notes":["` + strings.Repeat("x", maxReportSize) + `"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(strings.NewReader(tt.in)); !errors.Is(err, ErrSchema) {
				t.Errorf("Load = %v, want ErrSchema", err)
			}
		})
	}
}
