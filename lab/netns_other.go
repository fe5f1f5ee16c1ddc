//go:build !linux

package lab

import (
	"context"
	"fmt"
	"runtime"
)

// StartNetns serves the scenario in network namespaces; it needs Linux.
func StartNetns(ctx context.Context, opts Options) (*Lab, error) {
	return nil, fmt.Errorf("lab: network namespaces on %s: %w (use StartLoopback)", runtime.GOOS, ErrUnsupported)
}

// CleanupStale removes namespaces left by crashed labs; there are none here.
func CleanupStale() error { return nil }
