package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
)

// privateConfig points the user's config directory at a temporary one, so
// the history database of these tests is their own.
func privateConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("AppData", dir)
	return filepath.Join(dir, "porchlight", "history.db")
}

func homeReport(t *testing.T) *report.Report {
	t.Helper()
	f, err := os.Open("report/testdata/home.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := report.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fitsTerminal(t *testing.T, what, out string) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("%s line %d is %d columns: %q", what, i+1, n, line)
		}
	}
}

// TestHistoryCommand saves three scans the way `porchlight scan` does and
// lists them with `porchlight history`.
func TestHistoryCommand(t *testing.T) {
	path := privateConfig(t)
	code, out, _ := runCLI(t, "history")
	if code != exitOK || !strings.Contains(out, "No scans kept yet") {
		t.Fatalf("history on an empty database = %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "version")
	if code != exitOK || !strings.Contains(out, "history: "+path) {
		t.Errorf("version = %d, %q; want the database path %s", code, out, path)
	}

	var notes []string
	for i := range 3 {
		r := homeReport(t)
		r.Finished = r.Finished.Add(time.Duration(i) * 24 * time.Hour)
		if i == 1 { // the camera's password was changed
			fixCamera(r)
		}
		var errOut strings.Builder
		e := &env{stdout: &strings.Builder{}, stderr: &errOut, getenv: os.Getenv}
		if err := saveHistory(t.Context(), e, false, r); err != nil {
			t.Fatalf("saveHistory %d: %v", i, err)
		}
		notes = append(notes, strings.TrimSpace(errOut.String()))
	}
	want := []string{
		"porchlight: this is the first scan in the history; next time it will show what changed.",
		"porchlight: since the last scan: 1 problem fixed.",
		"porchlight: since the last scan: 1 problem came back.",
	}
	for i := range want {
		if notes[i] != want[i] {
			t.Errorf("scan %d said %q, want %q", i+1, notes[i], want[i])
		}
	}

	code, out, _ = runCLI(t, "history")
	if code != exitOK {
		t.Fatalf("history exited %d", code)
	}
	fitsTerminal(t, "history", out)
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "192.168.1.0/24") {
			rows++
			if f := strings.Fields(line); f[len(f)-5] != "11" {
				t.Errorf("row %q: want 11 devices", line)
			}
		}
	}
	if rows != 3 {
		t.Errorf("history lists %d scans, want 3:\n%s", rows, out)
	}
}

func fixCamera(r *report.Report) {
	for i, d := range r.Devices {
		if d.Model != "DS-2CD2042WD-I" {
			continue
		}
		var kept []scan.Finding
		for _, f := range d.Findings {
			if f.ID != scan.FindDefaultPassword {
				kept = append(kept, f)
			}
		}
		r.Devices[i].Findings = kept
		r.Devices[i].PSTI.Passwords = scan.Pass
	}
}

// TestNameDevices: names given in the history appear in reports.
func TestNameDevices(t *testing.T) {
	path := privateConfig(t)
	r := homeReport(t)
	nameDevices(t.Context(), false, r)
	if _, err := os.Stat(path); err == nil || len(r.Names) != 0 {
		t.Fatalf("nameDevices created a history or found names (%v) without one", r.Names)
	}
	store, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Rename(t.Context(), r.Devices[1], "front door camera"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	nameDevices(t.Context(), false, r)
	var md strings.Builder
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), `## front door camera \(Hikvision DS-2CD2042WD-I\)`) {
		t.Errorf("the report does not use the name: %v", r.Names)
	}
}

func TestSaveHistorySkips(t *testing.T) {
	path := privateConfig(t)
	r := homeReport(t)
	e := &env{stdout: &strings.Builder{}, stderr: &strings.Builder{}, getenv: os.Getenv}
	if err := saveHistory(t.Context(), e, true, r); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("--no-history created %s", path)
	}
	r.Interrupted = true
	if err := saveHistory(t.Context(), e, false, r); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("an interrupted scan was saved to %s", path)
	}
}

// TestReportCommand renders a saved JSON report in each format.
func TestReportCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"markdown by default", []string{"report", "report/testdata/home.json"}, "# Porchlight report: your home network"},
		{"markdown", []string{"report", "report/testdata/home.json", "--markdown"}, "| Device | Address | Verdict | Problems |"},
		{"html", []string{"report", "--html", "report/testdata/home.json"}, "<!DOCTYPE html>"},
		{"text", []string{"report", "report/testdata/home.json", "--text"}, "AT RISK: Hikvision DS-2CD2042WD-I"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != exitOK || !strings.Contains(out, tt.want) {
				t.Errorf("porchlight %s = %d (%s), output lacks %q", strings.Join(tt.args, " "), code, errOut, tt.want)
			}
		})
	}
	code, _, errOut := runCLI(t, "report", "no-such-file.json")
	if code != exitUsage || !strings.Contains(errOut, "there is no file no-such-file.json") {
		t.Errorf("report of a missing file = %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "report", "report/testdata/home.json", "--html", "--text")
	if code != exitUsage {
		t.Errorf("report --html --text = %d, %q; want a usage error", code, errOut)
	}
}
