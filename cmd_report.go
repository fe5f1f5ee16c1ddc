package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/porchlight/porchlight/report"
)

func reportCommand() command {
	return command{
		name:    "report",
		summary: "Turn a saved JSON report into Markdown or HTML.",
		usage:   "FILE [--markdown|--html]",
		example: "porchlight report scan.json --html > household.html",
		run:     runReport,
	}
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, reportCommand())
	var f scanFlags
	fs.BoolVar(&f.markdown, "markdown", false, "print Markdown (the default)")
	fs.BoolVar(&f.html, "html", false, "print a self-contained HTML page")
	if err := parseFlags(fs, interleave(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give one saved report, such as: porchlight report scan.json --html.")
	}
	format, err := f.format()
	if err != nil {
		return err
	}
	file, err := os.Open(fs.Arg(0))
	if err != nil {
		return usagef("cannot open %s; check the path (make one with 'porchlight scan --json > scan.json').", fs.Arg(0))
	}
	defer file.Close()
	r, err := report.Load(file)
	if errors.Is(err, report.ErrSchema) {
		return usagef("%s is not a Porchlight JSON report; make one with 'porchlight scan --json > scan.json'.", fs.Arg(0))
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", fs.Arg(0), err)
	}
	if format == "text" {
		format = "markdown"
	}
	return writeReport(e.stdout, r, format)
}

// interleave moves flags before positional arguments, so "report FILE --html" works.
func interleave(args []string) []string {
	var flags, rest []string
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
		} else {
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}
