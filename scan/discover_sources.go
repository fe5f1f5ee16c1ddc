package scan

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/porchlight/porchlight/scan/mdns"
	"github.com/porchlight/porchlight/scan/pace"
	"github.com/porchlight/porchlight/scan/ssdp"
)

// Multicast windows: how long we listen for answers.
const (
	// Our M-SEARCH says MX: 1, so a conforming device answers within a
	// second (UDA 1.1 §1.3.3); 300 ms more covers the trip and a busy
	// device. Every extra millisecond here is added to every scan.
	ssdpMulticastWait = 1300 * time.Millisecond
	// mdnsMulticastWait is per DNS-SD round (two or three rounds). Responders
	// delay shared answers 20-120 ms (RFC 6762 §6), 400-500 ms only after a
	// truncated query, which we never send.
	mdnsMulticastWait = 500 * time.Millisecond
	descFetchers      = 8  // simultaneous description fetches
	ssdpQueue         = 64 // answers waiting for a fetcher
)

// discover runs every source: the multicast sources on the chosen interface,
// the per-host probes over every target address, and a last read of the
// neighbour table once the sweep has filled it.
func (s *scanner) discover(ctx context.Context, emit func(evidence)) {
	var mc sync.WaitGroup
	if s.mcast != nil {
		mc.Go(func() { s.ssdpMulticast(ctx, emit) })
		mc.Go(func() { s.mdnsMulticast(ctx, emit) })
		mc.Go(func() { s.sadpMulticast(ctx, emit) })
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		mc.Wait()
		emit(evidence{mcastDone: true})
	})
	// Hosts start as fast as this computer keeps up (scan/pace): on a busy
	// one, fewer at once, so answers are read before their waits expire.
	lim := pace.New(s.opts.Concurrency)
	paceCtx, stopPacing := context.WithCancel(ctx)
	var pacing sync.WaitGroup
	pacing.Go(func() { lim.Run(paceCtx) })
	for _, ip := range s.hosts {
		if lim.Acquire(ctx) != nil {
			break
		}
		wg.Go(func() {
			defer lim.Release()
			s.prober.probe(ctx, ip, emit)
		})
	}
	stopPacing()
	pacing.Wait()
	wg.Wait()
	s.neighbours(ctx, emit)
}

// neighbours reads the neighbour table and reports every neighbour inside
// the targets: after the sweep, a host that answered ARP but no port is
// still a device.
func (s *scanner) neighbours(ctx context.Context, emit func(evidence)) {
	if s.prober.macs == nil || ctx.Err() != nil {
		return
	}
	list, err := s.prober.macs.entries(ctx)
	if err != nil {
		return
	}
	for _, e := range list {
		if inTargets(s.opts.Targets, e.IP) {
			emit(evidence{ip: e.IP, mac: e.MAC, source: "neighbour"})
		}
	}
}

// ssdpMulticast sends M-SEARCH on the interface and turns answers into
// evidence. The receive loop only queues answers (dropping when the queue is
// full); fetchers take descriptions from the queue.
func (s *scanner) ssdpMulticast(ctx context.Context, emit func(evidence)) {
	queue := make(chan ssdp.Response, ssdpQueue)
	var wg sync.WaitGroup
	for range descFetchers {
		wg.Go(func() {
			for r := range queue {
				for _, e := range ssdpEvidence(ctx, []ssdp.Response{r}) {
					emit(e)
				}
			}
		})
	}
	seen := map[string]bool{}
	perHost := map[netip.Addr]int{}
	err := ssdp.SearchMulticast(ctx, s.mcast.ifi, s.mcast.src, ssdpMulticastWait, func(r ssdp.Response) {
		key, loc := r.USN+r.Location, r.Location
		if !inTargets(s.opts.Targets, r.From) || seen[key] {
			return
		}
		fetch := loc != "" && !seen[loc] && perHost[r.From] < locationsPerDev && !s.opts.DiscoverOnly
		if !fetch {
			r.Location = "" // already fetched (or enough from this host): keep the headers only
		}
		select {
		case queue <- r:
			// Marked only once queued: an answer dropped below must not
			// stop the repeat (M-SEARCH goes out twice) from being fetched.
			seen[key] = true
			if fetch {
				seen[loc] = true
				perHost[r.From]++
			}
		default: // a flood of answers: drop rather than block the receiver
		}
	})
	close(queue)
	wg.Wait()
	if err != nil {
		emit(evidence{note: "UPnP discovery could not start: " + err.Error()})
	}
}

// mdnsMulticast browses DNS-SD on the interface.
func (s *scanner) mdnsMulticast(ctx context.Context, emit func(evidence)) {
	hosts, _ := mdns.Browse(ctx, s.mcast.ifi, s.mcast.src, mdnsMulticastWait)
	for _, h := range hosts {
		if inTargets(s.opts.Targets, h.Addr) && len(h.Services) > 0 {
			emit(mdnsEvidence(h))
		}
	}
}
