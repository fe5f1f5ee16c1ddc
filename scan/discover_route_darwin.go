//go:build darwin || freebsd || openbsd || netbsd

package scan

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
)

// defaultRouteInterface names the interface of the IPv4 default route, from
// `route -n get default`.
func defaultRouteInterface() (string, error) {
	out, err := exec.Command("route", "-n", "get", "default").Output()
	if err != nil {
		return "", fmt.Errorf("scan: route -n get default: %w", err)
	}
	if name := parseRouteGet(bytes.NewReader(out)); name != "" {
		return name, nil
	}
	return "", errors.New("scan: no default route")
}
