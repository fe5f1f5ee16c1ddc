package ui

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession is a private tmux server running one program at 80x24.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func startTmux(t *testing.T, command ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	s := &tmuxSession{t: t, socket: "pl" + hex.EncodeToString(b[:])}
	home := t.TempDir()
	args := []string{"new-session", "-d", "-x", "80", "-y", "24", "-s", "e2e",
		"-e", "HOME=" + home, "-e", "XDG_CONFIG_HOME=" + home, "-e", "TERM=xterm-256color"}
	s.tmux(append(args, command...)...)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", "e2e") }

// waitFor polls the pane until cond holds or the deadline passes.
func (s *tmuxSession) waitFor(what string, d time.Duration, cond func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	screen := ""
	for time.Now().Before(deadline) {
		if screen = s.screen(); cond(screen) {
			return screen
		}
		<-tick.C
	}
	s.t.Fatalf("waited %v for %s; the screen shows:\n%s", d, what, screen)
	return ""
}

func (s *tmuxSession) waitText(text string, d time.Duration) string {
	s.t.Helper()
	return s.waitFor(text, d, func(sc string) bool { return strings.Contains(sc, text) })
}

// TestDemoEndToEnd drives 'porchlight demo' in tmux as a person would:
// consent, scan, open the camera, follow its guided fix (really changing the
// simulated camera's password over HTTP) and see the re-check pass.
func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the demo")
	}
	bin := filepath.Join(t.TempDir(), "porchlight")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build porchlight: %v\n%s", err, out)
	}
	// The demo serves its own household; this one is only read for the
	// camera's factory login, which is the same scenario data.
	login := cameraLogin(t, startHome(t))

	// The shell keeps the pane open after porchlight exits, to read its exit status.
	s := startTmux(t, "sh", "-c", `"$0" demo --no-history; echo "porchlight exited with $?"; exec cat`, bin)
	s.waitText("Shall we start?", 20*time.Second)
	s.keys("y")
	overview := s.waitFor("the household overview", 90*time.Second, func(sc string) bool {
		return strings.Contains(sc, "Porchlight · Your home") && strings.Contains(sc, "Hikvision")
	})
	row := cameraRow(overview)
	if row < 0 {
		t.Fatalf("no camera row on the overview:\n%s", overview)
	}
	for range row {
		s.keys("Down")
	}
	s.keys("Enter")
	s.waitFor("the camera's page", 10*time.Second, func(sc string) bool {
		return strings.Contains(sc, "Porchlight · Device") && strings.Contains(sc, "Hikvision")
	})
	// Move down the problems until the factory password is selected,
	// waiting each time for the selection to reach the next number.
	for n := 1; !selectedFactory.MatchString(s.screen()); n++ {
		if n == 10 {
			t.Fatalf("the factory password problem never got selected:\n%s", s.screen())
		}
		s.keys("Down")
		s.waitText(fmt.Sprintf("> %d. ", n+1), 5*time.Second)
	}
	s.keys("Enter")
	fix := s.waitText("Change the factory password", 10*time.Second)
	url := findURL(fix)
	if url == "" {
		t.Fatalf("the guide does not show the camera's settings page:\n%s", fix)
	}
	changePassword(t, url, login, "CircleForkLamb")
	s.keys("Enter")
	s.waitText("Fixed.", 60*time.Second)
	s.keys("q")
	end := s.waitFor("porchlight to exit", 20*time.Second, func(sc string) bool {
		return strings.Contains(sc, "porchlight exited with")
	})
	if !strings.Contains(end, "Porchlight: We found") || !strings.Contains(end, "porchlight exited with 0") {
		t.Errorf("porchlight did not end with its summary and status 0:\n%s", end)
	}
}
