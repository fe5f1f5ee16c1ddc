// Package lab serves simulated smart devices that behave on the wire like real
// ones: for tests, benchmarks, the demo and classroom workshops.
package lab

import (
	"context"
	"io"
	"net/netip"
)

// Options say which scenario to serve and where to keep device state.
type Options struct {
	Scenario string // home, classroom, hostile, large
	// StatePath, when set, keeps device state (passwords, firmware) across runs.
	StatePath string
}

// Lab is a running simulated household.
type Lab struct{}

// Scenarios lists the embedded scenario names.
func Scenarios() []string { return []string{"home", "classroom", "hostile", "large"} }

// StartLoopback serves the scenario on loopback addresses (any OS, no privileges).
func StartLoopback(ctx context.Context, opts Options) (*Lab, error) { return &Lab{}, nil }

// Targets are the networks a scanner should be given to find this lab.
func (l *Lab) Targets() []netip.Prefix { return nil }

// Handout writes the teacher's handout: each device's address, what is wrong
// with it, and how to open its admin page.
func (l *Lab) Handout(w io.Writer) {}

// Close stops every device and waits for them.
func (l *Lab) Close() error { return nil }
