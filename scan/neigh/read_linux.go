//go:build linux

package neigh

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
)

// Read returns the current neighbour table: /proc/net/arp for IPv4 and, when
// the ip tool is installed, `ip -6 neigh show` for IPv6.
func Read(ctx context.Context) ([]Entry, error) {
	f, err := os.Open("/proc/net/arp")
	if err != nil {
		return nil, fmt.Errorf("neigh: read arp table: %w", err)
	}
	out := ParseProcARP(f)
	f.Close()
	if path, err := exec.LookPath("ip"); err == nil {
		var buf bytes.Buffer
		cmd := exec.CommandContext(ctx, path, "-6", "neigh", "show")
		cmd.Stdout = &buf
		if cmd.Run() == nil {
			out = append(out, ParseIPNeigh(&buf)...)
		}
	}
	return out, nil
}
