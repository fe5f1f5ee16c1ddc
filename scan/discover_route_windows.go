//go:build windows

package scan

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os/exec"
)

// defaultRouteInterface names the interface of the IPv4 default route: the
// one holding the address `route print -4 0.0.0.0` gives for it.
func defaultRouteInterface() (string, error) {
	out, err := exec.Command("route", "print", "-4", "0.0.0.0").Output()
	if err != nil {
		return "", fmt.Errorf("scan: route print: %w", err)
	}
	addr := parseRoutePrint(bytes.NewReader(out))
	if !addr.IsValid() {
		return "", errors.New("scan: no default route")
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return "", fmt.Errorf("scan: list interfaces: %w", err)
	}
	for i := range ifaces {
		for _, p := range ifacePrefixes(&ifaces[i]) {
			if p.Addr() == addr {
				return ifaces[i].Name, nil
			}
		}
	}
	return "", fmt.Errorf("scan: no interface holds %s", addr)
}
