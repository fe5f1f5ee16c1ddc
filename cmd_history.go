package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/porchlight/porchlight/history"
)

func historyCommand() command {
	return command{
		name:    "history",
		summary: "List past scans kept in the history database.",
		usage:   "[--all]",
		example: "porchlight history",
		run:     runHistory,
	}
}

// historyRows is how many scans fit an 80x24 terminal with the header and footer.
const historyRows = 18

func runHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, historyCommand())
	all := fs.Bool("all", false, fmt.Sprintf("list every scan, not just the latest %d", historyRows))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; run 'porchlight history --help' for the options.", fs.Arg(0))
	}
	store, err := openHistory(false)
	if err != nil {
		return err
	}
	if store == nil {
		return fmt.Errorf("no config directory to keep history in; set HOME or XDG_CONFIG_HOME")
	}
	defer store.Close()
	showRecovery(e, store)
	scans, err := store.Scans(ctx)
	if err != nil {
		return err
	}
	printScans(e.stdout, store.Path(), scans, *all)
	return nil
}

// showRecovery tells the user when a damaged history was moved aside.
func showRecovery(e *env, store *history.Store) {
	if r := store.Recovered(); r != nil {
		fmt.Fprintf(e.stderr, "porchlight: %s\n", r.Notice())
	}
}

// printScans lists scans newest first in plain text that fits 80 columns.
func printScans(w io.Writer, path string, scans []history.ScanSummary, all bool) {
	if len(scans) == 0 {
		fmt.Fprintf(w, "No scans kept yet in %s.\nRun 'porchlight' or 'porchlight scan' to make one.\n", path)
		return
	}
	shown := scans
	if !all && len(shown) > historyRows {
		shown = shown[:historyRows]
	}
	fmt.Fprintf(w, "%-17s  %-20s  %7s  %4s  %8s  %5s  %4s\n", "When", "Networks", "Devices", "New", "Problems", "Fixed", "Back")
	for _, sc := range shown {
		fmt.Fprintf(w, "%-17s  %-20s  %7d  %4d  %8d  %5d  %4d\n", scanDate(sc.Finished),
			fit(strings.Join(sc.Targets, ","), 20), sc.Devices, sc.Joined, sc.Open, sc.Fixed, sc.CameBack)
	}
	fmt.Fprintln(w)
	if hidden := len(scans) - len(shown); hidden > 0 {
		fmt.Fprintf(w, "%d older scans not shown; use --all to list them.\n", hidden)
	}
	fmt.Fprintln(w, "New: devices seen for the first time. Back: fixed problems that returned.")
	fmt.Fprintf(w, "Kept in %s\n", fit(path, 70))
}

// scanDate is a scan's time in the local zone, "20 Nov 2026 19:04".
func scanDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Local().Format("2 Jan 2006 15:04")
}

// fit cuts s to n characters, marking the cut with "...".
func fit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
