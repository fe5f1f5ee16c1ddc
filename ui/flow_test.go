package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/porchlight/porchlight/scan"
)

// screenWaiter reads a teatest program's output and waits, with a deadline,
// for text to appear on the screen.
type screenWaiter struct {
	t  *testing.T
	tm *teatest.TestModel
}

// until waits for cond on the text drawn since the last wait and returns that text.
func (w screenWaiter) until(what string, d time.Duration, cond func(string) bool) string {
	w.t.Helper()
	var seen string
	teatest.WaitFor(w.t, w.tm.Output(), func(b []byte) bool {
		seen = ansi.Strip(string(b))
		return cond(seen)
	}, teatest.WithDuration(d), teatest.WithCheckInterval(20*time.Millisecond))
	if !cond(seen) {
		w.t.Fatalf("waited %v for %s; the screen showed:\n%s", d, what, seen)
	}
	return seen
}

func (w screenWaiter) text(s string, d time.Duration) string {
	w.t.Helper()
	return w.until(strings.TrimSpace(s), d, func(got string) bool { return strings.Contains(got, s) })
}

func (w screenWaiter) keys(keys ...string) {
	for _, k := range keys {
		w.tm.Send(keyMsg(k))
	}
}

var (
	selectedFactory = regexp.MustCompile(`> \d+\. It still takes the factory password`)
	settingsURL     = regexp.MustCompile(`https?://127\.[0-9.]+(:[0-9]+)?/`)
)

// TestFlowAgainstLab walks the whole journey under teatest against the
// loopback lab: consent, scan, overview, the camera's page, its guided fix,
// changing the password as the person would, and the re-check turning green.
func TestFlowAgainstLab(t *testing.T) {
	home := startHome(t)
	var out bytes.Buffer
	s := testSession(labConfig(t, home, "", &out))
	s.runScan, s.recheck = scan.Run, scan.Recheck
	m := newModel(t.Context(), s)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	w := screenWaiter{t, tm}

	w.text("Shall we start?", 5*time.Second)
	w.keys("y")
	overview := w.until("the household overview", 60*time.Second, func(s string) bool {
		return strings.Contains(s, "Porchlight · Your home") && strings.Contains(s, "? help")
	})
	page := openCamera(w, overview)
	choose(w, page, selectedFactory)
	w.keys("enter")
	fix := w.text("Change the factory password", 5*time.Second)
	url := findURL(fix)
	if url == "" {
		t.Fatalf("the guide does not give the camera's settings page:\n%s", fix)
	}
	changePassword(t, url, cameraLogin(t, home), "CircleForkLamb")
	w.keys("enter")
	w.text("Fixed.", 30*time.Second)

	w.keys("esc", "esc", "s")
	w.until("the fix in the summary", 5*time.Second, func(s string) bool {
		return strings.Contains(s, "What you fixed (1)") && strings.Contains(s, "It still takes the factory password")
	})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// openCamera finds the Hikvision camera's row on the overview (drawn whole
// when the scan ends), moves the cursor to it and opens its page.
func openCamera(w screenWaiter, overview string) string {
	w.t.Helper()
	row := cameraRow(overview)
	if row < 0 {
		w.t.Fatalf("no Hikvision camera on the overview:\n%s", overview)
	}
	for range row {
		w.keys("down")
	}
	w.keys("enter")
	return w.until("the camera's page", 5*time.Second, func(s string) bool {
		return strings.Contains(s, "Porchlight · Device") && strings.Contains(s, "Hikvision")
	})
}

// cameraRow is the index of the camera among the overview's device rows.
func cameraRow(overview string) int {
	i := 0
	for _, l := range strings.Split(overview, "\n") {
		if !deviceRow.MatchString(l) {
			continue
		}
		if strings.Contains(l, "Hikvision") && strings.Contains(l, "camera") {
			return i
		}
		i++
	}
	return -1
}

var deviceRow = regexp.MustCompile(`^[> ] (AT RISK|NEEDS ATTENTION|OK) `)

// choose moves down a device's problems until the selected one matches want.
func choose(w screenWaiter, page string, want *regexp.Regexp) {
	w.t.Helper()
	if !strings.Contains(page, "It still takes the factory password") {
		w.t.Fatalf("the camera's page does not list its factory password:\n%s", page)
	}
	for n := 1; !want.MatchString(page); n++ {
		if n == 10 {
			w.t.Fatalf("no problem matching %v on the device page", want)
		}
		w.keys("down")
		// Wait for the selection to reach the next problem.
		page = w.text(fmt.Sprintf("> %d. ", n+1), 5*time.Second)
	}
}

// findURL finds the camera's settings page on the screen, even when the
// guide's line was wrapped in the middle of it.
func findURL(screen string) string {
	if u := settingsURL.FindString(screen); u != "" {
		return u
	}
	return settingsURL.FindString(regexp.MustCompile(`[ \t]*\r?\n[ \t]*`).ReplaceAllString(screen, ""))
}
