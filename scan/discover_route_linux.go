//go:build linux

package scan

import (
	"errors"
	"fmt"
	"os"
)

// defaultRouteInterface names the interface of the IPv4 default route, from
// /proc/net/route.
func defaultRouteInterface() (string, error) {
	f, err := os.Open("/proc/net/route")
	if err != nil {
		return "", fmt.Errorf("scan: read routes: %w", err)
	}
	defer f.Close()
	if name := parseProcRoute(f); name != "" {
		return name, nil
	}
	return "", errors.New("scan: no default route")
}
