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
		usage:   "FILE [--markdown|--html|--text]",
		example: "porchlight report scan.json --html > household.html",
		run:     runReport,
	}
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, reportCommand())
	var f scanFlags
	fs.BoolVar(&f.markdown, "markdown", false, "print Markdown (the default)")
	fs.BoolVar(&f.html, "html", false, "print a self-contained HTML page")
	text := fs.Bool("text", false, "print the plain-text summary (80 columns)")
	fs.StringVar(&f.vendors, "vendors", "", "word the advice from an updated vendor data file")
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
	if *text && format != "text" {
		return usagef("choose one of --markdown, --html or --text.")
	}
	cat, err := f.catalog()
	if err != nil {
		return err
	}
	file, err := os.Open(fs.Arg(0))
	if errors.Is(err, os.ErrNotExist) {
		return usagef("there is no file %s; check the path (make one with 'porchlight scan --json > scan.json').", fs.Arg(0))
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", fs.Arg(0), err)
	}
	defer file.Close()
	r, err := report.Load(file)
	if errors.Is(err, report.ErrSchema) {
		return usagef("%s is not a Porchlight JSON report; make one with 'porchlight scan --json > scan.json'.", fs.Arg(0))
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", fs.Arg(0), err)
	}
	r.Catalog = cat
	if format == "text" && !*text {
		format = "markdown"
	}
	return writeReport(e.stdout, r, format)
}

// interleave moves flags before positional arguments, so "report FILE --html"
// works. A flag that takes a value ("--vendors FILE") keeps its value with it.
func interleave(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "--vendors" || a == "-vendors") && i+1 < len(args):
			flags = append(flags, a, args[i+1])
			i++
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}
