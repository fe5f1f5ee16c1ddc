// Package ui is Porchlight's interactive terminal program (Bubble Tea).
package ui

import (
	"context"
	"io"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// Config is everything the interactive program needs; main builds it.
type Config struct {
	// Scan is the scan to run; CheckPasswords is decided on the consent screen.
	Scan scan.Options
	// Network describes what will be scanned, in words ("192.168.1.0/24 on wlan0").
	Network string
	// Demo marks a run against the built-in simulated household.
	Demo bool
	// Plain is the linear, screen-reader-friendly question-and-answer mode.
	Plain bool
	// NoColor turns colour off (NO_COLOR, or a dumb terminal).
	NoColor bool
	Catalog *vendors.Catalog
	// History is the scan database, or nil when history is off.
	History *history.Store
	// ToolVersion goes into saved reports.
	ToolVersion string
	In          io.Reader
	Out         io.Writer
}

// Run runs the interactive program until the user quits or ctx ends.
func Run(ctx context.Context, cfg Config) error { return nil }
