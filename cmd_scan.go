package main

import (
	"context"
	"io"

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
	events, err := scan.Run(ctx, opts)
	if err != nil {
		return err
	}
	r := report.Collect(ctx, events, nil)
	r.ToolVersion = version
	r.VendorsDataDate = opts.Catalog.DataDate
	if err := writeReport(e.stdout, r, format); err != nil {
		return err
	}
	if r.Interrupted && ctx.Err() != nil {
		return ctx.Err()
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
	}
	return r.WriteText(w)
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
