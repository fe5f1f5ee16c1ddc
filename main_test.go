package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// runCLI runs the command line with captured output and no terminal.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func TestEverySubcommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, out, _ := runCLI(t, c.name, "--help")
			if code != exitOK {
				t.Fatalf("porchlight %s --help exited %d, want 0", c.name, code)
			}
			for _, want := range []string{c.summary, "Usage: porchlight " + c.name, "Example:", c.example} {
				if !strings.Contains(out, want) {
					t.Errorf("porchlight %s --help lacks %q:\n%s", c.name, want, out)
				}
			}
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	if code != exitOK {
		t.Fatalf("porchlight help exited %d", code)
	}
	for _, c := range commands() {
		if c.name != "check" && !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("porchlight help does not list %q:\n%s", c.name, out)
		}
	}
	if code, out, _ := runCLI(t, "help", "scan"); code != exitOK || !strings.Contains(out, "--check-passwords") {
		t.Errorf("porchlight help scan = %d, %q; want the scan flags", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the one-line error
	}{
		{"public address", []string{"scan", "--targets", "8.8.8.8"}, "not on a private home network"},
		{"network too large", []string{"scan", "--targets", "10.0.0.0/8"}, "too large"},
		{"nonsense target", []string{"scan", "--targets", "nonsense"}, "such as 192.168.1.20"},
		{"unknown flag", []string{"scan", "--bogus"}, "--help"},
		{"unknown command", []string{"frobnicate"}, "porchlight help"},
		{"two formats", []string{"scan", "--targets", "127.0.0.1", "--json", "--html"}, "choose one"},
		{"bad fail-on", []string{"scan", "--targets", "127.0.0.1", "--fail-on", "scary"}, "critical, high"},
		{"missing report", []string{"report", "/nonexistent/scan.json"}, "check the path"},
		{"report without file", []string{"report"}, "give one saved report"},
		{"unknown scenario", []string{"lab", "--scenario", "castle"}, "choose one of"},
		{"lookup nothing", []string{"lookup"}, "say what to look up"},
		{"missing vendors file", []string{"scan", "--targets", "127.0.0.1", "--vendors", "/nonexistent.json"}, "check the path"},
		{"report vendors file after the report", []string{"report", "report/testdata/home.json", "--vendors", "/nonexistent.json"}, "cannot read the vendor data file /nonexistent.json"},
		{"demo with targets", []string{"demo", "--targets", "192.168.1.0/24"}, "simulated household"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("porchlight %s exited %d, want %d (stderr %q)", strings.Join(tt.args, " "), code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("porchlight %s said %q, want it to contain %q", strings.Join(tt.args, " "), stderr, tt.want)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
				t.Errorf("porchlight %s printed %d lines, want one: %q", strings.Join(tt.args, " "), n+1, stderr)
			}
		})
	}
}

func TestReportRejectsNonReport(t *testing.T) {
	path := t.TempDir() + "/x.json"
	if err := os.WriteFile(path, []byte(`{"schema":"something/else"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "report", path)
	if code != exitUsage || !strings.Contains(stderr, "not a Porchlight JSON report") {
		t.Errorf("report on a foreign file = %d %q", code, stderr)
	}
}
