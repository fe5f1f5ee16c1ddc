package ui

import (
	"context"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
)

// Every piece of I/O the program does is one of these small commands; Update
// and View never touch the network, the disk or the clock.

// scanStartedMsg carries the feed of a scan that has begun.
type scanStartedMsg struct{ feed *feed }

// scanFailedMsg means the scan could not start.
type scanFailedMsg struct{ err error }

// eventsMsg is a batch of scan events, from feed index from up to next;
// closed means the scan's stream has ended after them.
type eventsMsg struct {
	events     []scan.Event
	from, next int
	closed     bool
}

// recheckMsg is the result of checking one device again after a fix.
type recheckMsg struct {
	before    scan.Device
	after     scan.Device
	findingID string
	service   string
	err       error
}

// savedMsg is the result of saving a report.
type savedMsg struct {
	path string
	err  error
}

// namedMsg is the result of remembering a device's name in history.
type namedMsg struct{ err error }

// knownMsg carries the names history remembers for the devices found.
type knownMsg struct{ names map[string]string }

// startScanCmd starts the scan and the feed that keeps its events.
func startScanCmd(ctx context.Context, run func(context.Context, scan.Options) (<-chan scan.Event, error), opts scan.Options) tea.Cmd {
	return func() tea.Msg {
		events, err := run(ctx, opts)
		if err != nil {
			return scanFailedMsg{err}
		}
		return scanStartedMsg{startFeed(events)}
	}
}

// maxBatch caps how many ready events go into one message, so a big scan
// redraws a few times a second rather than once per event.
const maxBatch = 64

// nextEventsCmd waits for the next scan events after index from (taking any
// others already waiting, up to maxBatch). The root model re-arms it after
// each batch until the stream ends.
func nextEventsCmd(f *feed, from int) tea.Cmd {
	return func() tea.Msg {
		evs, end := f.next(from, maxBatch)
		return eventsMsg{events: evs, from: from, next: from + len(evs), closed: end}
	}
}

// recheckCmd checks one device again after the person says they fixed something.
func recheckCmd(ctx context.Context, recheck func(context.Context, scan.Device, scan.Options) (scan.Device, error),
	dev scan.Device, opts scan.Options, findingID, service string) tea.Cmd {
	return func() tea.Msg {
		after, err := recheck(ctx, dev, opts)
		return recheckMsg{before: dev, after: after, findingID: findingID, service: service, err: err}
	}
}

// reportFormat is a kind of report file.
type reportFormat struct {
	name  string // "JSON"
	ext   string // ".json"
	write func(*report.Report, *os.File) error
}

// saveReportCmd writes the report to path, refusing to overwrite a file.
func saveReportCmd(r *report.Report, path string, f reportFormat) tea.Cmd {
	return func() tea.Msg {
		return savedMsg{path: path, err: writeReport(r, path, f)}
	}
}

func writeReport(r *report.Report, path string, f reportFormat) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := f.write(r, out); err != nil {
		out.Close()
		return fmt.Errorf("write %s report to %s: %w", f.name, path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}

// renameCmd remembers the person's name for a device in history.
func renameCmd(ctx context.Context, store *history.Store, dev scan.Device, name string) tea.Cmd {
	return func() tea.Msg {
		_, err := store.Rename(ctx, dev, name)
		return namedMsg{err}
	}
}

// lookupNamesCmd fetches the names history remembers for these devices.
func lookupNamesCmd(ctx context.Context, store *history.Store, devs []scan.Device) tea.Cmd {
	return func() tea.Msg {
		known, err := store.Lookup(ctx, devs)
		if err != nil {
			return knownMsg{}
		}
		names := map[string]string{}
		for key, k := range known {
			if k.Name != "" {
				names[key] = k.Name
			}
		}
		return knownMsg{names}
	}
}
