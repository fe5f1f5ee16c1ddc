package ui

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/lab"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// startHome serves the home scenario on loopback for one test.
func startHome(t *testing.T) *lab.Lab {
	t.Helper()
	home, err := lab.StartLoopback(t.Context(), lab.Options{Scenario: "home"})
	if err != nil {
		t.Fatalf("start the loopback lab: %v", err)
	}
	t.Cleanup(func() { home.Close() })
	return home
}

// labConfig scans only the lab: never a real network from a test.
func labConfig(t *testing.T, home *lab.Lab, in string, out *bytes.Buffer) Config {
	t.Helper()
	cat, err := vendors.Embedded()
	if err != nil {
		t.Fatalf("load the vendor catalogue: %v", err)
	}
	return Config{
		Scan:    scan.Options{Targets: home.Targets(), Catalog: cat, Timeout: 60 * time.Second},
		Network: "the simulated household", Demo: true, Catalog: cat, ToolVersion: "test",
		In: strings.NewReader(in), Out: out,
	}
}

// cameraLogin is the camera's factory login, from the lab's own description.
func cameraLogin(t *testing.T, home *lab.Lab) lab.Login {
	t.Helper()
	for _, d := range home.Devices() {
		if d.Type != "camera" || d.MakerID != "hikvision" {
			continue
		}
		for _, l := range d.Logins {
			if l.Default {
				return l
			}
		}
	}
	t.Fatal("the lab has no Hikvision camera with a factory login")
	return lab.Login{}
}

// changePassword does what the guide asks, as the person would: log in to
// the camera's settings page with the factory login and set a new password.
func changePassword(t *testing.T, settings string, login lab.Login, newPassword string) {
	t.Helper()
	u, err := url.JoinPath(settings, "password")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"new_password": {newPassword}, "confirm_password": {newPassword}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(login.User, login.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("change the camera's password: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("change the camera's password at %s: %s", u, resp.Status)
	}
}

func TestPlainAgainstLab(t *testing.T) {
	home := startHome(t)
	var out bytes.Buffer
	// yes to the password test, then the summary, then no report.
	cfg := labConfig(t, home, "yes\n3\nb\ns\n\n", &out)
	cfg.Plain = true
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	if err := Run(ctx, cfg); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	got := out.String()
	t.Log(got)
	for _, want := range []string{"Shall we also try the factory passwords?", "Hikvision", "AT RISK", "What you fixed (0)"} {
		if !strings.Contains(got, want) {
			t.Errorf("plain transcript lacks %q", want)
		}
	}
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("plain transcript has escape or bell characters")
	}
	if strings.Contains(got, cameraLogin(t, home).Password) && !strings.Contains(got, "12345678") {
		t.Errorf("plain transcript shows the camera's factory password")
	}
}

// TestPlainFix walks the plain conversation through a fix with events made
// from the home fixture: the camera's factory password, fixed on re-check,
// then a report saved.
func TestPlainFix(t *testing.T) {
	evs := homeEvents(t)
	dir := t.TempDir()
	path := dir + "/home.json"
	var out bytes.Buffer
	// yes; device 1 (the camera); problem 1; done; back from the result;
	// back to the list; summary; save.
	in := "yes\n1\n1\n\n\nb\ns\n" + path + "\n"
	cfg := Config{Network: "192.168.1.0/24", Plain: true, In: strings.NewReader(in), Out: &out, ToolVersion: "test",
		Scan: scan.Options{Now: func() time.Time { return scanDay }}}
	rechecks := 0
	err := run(t.Context(), cfg, func(s *session) {
		s.runScan = func(context.Context, scan.Options) (<-chan scan.Event, error) {
			ch := make(chan scan.Event, len(evs))
			for _, e := range evs {
				ch <- e
			}
			close(ch)
			return ch, nil
		}
		s.recheck = func(_ context.Context, d scan.Device, opts scan.Options) (scan.Device, error) {
			rechecks++
			if !opts.CheckPasswords {
				t.Error("re-check without the consent given at the start")
			}
			return withoutFinding(d, scan.FindDefaultPassword), nil
		}
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"1. AT RISK: Front door", "Change the factory password", "1. Open a web browser and go to http://192.168.1.20/",
		"Fixed. We checked again", "What you fixed (1)", "Front door: It still takes the factory password", "Saved the report to " + path,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
	if rechecks != 1 {
		t.Errorf("%d re-checks, want 1", rechecks)
	}
	// Piped input is not echoed by a terminal, so the transcript repeats each
	// answer after its question and the next question starts a new line.
	if !strings.Contains(got, "Type yes, no, or q to quit: yes\n") {
		t.Errorf("transcript does not show the answer after the consent question:\n%s", got)
	}
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(saved), `"schema": "porchlight.scan/v1"`) {
		t.Errorf("saved report is not a porchlight.scan/v1 JSON report")
	}
}
