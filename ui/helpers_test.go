package ui

import (
	"context"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
)

// -update rewrites the golden files. teatest's golden package already
// defines the flag; define it only when it does not.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// scanDay is when the home fixture was scanned.
var scanDay = time.Date(2026, 11, 20, 19, 4, 21, 0, time.UTC)

// homeReport is the home scenario as a scan reports it; the advice package's
// fixture is the one source of it.
func homeReport(t testing.TB) *report.Report {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "advice", "testdata", "home.json"))
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

// homeEvents are the events a scan of the home scenario streams.
func homeEvents(t testing.TB) []scan.Event {
	r := homeReport(t)
	evs := []scan.Event{scan.Progress{Sources: map[string]int{}, HostsTotal: 256, Phase: "discovering"}}
	for i, d := range r.Devices {
		found := d
		found.Findings, found.Checked = nil, false
		evs = append(evs, scan.DeviceFound{Device: found})
		evs = append(evs, scan.Progress{Sources: map[string]int{"neighbour": i + 1, "mdns": (i + 1) / 2, "ssdp": (i + 1) / 3},
			HostsDone: (i + 1) * 256 / len(r.Devices), HostsTotal: 256, Phase: "checking"})
		evs = append(evs, scan.DeviceUpdated{Device: d})
	}
	return append(evs, scan.Done{Started: r.Started, Finished: r.Finished, Targets: r.Targets})
}

// testSession is a session with no colour, a fixed date and a seeded
// passphrase generator, so screens render the same every time.
func testSession(cfg Config) *session {
	if cfg.Network == "" {
		cfg.Network = "192.168.1.0/24"
	}
	styles := NewStyles(lipgloss.NewRenderer(os.Stdout), true)
	s := newSession(cfg, styles, rand.New(rand.NewPCG(7, 11)), scanDay)
	s.runScan = func(context.Context, scan.Options) (<-chan scan.Event, error) {
		panic("test did not provide a scan") // never scan a real network from a test
	}
	s.recheck = func(context.Context, scan.Device, scan.Options) (scan.Device, error) {
		panic("test did not provide a re-check")
	}
	return s
}

// testModel is a root model at size w x h.
func testModel(t testing.TB, w, h int) *Model {
	m := newModel(t.Context(), testSession(Config{}))
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// feedAll applies events to the model as the feed would deliver them.
func feedAll(m *Model, evs []scan.Event) {
	f := &feed{wake: make(chan struct{}), done: make(chan struct{}), events: evs, closed: true}
	close(f.done)
	m.feed = f
	m.active = screenScan
	m.Update(eventsMsg{events: evs, from: 0, next: len(evs), closed: true})
}

// scannedModel is a model that has finished scanning the home scenario.
func scannedModel(t testing.TB, w, h int) *Model {
	m := testModel(t, w, h)
	feedAll(m, homeEvents(t))
	return m
}

// press sends keys to the model the way Bubble Tea would, running any
// command that answers at once (navigation) and feeding its message back.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		deliver(m, keyMsg(k))
	}
}

func deliver(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	for i := 0; cmd != nil && i < 10; i++ {
		next := drain(cmd)
		if next == nil {
			return
		}
		_, cmd = m.Update(next)
	}
}

// drain runs a command if it is one of ours that answers at once; commands
// that block (blinking cursors, scans) are dropped.
func drain(cmd tea.Cmd) tea.Msg {
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if _, ok := msg.(tea.BatchMsg); ok {
			return nil
		}
		return msg
	case <-time.After(2 * time.Second):
		return nil
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// plainView is the model's frame with any escape sequences removed.
func plainView(m *Model) string { return ansi.Strip(m.View()) }

// golden compares got with testdata/<test name>/<name>.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", strings.Split(t.Name(), "/")[0], name+".golden")
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file %s (run go test -update and review the diff):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}
