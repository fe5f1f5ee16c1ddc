package scan

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Scope errors. main turns them into one sentence and exit code 2.
var (
	// ErrPublicTarget means a target is outside private, link-local and loopback space.
	ErrPublicTarget = errors.New("not a private address")
	// ErrTargetTooLarge means a network is wider than the scan limit.
	ErrTargetTooLarge = errors.New("network too large")
	// ErrBadTarget means the text is neither an address nor a network.
	ErrBadTarget = errors.New("not an address or network")
	// ErrNoTargets means nothing was given and nothing could be found to scan.
	ErrNoTargets = errors.New("no targets")
)

// TargetError says which target broke which rule.
type TargetError struct {
	Target string
	Err    error
	Limit  int // the prefix length limit, for ErrTargetTooLarge
}

func (e *TargetError) Error() string {
	switch {
	case errors.Is(e.Err, ErrTargetTooLarge):
		return fmt.Sprintf("target %q: %v (at most a /%d)", e.Target, e.Err, e.Limit)
	default:
		return fmt.Sprintf("target %q: %v", e.Target, e.Err)
	}
}

func (e *TargetError) Unwrap() error { return e.Err }

// Scope limits, as in the design: at most a /22 by default, a /16 when widened.
const (
	DefaultMaxBits4 = 22
	WideMaxBits4    = 16
	// MaxBits6 keeps IPv6 sweeps to 256 addresses; IPv6 homes are found by
	// multicast and the neighbour table, not by sweeping.
	MaxBits6 = 120
)

var privatePrefixes = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("169.254.0.0/16"), // IPv4 link-local
	netip.MustParsePrefix("127.0.0.0/8"),    // loopback, where the lab lives
	netip.MustParsePrefix("fc00::/7"),       // IPv6 unique local
	netip.MustParsePrefix("fe80::/10"),      // IPv6 link-local
	netip.MustParsePrefix("::1/128"),
}

// IsPrivate reports whether every address in p lies in private, link-local or loopback space.
func IsPrivate(p netip.Prefix) bool {
	p = p.Masked()
	for _, allowed := range privatePrefixes {
		if allowed.Bits() <= p.Bits() && allowed.Contains(p.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// IsPrivateAddr reports whether a single address is in scope.
func IsPrivateAddr(a netip.Addr) bool {
	a = a.Unmap()
	return IsPrivate(netip.PrefixFrom(a, a.BitLen()))
}

// ParseTargets turns user text ("192.168.1.0/24", "192.168.1.20", comma or
// space separated) into networks, refusing anything outside private space or
// wider than the limit. wide raises the IPv4 limit from a /22 to a /16.
func ParseTargets(args []string, wide bool) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, arg := range args {
		for _, field := range strings.FieldsFunc(arg, func(r rune) bool { return r == ',' || r == ' ' }) {
			p, err := parseTarget(field, wide)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, &TargetError{Target: strings.Join(args, " "), Err: ErrNoTargets}
	}
	return out, nil
}

func parseTarget(s string, wide bool) (netip.Prefix, error) {
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return p, &TargetError{Target: s, Err: ErrBadTarget}
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return p, &TargetError{Target: s, Err: ErrBadTarget}
		}
		a = a.Unmap()
		p = netip.PrefixFrom(a, a.BitLen())
	}
	p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-unmapBits(p)).Masked()
	if !IsPrivate(p) {
		return p, &TargetError{Target: s, Err: ErrPublicTarget}
	}
	limit := DefaultMaxBits4
	if wide {
		limit = WideMaxBits4
	}
	if p.Addr().Is6() {
		limit = MaxBits6
	}
	if p.Bits() < limit {
		return p, &TargetError{Target: s, Err: ErrTargetTooLarge, Limit: limit}
	}
	return p, nil
}

// unmapBits is how many prefix bits an IPv4-mapped IPv6 prefix loses when unmapped.
func unmapBits(p netip.Prefix) int {
	if p.Addr().Is4In6() {
		return 96
	}
	return 0
}

// Hosts lists the addresses of p to probe: for IPv4 networks wider than /31,
// the network and broadcast addresses are left out.
func Hosts(p netip.Prefix) []netip.Addr {
	p = p.Masked()
	var out []netip.Addr
	first := p.Addr()
	size := 1 << (p.Addr().BitLen() - p.Bits())
	if p.Addr().BitLen()-p.Bits() > 16 {
		size = 1 << 16 // ParseTargets never lets this through; a guard for direct callers
	}
	for a, i := first, 0; i < size && p.Contains(a); a, i = a.Next(), i+1 {
		if p.Addr().Is4() && p.Bits() < 31 && (i == 0 || i == size-1) {
			continue
		}
		out = append(out, a)
	}
	return out
}
