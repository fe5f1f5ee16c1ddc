// Package ui is Porchlight's interactive terminal program (Bubble Tea): the
// consent screen, the live scan, the household overview, device pages,
// guided fixes with re-checks, and the summary. Config.Plain gives a linear
// question-and-answer mode for screen readers instead.
package ui

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// Config is everything the interactive program needs; main builds it.
type Config struct {
	// Scan is the scan to run; CheckPasswords is decided on the consent screen.
	Scan scan.Options
	// Network describes what will be scanned, in words ("192.168.1.0/24 on wlan0").
	Network string
	// Demo marks a run against the built-in simulated household.
	Demo bool
	// Plain is the linear, screen-reader-friendly question-and-answer mode.
	Plain bool
	// NoColor turns colour off (NO_COLOR, or a dumb terminal).
	NoColor bool
	Catalog *vendors.Catalog
	// History is the scan database, or nil when history is off.
	History *history.Store
	// ToolVersion goes into saved reports.
	ToolVersion string
	In          io.Reader
	Out         io.Writer
}

// finalSaveTime bounds the work Run does after the program ends (draining a
// stopped scan, saving history), so quitting is never slow.
const finalSaveTime = 10 * time.Second

// Run runs the interactive program until the user quits or ctx ends. What
// was found is kept whatever way it ends: the scan is stopped and drained,
// the history saved, and a one-paragraph summary printed.
func Run(ctx context.Context, cfg Config) error { return run(ctx, cfg, nil) }

// run is Run; adjust, when not nil, changes the session before it starts
// (tests swap in their own event source).
func run(ctx context.Context, cfg Config, adjust func(*session)) error {
	if cfg.Catalog == nil {
		cfg.Catalog = cfg.Scan.Catalog
	}
	now := time.Now()
	if cfg.Scan.Now != nil {
		now = cfg.Scan.Now()
	}
	rng, err := newRand()
	if err != nil {
		return err
	}
	renderer := lipgloss.NewRenderer(cfg.Out)
	s := newSession(cfg, NewStyles(renderer, cfg.NoColor || cfg.Plain), rng, now)
	if adjust != nil {
		adjust(s)
	}
	if cfg.Plain {
		return runPlain(ctx, s)
	}
	m := newModel(ctx, s)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(cfg.In), tea.WithOutput(cfg.Out), tea.WithAltScreen())
	_, runErr := p.Run()
	m.finish()
	saveErr := saveHistory(s)
	printSummary(cfg.Out, s)
	switch {
	case errors.Is(runErr, tea.ErrProgramPanic):
		return fmt.Errorf("the screen program crashed (your terminal has been restored): %w", runErr)
	case errors.Is(runErr, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ctx.Err()
	case runErr != nil:
		return fmt.Errorf("run the screen program: %w", runErr)
	}
	return saveErr
}

// newRand makes the generator for passphrase suggestions, seeded from the
// system's secure random source.
func newRand() (*rand.Rand, error) {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("seed passphrase suggestions: %w", err)
	}
	return rand.New(rand.NewChaCha8(seed)), nil
}

// finish runs after the program has ended: it stops a running scan and takes
// in every event the screens had not shown yet.
func (m *Model) finish() {
	m.stopScan()
	if m.feed == nil {
		return
	}
	select {
	case <-m.feed.done:
	case <-time.After(finalSaveTime):
		// A scan that ignores cancellation must not hang the exit; keep what arrived.
	}
	evs, _, _ := m.feed.since(m.consumed, 1<<30)
	for _, ev := range evs {
		m.s.apply(ev)
	}
	m.consumed += len(evs)
	m.s.resort()
}

// saveHistory remembers the scan, once, when there is a history and a scan ran.
func saveHistory(s *session) error {
	st := s.cfg.History
	if st == nil || len(s.order) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), finalSaveTime)
	defer cancel()
	_, err := st.SaveScan(ctx, history.ScanRecord{
		Started: s.started, Finished: s.finished, Targets: s.targets,
		Devices: s.deviceList(), ToolVersion: s.cfg.ToolVersion,
	})
	if err != nil {
		return fmt.Errorf("save this check to the history: %w", err)
	}
	return nil
}

// printSummary leaves a short record on the terminal after the screen closes.
func printSummary(w io.Writer, s *session) {
	if len(s.order) == 0 && !s.scanDone {
		return
	}
	fmt.Fprintln(w, "Porchlight: "+s.household)
	if n := len(s.fixed); n > 0 {
		fmt.Fprintf(w, "You fixed %d problem(s) in this session.\n", n)
	}
}
