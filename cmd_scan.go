package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
)

func scanCommand() command {
	return command{
		name:    "scan",
		summary: "Check the network without questions and print a report (for scripts and helpdesks).",
		usage:   "[--targets NETWORK] [--json|--markdown|--html] [--check-passwords] [--fail-on SEVERITY]",
		example: "porchlight scan --targets 192.168.1.0/24 --check-passwords --json > report.json",
		run:     runScan,
	}
}

type scanFlags struct {
	targetFlags
	json, markdown, html bool
	checkPasswords       bool
	failOn               string
	discoverOnly         bool
}

func runScan(ctx context.Context, e *env, args []string) error {
	var f scanFlags
	fs := newFlags(e, scanCommand())
	f.register(fs)
	fs.BoolVar(&f.json, "json", false, "print the porchlight.scan/v1 JSON report")
	fs.BoolVar(&f.markdown, "markdown", false, "print a Markdown report")
	fs.BoolVar(&f.html, "html", false, "print a self-contained HTML report")
	fs.BoolVar(&f.checkPasswords, "check-passwords", false, "consent to try each device's documented factory login (a handful of tries, spaced out)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit with code 3 if a finding is at this severity or worse: critical, high, medium, low or info")
	fs.BoolVar(&f.discoverOnly, "discover-only", false, "advanced: only find devices, with no banners, descriptions or checks (for benchmarks)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; give targets with --targets, e.g. --targets 192.168.1.0/24.", fs.Arg(0))
	}
	format, err := f.format()
	if err != nil {
		return err
	}
	if f.failOn != "" && severityRank(f.failOn) < 0 {
		return usagef("--fail-on takes critical, high, medium, low or info, not %q.", f.failOn)
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	opts.CheckPasswords = f.checkPasswords
	opts.DiscoverOnly = f.discoverOnly
	events, err := scan.Run(ctx, opts)
	if err != nil {
		return err
	}
	// For a person (text output), results appear as they arrive: one line per
	// device on stderr, so stdout stays the report alone. Machine formats stay quiet.
	var onEvent func(scan.Event)
	if format == "text" {
		onEvent = progressPrinter(e.stderr)
	}
	r := report.Collect(ctx, events, onEvent)
	r.ToolVersion = version
	r.VendorsDataDate = opts.Catalog.DataDate
	nameDevices(ctx, f.noHistory, r)
	if err := writeReport(e.stdout, r, format); err != nil {
		return err
	}
	if r.Interrupted && ctx.Err() != nil {
		return ctx.Err()
	}
	if err := saveHistory(ctx, e, f.noHistory, r); err != nil {
		return err
	}
	return failOn(r, f.failOn)
}

// format picks one output format; text when none is given.
func (f *scanFlags) format() (string, error) {
	n := 0
	format := "text"
	for name, on := range map[string]bool{"json": f.json, "markdown": f.markdown, "html": f.html} {
		if on {
			n++
			format = name
		}
	}
	if n > 1 {
		return "", usagef("choose one of --json, --markdown or --html.")
	}
	return format, nil
}

func writeReport(w io.Writer, r *report.Report, format string) error {
	switch format {
	case "json":
		return r.WriteJSON(w)
	case "markdown":
		return r.WriteMarkdown(w)
	case "html":
		return r.WriteHTML(w)
	}
	return r.WriteText(w)
}

// progressPrinter returns an event handler that prints one plain line per
// device found, per finding, and per note, for a person watching stderr.
// Device strings are already cleaned by scan.
func progressPrinter(w io.Writer) func(scan.Event) {
	checked := map[string]bool{} // device keys already reported as checked
	return func(ev scan.Event) {
		switch ev := ev.(type) {
		case scan.DeviceFound:
			fmt.Fprintf(w, "found %s\n", deviceLine(ev.Device))
		case scan.DeviceUpdated:
			if ev.Device.Checked && !checked[ev.Device.Key] {
				checked[ev.Device.Key] = true
				fmt.Fprintf(w, "checked %s: %d finding(s)\n", deviceLine(ev.Device), len(ev.Device.Findings))
			}
		case scan.Note:
			fmt.Fprintf(w, "note: %s\n", ev.Text)
		case scan.Done:
			fmt.Fprintf(w, "scan finished in %s\n", ev.Finished.Sub(ev.Started).Round(100*time.Millisecond))
		}
	}
}

// deviceLine is "192.168.1.20 Hikvision DS-2CD2042WD-I (camera)", leaving out what is unknown.
func deviceLine(d scan.Device) string {
	parts := []string{d.IP}
	for _, s := range []string{d.Vendor, d.Model} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if d.Type != "" && d.Type != "unknown" {
		parts = append(parts, "("+d.Type+")")
	}
	return strings.Join(parts, " ")
}

// severityRank orders severities, worst highest; -1 for an unknown word.
func severityRank(s string) int {
	for i, name := range []string{scan.Info, scan.Low, scan.Medium, scan.High, scan.Critical} {
		if s == name {
			return i
		}
	}
	return -1
}

// failOn returns a findingsError when any finding reaches the threshold.
func failOn(r *report.Report, threshold string) error {
	if threshold == "" {
		return nil
	}
	limit, n := severityRank(threshold), 0
	for _, d := range r.Devices {
		for _, f := range d.Findings {
			if severityRank(f.Severity) >= limit {
				n++
			}
		}
	}
	if n > 0 {
		return &findingsError{count: n, severity: threshold}
	}
	return nil
}
