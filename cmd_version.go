package main

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/porchlight/porchlight/history"
)

func versionCommand() command {
	return command{
		name:    "version",
		summary: "Show the version, the vendor data date and where history is kept.",
		usage:   "",
		example: "porchlight version",
		run:     runVersion,
	}
}

func runVersion(ctx context.Context, e *env, args []string) error {
	var t targetFlags
	fs := newFlags(e, versionCommand())
	fs.StringVar(&t.vendors, "vendors", "", "load an updated vendor data file over the built-in one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cat, err := t.catalog()
	if err != nil {
		return err
	}
	path, err := history.DefaultPath()
	switch {
	case err != nil || path == "":
		path = "(none: no config directory)"
	case !exists(path):
		path += " (not created yet)"
	}
	fmt.Fprintf(e.stdout, "porchlight %s (%s, %s/%s)\nvendor data: %s\nhistory: %s\n",
		version, runtime.Version(), runtime.GOOS, runtime.GOARCH, cat.DataDate, path)
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
