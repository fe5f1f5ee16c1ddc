package scan

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/porchlight/porchlight/scan/neigh"
)

// neighCache reads the neighbour table at most once per interval, however
// many host probes ask, and answers MAC lookups from the last read.
type neighCache struct {
	interval time.Duration
	read     func(context.Context) ([]neigh.Entry, error)

	mu   sync.Mutex // guards last and macs
	last time.Time
	macs map[netip.Addr]string
}

func newNeighCache() *neighCache {
	return &neighCache{interval: 200 * time.Millisecond, read: neigh.Read}
}

// lookup returns ip's MAC, or "" when the table does not know it (always
// "" on loopback, which has no link layer).
func (c *neighCache) lookup(ctx context.Context, ip netip.Addr) string {
	if c == nil || ip.IsLoopback() {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if mac, ok := c.macs[ip]; ok {
		return mac
	}
	if time.Since(c.last) >= c.interval {
		c.refresh(ctx)
	}
	return c.macs[ip]
}

// entries reads the table now and returns every neighbour.
func (c *neighCache) entries(ctx context.Context) ([]neigh.Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refresh(ctx)
}

// refresh rereads the table; c.mu must be held.
func (c *neighCache) refresh(ctx context.Context) ([]neigh.Entry, error) {
	c.last = time.Now()
	list, err := c.read(ctx)
	if err != nil {
		return nil, err
	}
	if c.macs == nil {
		c.macs = map[netip.Addr]string{}
	}
	for _, e := range list {
		c.macs[e.IP] = e.MAC
	}
	return list, nil
}
