//go:build windows

package neigh

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
)

// Read returns the IPv4 neighbour table from `arp -a`.
func Read(ctx context.Context) ([]Entry, error) {
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, "arp", "-a")
	cmd.Stdout = &buf
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("neigh: arp -a: %w", err)
	}
	return ParseARPWindows(&buf), nil
}
