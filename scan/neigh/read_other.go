//go:build !linux && !darwin && !freebsd && !openbsd && !netbsd && !windows

package neigh

import "context"

// Read is not supported here; discovery carries on without MACs.
func Read(ctx context.Context) ([]Entry, error) { return nil, ErrUnsupported }
