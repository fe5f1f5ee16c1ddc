package scan

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/porchlight/porchlight/vendors"
)

// Options say what to scan and how. The zero value of each field has a sane default.
type Options struct {
	// Targets are the networks and addresses to scan, already checked by ParseTargets.
	// Empty means the directly connected private networks of Interface (or of the
	// interface with the default route).
	Targets []netip.Prefix
	// Interface is the network interface for multicast discovery ("" = default route's).
	Interface string
	// CheckPasswords is the user's consent to try documented default logins.
	CheckPasswords bool
	// Timeout bounds the whole scan (default 30s).
	Timeout time.Duration
	// Catalog is the vendor knowledge; nil means the embedded catalogue.
	Catalog *vendors.Catalog
	// Now gives the date for support-period checks (default time.Now).
	Now func() time.Time
	// Ports overrides the TCP ports probed (default DefaultPorts).
	Ports []int
	// Concurrency bounds simultaneous host probes (default 256).
	Concurrency int
	// LoginSpacing is the pause between two login tries on one device.
	LoginSpacing time.Duration
	// DiscoverOnly finds devices (sweep, SSDP and mDNS answers, neighbour
	// table) without reading banners, fetching descriptions or running
	// checks: what benchmarks compare with host-discovery tools.
	DiscoverOnly bool
}

// Defaults for Options.
const (
	defaultTimeout     = 30 * time.Second
	defaultConcurrency = 256
	checkWorkers       = 8
)

// withDefaults fills the zero fields of o and checks its targets: every one
// must be private and no wider than the scope limits. With no targets, the
// directly connected private networks of the chosen interface are used.
func (o Options) withDefaults() (Options, error) {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = defaultConcurrency
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.Ports) == 0 {
		o.Ports = DefaultPorts()
	}
	if o.Catalog == nil {
		cat, err := vendors.Embedded()
		if err != nil {
			return o, fmt.Errorf("scan: load vendor data: %w", err)
		}
		o.Catalog = cat
	}
	if len(o.Targets) == 0 {
		iface, prefixes, err := localNetworks(o.Interface)
		if err != nil {
			return o, &TargetError{Target: o.Interface, Err: fmt.Errorf("%w: %v", ErrNoTargets, err)}
		}
		o.Interface, o.Targets = iface, prefixes
	}
	for _, p := range o.Targets {
		if err := checkScope(p); err != nil {
			return o, err
		}
	}
	return o, nil
}

// checkScope applies the design's scope rules to a target given directly
// (the TUI and tests build Options without ParseTargets).
func checkScope(p netip.Prefix) error {
	if !p.IsValid() {
		return &TargetError{Target: p.String(), Err: ErrBadTarget}
	}
	if !IsPrivate(p) {
		return &TargetError{Target: p.String(), Err: ErrPublicTarget}
	}
	limit := WideMaxBits4
	if p.Addr().Is6() && !p.Addr().Is4In6() {
		limit = MaxBits6
	}
	// An IPv4-mapped prefix is measured as the IPv4 network it covers.
	if p.Bits()-unmapBits(p) < limit {
		return &TargetError{Target: p.String(), Err: ErrTargetTooLarge, Limit: limit}
	}
	return nil
}

// Run starts a scan and returns its event stream. The channel is closed after
// a final Done event. Cancelling ctx stops every probe promptly; what was
// found is still reported before Done.
func Run(ctx context.Context, opts Options) (<-chan Event, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	out := make(chan Event, 64)
	go func() {
		defer close(out)
		newScanner(opts, out).run(ctx)
	}()
	return out, nil
}

// targetStrings renders targets for Done and the report.
func targetStrings(ps []netip.Prefix) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// allLoopback reports whether every target is on loopback, where the lab
// lives and discovery is unicast only.
func allLoopback(ps []netip.Prefix) bool {
	return !slices.ContainsFunc(ps, func(p netip.Prefix) bool { return !p.Addr().Unmap().IsLoopback() })
}

// inTargets reports whether a is inside one of ps.
func inTargets(ps []netip.Prefix, a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	return slices.ContainsFunc(ps, func(p netip.Prefix) bool { return p.Contains(a) })
}
