package scan

import (
	"bufio"
	"io"
	"net/netip"
	"strings"
)

// Route-table parsers, pure so every OS tests them all.

// parseProcRoute returns the interface of the default route in Linux
// /proc/net/route (destination and mask 00000000), or "".
func parseProcRoute(r io.Reader) string {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 8 && f[1] == "00000000" && f[7] == "00000000" {
			return f[0]
		}
	}
	return ""
}

// parseRouteGet returns the "interface:" line of macOS `route -n get default`.
func parseRouteGet(r io.Reader) string {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if ok && k == "interface" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// parseRoutePrint returns the interface address of the first 0.0.0.0/0 route
// in Windows `route print` output.
func parseRoutePrint(r io.Reader) netip.Addr {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 5 && f[0] == "0.0.0.0" && f[1] == "0.0.0.0" {
			if a, err := netip.ParseAddr(f[3]); err == nil {
				return a
			}
		}
	}
	return netip.Addr{}
}
