package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/ui"
)

func checkCommand() command {
	return command{
		name:    "check",
		summary: "Check this home network interactively (asks before any password test).",
		usage:   "[--targets NETWORK] [--plain]",
		example: "porchlight --targets 192.168.1.0/24",
		run:     runCheck,
	}
}

func demoCommand() command {
	return command{
		name:    "demo",
		summary: "Try Porchlight on a built-in simulated household (safe anywhere).",
		usage:   "[--plain] [--scenario home]",
		example: "porchlight demo",
		run:     runDemo,
	}
}

// interactiveFlags are the flags of the two interactive commands.
type interactiveFlags struct {
	targetFlags
	plain bool
}

func (f *interactiveFlags) parse(e *env, c command, args []string) error {
	fs := newFlags(e, c)
	f.register(fs)
	fs.BoolVar(&f.plain, "plain", false, "linear, screen-reader-friendly mode: one question at a time, no drawing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q; run 'porchlight %s --help' for the options.", fs.Arg(0), c.name)
	}
	return nil
}

func runCheck(ctx context.Context, e *env, args []string) error {
	var f interactiveFlags
	if err := f.parse(e, checkCommand(), args); err != nil {
		return err
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	return interactive(ctx, e, &f, opts, false, describeTargets(opts.Targets))
}

// interactive runs the TUI on a terminal, or a plain one-shot scan without one.
func interactive(ctx context.Context, e *env, f *interactiveFlags, opts scan.Options, demo bool, network string) error {
	// The demo's simulated devices never go into the history of a real home.
	store, err := openHistory(f.noHistory || demo)
	if err != nil {
		return err
	}
	if store != nil {
		defer store.Close()
		if r := store.Recovered(); r != nil {
			fmt.Fprintln(e.stderr, "porchlight: "+r.Notice())
		}
	}
	if !e.tty && !f.plain {
		// No terminal: scan once and print plain text. Password tests need
		// consent, which only the demo's own simulated devices imply.
		opts.CheckPasswords = demo
		return plainScan(ctx, e, opts)
	}
	return ui.Run(ctx, ui.Config{
		Scan: opts, Network: network, Demo: demo, Plain: f.plain || !e.tty,
		NoColor: noColor(e), Catalog: opts.Catalog, History: store,
		ToolVersion: version, In: e.stdin, Out: e.stdout,
	})
}

// plainScan runs one scan and prints the readable summary.
func plainScan(ctx context.Context, e *env, opts scan.Options) error {
	events, err := scan.Run(ctx, opts)
	if err != nil {
		return err
	}
	r := report.Collect(ctx, events, nil)
	r.ToolVersion = version
	if opts.Catalog != nil {
		r.VendorsDataDate = opts.Catalog.DataDate
	}
	return r.WriteText(e.stdout)
}

func openHistory(off bool) (*history.Store, error) {
	if off {
		return nil, nil
	}
	path, err := history.DefaultPath()
	if err != nil || path == "" {
		return nil, nil // no config directory: run without history rather than fail
	}
	store, err := history.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the scan history %s: %w (use --no-history to run without it)", path, err)
	}
	return store, nil
}

// describeTargets says in words which networks will be checked.
func describeTargets(ps []netip.Prefix) string {
	if len(ps) == 0 {
		return "the network this computer is connected to"
	}
	return joinPrefixes(ps)
}

// joinPrefixes is the text form of a target list.
func joinPrefixes[T fmt.Stringer](ps []T) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}
