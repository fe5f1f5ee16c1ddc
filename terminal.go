package main

import (
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// noColor honours the NO_COLOR convention (https://no-color.org) and dumb terminals.
func noColor(e *env) bool { return e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" }
