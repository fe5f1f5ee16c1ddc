//go:build !linux && !darwin && !freebsd && !openbsd && !netbsd && !windows

package scan

import "errors"

func defaultRouteInterface() (string, error) {
	return "", errors.New("scan: finding the default route is not supported here; give --targets")
}
