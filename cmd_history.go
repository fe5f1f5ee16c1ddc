package main

import (
	"context"
	"fmt"
)

func historyCommand() command {
	return command{
		name:    "history",
		summary: "List past scans kept in the history database.",
		usage:   "",
		example: "porchlight history",
		run:     runHistory,
	}
}

func runHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, historyCommand())
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	store, err := openHistory(false)
	if err != nil {
		return err
	}
	if store == nil {
		return fmt.Errorf("no config directory to keep history in; set HOME or XDG_CONFIG_HOME")
	}
	defer store.Close()
	return nil
}
