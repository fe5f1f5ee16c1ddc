// Command porchlight checks a household's smart devices: it finds them,
// recognises them, tests whether they still take their factory password,
// checks their firmware and support period, and guides the fixes.
//
// main.go is wiring only: subcommands, flags, signals, and turning errors
// into one sentence that names the next step, with an exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/porchlight/porchlight/scan"
)

// Exit codes.
const (
	exitOK        = 0
	exitError     = 1   // something failed at run time
	exitUsage     = 2   // the command line was wrong
	exitFindings  = 3   // --fail-on: a finding at or above the given severity
	exitCancelled = 130 // Ctrl-C
)

// version is set by the linker for releases (-ldflags "-X main.version=...").
var version = "0.1.0-dev"

// env is what a command may touch: its standard streams and the process environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// tty is true when stdout is a terminal; interactive commands draw a screen only then.
	tty bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // after "porchlight NAME "
	example string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		checkCommand(), demoCommand(), scanCommand(), labCommand(), lookupCommand(),
		reportCommand(), historyCommand(), versionCommand(),
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, tty: isTerminal(os.Stdout)}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run dispatches to a subcommand and maps its error to an exit code.
func run(ctx context.Context, e *env, args []string) int {
	name := "check"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		return helpCommand(e, args)
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(e, c, c.run(ctx, e, args))
		}
	}
	fmt.Fprintf(e.stderr, "porchlight: unknown command %q; run 'porchlight help' to see the commands.\n", name)
	return exitUsage
}

// usageError is a mistake on the command line; its text already says what to do.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// findingsError means --fail-on matched: not a failure of Porchlight, a verdict.
type findingsError struct {
	count    int
	severity string
}

func (f *findingsError) Error() string {
	return fmt.Sprintf("%d finding(s) at %s severity or worse", f.count, f.severity)
}

// exitCode prints err as one sentence naming the next step and returns the code.
func exitCode(e *env, c command, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var (
		usage    *usageError
		target   *scan.TargetError
		findings *findingsError
	)
	switch {
	case errors.As(err, &findings):
		fmt.Fprintf(e.stderr, "porchlight: %v.\n", err)
		return exitFindings
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(e.stderr, "porchlight: stopped.")
		return exitCancelled
	case errors.As(err, &usage):
		fmt.Fprintf(e.stderr, "porchlight %s: %s\n", c.name, usage.msg)
		return exitUsage
	case errors.As(err, &target):
		fmt.Fprintf(e.stderr, "porchlight %s: %s\n", c.name, targetSentence(target))
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "porchlight %s: %v\n", c.name, err)
	return exitError
}

// targetSentence explains a refused target and what a good one looks like.
func targetSentence(t *scan.TargetError) string {
	switch {
	case errors.Is(t.Err, scan.ErrPublicTarget):
		return fmt.Sprintf("%s is not on a private home network; Porchlight only checks private addresses such as 192.168.1.0/24, 10.0.0.5 or 127.0.0.1.", t.Target)
	case errors.Is(t.Err, scan.ErrTargetTooLarge):
		return fmt.Sprintf("%s is too large to check; give a network of /%d or smaller, such as 192.168.1.0/24 (--wide allows up to a /16 in private space).", t.Target, t.Limit)
	case errors.Is(t.Err, scan.ErrNoTargets):
		return "no targets given; use --targets with an address such as 192.168.1.20 or a network such as 192.168.1.0/24."
	}
	return fmt.Sprintf("%q is not an address or network; use an address such as 192.168.1.20 or a network such as 192.168.1.0/24.", t.Target)
}

// newFlags makes a flag set for c. Flag errors are turned into one sentence by
// parseFlags; --help prints the summary, flags and example to stdout.
func newFlags(e *env, c command) *flag.FlagSet {
	fs := flag.NewFlagSet("porchlight "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "%s\n\nUsage: porchlight %s %s\n\nFlags:\n", c.summary, c.name, c.usage)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		if c.example != "" {
			fmt.Fprintf(e.stdout, "\nExample:\n  %s\n", c.example)
		}
	}
	return fs
}

// parseFlags parses args and turns flag errors into a usage sentence.
// It returns flag.ErrHelp after printing help for -h/--help, which exits 0.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return err // the flag package has already called fs.Usage
	}
	if err != nil {
		return usagef("%v; run '%s --help' for the options.", err, fs.Name())
	}
	return nil
}

func helpCommand(e *env, args []string) int {
	if len(args) > 0 {
		for _, c := range commands() {
			if c.name == args[0] {
				_ = c.run(context.Background(), e, []string{"--help"})
				return exitOK
			}
		}
		fmt.Fprintf(e.stderr, "porchlight help: unknown command %q; run 'porchlight help' to see the commands.\n", args[0])
		return exitUsage
	}
	fmt.Fprint(e.stdout, "Porchlight checks the smart devices on your home network: factory passwords,\nout-of-date firmware, and whether the maker still sends security updates.\n\nUsage: porchlight [command] [flags]\n\nCommands:\n")
	for _, c := range commands() {
		name := c.name
		if name == "check" {
			name = "(none)"
		}
		fmt.Fprintf(e.stdout, "  %-9s %s\n", name, c.summary)
	}
	fmt.Fprint(e.stdout, "  help      Show help for a command: porchlight help scan\n\nRun 'porchlight COMMAND --help' for a command's flags and an example.\n")
	return exitOK
}
