package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

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
	if err := parseFlags(fs, interleave(fs, args)); err != nil {
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
// works. A flag of fs that takes a value ("--vendors FILE") keeps its value with it.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		if takesValue(fs, a) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(flags, rest...)
}

// takesValue reports whether a ("-name" or "--name", no "=value") is a flag
// of fs that reads its value from the next argument: any flag but a boolean.
func takesValue(fs *flag.FlagSet, a string) bool {
	f := fs.Lookup(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}
