package report

import "net/netip"

// addrLess orders addresses numerically, unparsable ones last by text.
func addrLess(a, b string) bool {
	pa, errA := netip.ParseAddr(a)
	pb, errB := netip.ParseAddr(b)
	switch {
	case errA == nil && errB == nil:
		return pa.Less(pb)
	case errA == nil:
		return true
	case errB == nil:
		return false
	}
	return a < b
}
