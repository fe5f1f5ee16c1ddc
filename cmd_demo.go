package main

import (
	"context"
	"fmt"

	"github.com/porchlight/porchlight/lab"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	var f interactiveFlags
	if err := f.parse(e, demoCommand(), args); err != nil {
		return err
	}
	if f.targets != "" {
		return usagef("demo checks its own simulated household; use 'porchlight --targets ...' for a real network.")
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	home, err := lab.StartLoopback(ctx, lab.Options{Scenario: "home"})
	if err != nil {
		return fmt.Errorf("start the simulated household: %w", err)
	}
	defer home.Close()
	opts.Targets = home.Targets()
	return interactive(ctx, e, &f, opts, true, "the simulated household at "+joinPrefixes(opts.Targets))
}
