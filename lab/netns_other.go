//go:build !linux

package lab

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"runtime"
)

// StartNetns serves the scenario in network namespaces; it needs Linux.
func StartNetns(ctx context.Context, opts Options) (*Lab, error) {
	return nil, fmt.Errorf("lab: network namespaces on %s: %w (use StartLoopback)", runtime.GOOS, ErrUnsupported)
}

// CleanupStale removes namespaces left by crashed labs; there are none here.
func CleanupStale() error { return nil }

// ScannerNetns is "" off Linux: there are no namespace labs.
func (l *Lab) ScannerNetns() string { return "" }

// ScannerAddr is the zero address off Linux.
func (l *Lab) ScannerAddr() netip.Addr { return netip.Addr{} }

// ScannerCommand needs a namespace lab (Linux).
func (l *Lab) ScannerCommand(ctx context.Context, name string, args ...string) (*exec.Cmd, error) {
	return nil, fmt.Errorf("lab: scanner namespace: %w", ErrUnsupported)
}

// ExecInScanner needs a namespace lab (Linux).
func (l *Lab) ExecInScanner(ctx context.Context, name string, args ...string) ([]byte, error) {
	return nil, fmt.Errorf("lab: scanner namespace: %w", ErrUnsupported)
}

// InScanner needs a namespace lab (Linux).
func (l *Lab) InScanner(f func() error) error {
	return fmt.Errorf("lab: scanner namespace: %w", ErrUnsupported)
}

// ScannerInterface is nil off Linux.
func (l *Lab) ScannerInterface() *net.Interface { return nil }
