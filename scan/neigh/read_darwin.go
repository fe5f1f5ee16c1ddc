//go:build darwin || freebsd || openbsd || netbsd

package neigh

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
)

// Read returns the IPv4 neighbour table from `arp -an`.
func Read(ctx context.Context) ([]Entry, error) {
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, "arp", "-an")
	cmd.Stdout = &buf
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("neigh: arp -an: %w", err)
	}
	return ParseARPDarwin(&buf), nil
}
