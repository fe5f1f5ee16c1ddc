package scan

import (
	"context"
	"fmt"
	"net/netip"
	"sync"

	"github.com/porchlight/porchlight/scan/rtt"
)

// probeHost runs the unicast probes (ports, banners, HTTP, unicast SSDP and
// mDNS) against one address and returns what it found, identified but not
// checked. Recheck uses it; the full scan runs the same probes concurrently.
func probeHost(ctx context.Context, ip netip.Addr, opts Options) (Device, error) {
	if !IsPrivateAddr(ip) {
		return Device{}, &TargetError{Target: ip.String(), Err: ErrPublicTarget}
	}
	opts.Targets = []netip.Prefix{netip.PrefixFrom(ip, ip.BitLen())}
	opts, err := opts.withDefaults()
	if err != nil {
		return Device{}, err
	}
	p := &prober{ports: opts.Ports, paths: opts.Catalog.ProbePaths(), unicast: true, rtt: &rtt.Estimator{}}
	if !ip.IsLoopback() {
		p.macs = newNeighCache()
	}
	st := &devState{dev: Device{Key: ip.String()}, sources: map[string]bool{}}
	var mu sync.Mutex // guards st: probes emit from several goroutines
	p.probe(ctx, ip, func(e evidence) {
		mu.Lock()
		defer mu.Unlock()
		if !e.hostDone && e.ip.IsValid() {
			st.apply(e)
		}
	})
	if err := ctx.Err(); err != nil {
		return Device{}, fmt.Errorf("scan: probe %s: %w", ip, err)
	}
	if st.dev.MAC != "" {
		st.dev.Key = st.dev.MAC
	}
	identify(opts.Catalog, st)
	return st.dev, nil
}
