package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/report"
)

// saveHistory stores a finished scan in the history database and tells the
// user on stderr what changed since the last one. It does nothing with
// --no-history, and does not store a scan that stopped early (its missing
// devices and checks would read as changes). The report on stdout is never
// touched, so --json output stays clean.
func saveHistory(ctx context.Context, e *env, noHistory bool, r *report.Report) error {
	_, err := recordScan(ctx, e, noHistory, r)
	return err
}

// recordScan is saveHistory, returning what changed (nil when nothing was saved).
func recordScan(ctx context.Context, e *env, noHistory bool, r *report.Report) (*history.Changes, error) {
	if noHistory || r == nil {
		return nil, nil
	}
	if r.Interrupted {
		fmt.Fprintln(e.stderr, "porchlight: the scan stopped early, so it was not added to the history.")
		return nil, nil
	}
	store, err := openHistory(false)
	if err != nil || store == nil {
		return nil, err
	}
	defer store.Close()
	showRecovery(e, store)
	ch, err := store.SaveScan(ctx, history.ScanRecord{
		Started: r.Started, Finished: r.Finished, Targets: r.Targets,
		Devices: r.Devices, ToolVersion: r.ToolVersion,
	})
	if err != nil {
		return nil, fmt.Errorf("save the scan to the history: %w (use --no-history to run without it)", err)
	}
	fmt.Fprintln(e.stderr, changesLine(ch))
	return &ch, nil
}

// changesLine is one sentence on what changed since the last scan, or "".
func changesLine(ch history.Changes) string {
	if ch.First {
		return "porchlight: this is the first scan in the history; next time it will show what changed."
	}
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, one)
		case n > 1:
			parts = append(parts, fmt.Sprintf(many, n))
		}
	}
	add(len(ch.Joined), "1 new device", "%d new devices")
	add(len(ch.Opened), "1 new problem", "%d new problems")
	add(len(ch.CameBack), "1 problem came back", "%d problems came back")
	add(len(ch.Fixed), "1 problem fixed", "%d problems fixed")
	if len(parts) == 0 {
		return "porchlight: nothing has changed since the last scan."
	}
	return "porchlight: since the last scan: " + strings.Join(parts, ", ") + "."
}

// nameDevices fills r.Names with the names the household gave its devices
// (from the history), so a report says "kitchen camera" beside what each
// device is. Names are a courtesy: without a history, or on any error, the
// report simply has none.
func nameDevices(ctx context.Context, noHistory bool, r *report.Report) {
	if noHistory || r == nil || len(r.Devices) == 0 {
		return
	}
	path, err := history.DefaultPath()
	if err != nil || !exists(path) {
		return // never create a history just to read names from it
	}
	store, err := history.Open(path)
	if err != nil {
		return
	}
	defer store.Close()
	known, err := store.Lookup(ctx, r.Devices)
	if err != nil {
		return
	}
	for key, k := range known {
		if k.Name == "" {
			continue
		}
		if r.Names == nil {
			r.Names = map[string]string{}
		}
		r.Names[key] = k.Name
	}
}
