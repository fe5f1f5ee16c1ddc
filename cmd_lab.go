package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/lab"
)

func labCommand() command {
	return command{
		name:    "lab",
		summary: "Serve a simulated household for a class or for tests, until Ctrl-C.",
		usage:   "[--scenario home|classroom|hostile|large] [--state FILE]",
		example: "porchlight lab --scenario classroom --state class.json",
		run:     runLab,
	}
}

func runLab(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, labCommand())
	scenario := fs.String("scenario", "home", "which household: "+strings.Join(lab.Scenarios(), ", "))
	state := fs.String("state", "", "keep device changes (passwords, firmware) in this file across runs")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !slices.Contains(lab.Scenarios(), *scenario) {
		return usagef("there is no scenario %q; choose one of %s.", *scenario, strings.Join(lab.Scenarios(), ", "))
	}
	l, err := lab.StartLoopback(ctx, lab.Options{Scenario: *scenario, StatePath: *state})
	if err != nil {
		return fmt.Errorf("start the %s scenario: %w", *scenario, err)
	}
	defer l.Close()
	l.Handout(e.stdout)
	fmt.Fprintf(e.stdout, "\nScan it with: porchlight --targets %s\nPress Ctrl-C to stop.\n", joinPrefixes(l.Targets()))
	<-ctx.Done()
	return nil
}
