package main

import (
	"context"
	"fmt"
	"strings"
)

func lookupCommand() command {
	return command{
		name:    "lookup",
		summary: "Before you buy: how long a maker or product gets security updates, and who to tell about a problem.",
		usage:   "MAKER-OR-PRODUCT",
		example: `porchlight lookup "tp-link tapo c200"`,
		run:     runLookup,
	}
}

func runLookup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, lookupCommand())
	vendorsFile := fs.String("vendors", "", "load an updated vendor data file over the built-in one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if query == "" {
		return usagef(`say what to look up, such as: porchlight lookup "tp-link tapo c200".`)
	}
	cat, err := (&targetFlags{vendors: *vendorsFile}).catalog()
	if err != nil {
		return err
	}
	hits := cat.Search(query)
	if len(hits) == 0 {
		fmt.Fprintf(e.stdout, "Nothing known about %q. Check the spelling, or try just the maker's name.\n", query)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s\n", hits[0].Maker.Name)
	return nil
}
