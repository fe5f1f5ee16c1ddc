package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/lab"
)

func labCommand() command {
	return command{
		name:    "lab",
		summary: "Serve a simulated household for a class or for tests, until Ctrl-C.",
		usage:   "[--scenario home|classroom|hostile|large] [--state FILE] [--netns]",
		example: "porchlight lab --scenario classroom --state class.json",
		run:     runLab,
	}
}

func runLab(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, labCommand())
	scenario := fs.String("scenario", "home", "which household: "+strings.Join(lab.Scenarios(), ", "))
	state := fs.String("state", "", "keep device changes (passwords, firmware) in this file across runs")
	netns := fs.Bool("netns", false, "put each device in its own network namespace with real ports and multicast (Linux, root)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !slices.Contains(lab.Scenarios(), *scenario) {
		return usagef("there is no scenario %q; choose one of %s.", *scenario, strings.Join(lab.Scenarios(), ", "))
	}
	opts := lab.Options{Scenario: *scenario, StatePath: *state}
	start := lab.StartLoopback
	if *netns {
		_ = lab.CleanupStale() // namespaces of labs that crashed
		start = lab.StartNetns
	}
	l, err := start(ctx, opts)
	if err != nil {
		return labStartError(*scenario, err)
	}
	defer l.Close()
	l.Handout(e.stdout)
	scanWith := "porchlight --targets " + joinPrefixes(l.Targets())
	if ns := l.ScannerNetns(); ns != "" {
		scanWith = "ip netns exec " + ns + " " + scanWith
	}
	fmt.Fprintf(e.stdout, "\nScan it with: %s\nPress Ctrl-C to stop.\n", scanWith)
	<-ctx.Done()
	return nil
}

// labStartError turns the lab's typed errors into a sentence naming the fix.
func labStartError(scenario string, err error) error {
	switch {
	case errors.Is(err, lab.ErrNeedRoot):
		return usagef("--netns needs root; run it with sudo, or drop --netns to serve on loopback.")
	case errors.Is(err, lab.ErrUnsupported):
		return usagef("--netns needs Linux; drop --netns to serve on loopback.")
	case errors.Is(err, lab.ErrLoopbackAlias):
		return fmt.Errorf("start the %s scenario: %w (see 'Loopback addresses on macOS' in the README)", scenario, err)
	}
	return fmt.Errorf("start the %s scenario: %w", scenario, err)
}
