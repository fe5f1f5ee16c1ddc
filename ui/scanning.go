package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
)

// scanScreen shows the scan as it runs: a progress bar, how many devices each
// source has seen, and devices as they are found.
type scanScreen struct {
	s        *session
	bar      progress.Model
	stopping bool
	w, h     int
}

func newScanScreen(s *session) *scanScreen {
	opts := []progress.Option{progress.WithoutPercentage(), progress.WithFillCharacters('#', '.')}
	if !s.styles.Plain {
		opts = []progress.Option{progress.WithoutPercentage(), progress.WithDefaultGradient()}
	}
	return &scanScreen{s: s, bar: progress.New(opts...)}
}

func (sc *scanScreen) SetSize(w, h int) {
	sc.w, sc.h = w, h
	sc.bar.Width = max(w-8, 10)
}

func (sc *scanScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, sc.s.keys.Stop) && !sc.stopping {
		sc.stopping = true
		return sc.s.send(stopScanMsg{})
	}
	return nil
}

func (sc *scanScreen) View() string {
	st, p := sc.s.styles, sc.s.progress
	var lines []string
	title := "Checking " + safe(sc.s.cfg.Network) + "…"
	if sc.stopping {
		title = "Stopping… keeping everything found so far."
	}
	lines = append(lines, st.Heading.Render(cut(title, sc.w)), "")
	frac := 0.0
	if p.HostsTotal > 0 {
		frac = float64(p.HostsDone) / float64(p.HostsTotal)
	}
	lines = append(lines, fmt.Sprintf("%s %3.0f%%", sc.bar.ViewAs(frac), frac*100))
	phase := "Looking for devices"
	if p.Phase == "checking" {
		phase = "Checking the devices found"
	}
	lines = append(lines, fmt.Sprintf("%s: %d of %d addresses done.", phase, p.HostsDone, p.HostsTotal))
	lines = append(lines, sourceCounts(p.Sources), "")
	lines = append(lines, st.Heading.Render(fmt.Sprintf("Found so far: %d", len(sc.s.found))))
	room := sc.h - len(lines) - 1
	lines = append(lines, sc.foundRows(room)...)
	return strings.Join(lines, "\n")
}

// foundRows lists the newest devices that fit in room lines.
func (sc *scanScreen) foundRows(room int) []string {
	if room <= 0 {
		return nil
	}
	keys := sc.s.found
	if len(keys) > room {
		keys = keys[len(keys)-room:]
	}
	rows := make([]string, 0, len(keys))
	for _, k := range keys {
		d := sc.s.devices[k]
		what := strings.TrimSpace(safe(d.dev.Vendor) + " " + safe(d.dev.Model))
		if what == "" {
			what = "not known yet"
		}
		rows = append(rows, "  "+pad(safe(d.dev.IP), 16)+pad(d.shown, 26)+" "+cut(what, max(sc.w-46, 0)))
	}
	return rows
}

// sourceCounts is "Seen by: http 7 · mdns 6 · ssdp 5", busiest first.
func sourceCounts(m map[string]int) string {
	if len(m) == 0 {
		return "Seen by: nothing yet"
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]] != m[names[j]] {
			return m[names[i]] > m[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", safe(n), m[n])
	}
	return "Seen by: " + strings.Join(parts, " · ")
}

func (sc *scanScreen) ShortHelp() []key.Binding {
	return []key.Binding{sc.s.keys.Stop, sc.s.keys.Help}
}

func (sc *scanScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{sc.s.keys.Stop}}
}
