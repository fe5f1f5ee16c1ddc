package login

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// DialFunc opens a connection (net.Dialer.DialContext's shape).
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Gate is the only way this package reaches a device. It is bound to one
// host: it refuses any other address, lets one connection be open at a
// time, and starts each new connection at least Spacing after the previous
// one closed, so a device is never flooded or locked out.
type Gate struct {
	host    netip.Addr
	spacing time.Duration
	dial    DialFunc
	sem     chan struct{} // holds a token while a connection is open

	mu    sync.Mutex
	last  time.Time // when the previous connection closed; guarded by mu
	dials int       // connections opened; guarded by mu
}

// NewGate returns a gate for host. dial nil means a plain net.Dialer.
func NewGate(host netip.Addr, spacing time.Duration, dial DialFunc) *Gate {
	if dial == nil {
		dial = (&net.Dialer{Timeout: DefaultTimeout}).DialContext
	}
	return &Gate{host: host.Unmap(), spacing: spacing, dial: dial, sem: make(chan struct{}, 1)}
}

// Host is the device the gate is bound to.
func (g *Gate) Host() netip.Addr { return g.host }

// Dials counts the connections the gate has opened.
func (g *Gate) Dials() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.dials
}

// Dial waits for its turn and opens a connection to addr, which must be on
// the gate's host. Closing the connection lets the next one start.
func (g *Gate) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || ap.Addr().Unmap() != g.host {
		return nil, fmt.Errorf("dial %s: %w", addr, ErrNotAllowed)
	}
	select {
	case g.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("dial %s: %w", addr, ctx.Err())
	}
	if err := g.wait(ctx); err != nil {
		g.release()
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	g.mu.Lock()
	g.dials++
	g.mu.Unlock()
	c, err := g.dial(ctx, network, addr)
	if err != nil {
		g.release()
		return nil, err
	}
	return &gatedConn{Conn: c, release: sync.OnceFunc(g.release)}, nil
}

// wait sleeps until Spacing has passed since the previous connection closed.
func (g *Gate) wait(ctx context.Context) error {
	g.mu.Lock()
	last := g.last
	g.mu.Unlock()
	d := time.Until(last.Add(g.spacing))
	if last.IsZero() || d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *Gate) release() {
	g.mu.Lock()
	g.last = time.Now()
	g.mu.Unlock()
	<-g.sem
}

// gatedConn gives the gate back its token when closed.
type gatedConn struct {
	net.Conn
	release func()
}

func (c *gatedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// addr is host:port on the gate's host.
func (g *Gate) addr(port int) string {
	return netip.AddrPortFrom(g.host, uint16(port)).String()
}

// open dials port (waiting for its turn), sets the exchange deadline, and
// closes the connection if ctx ends first, so a cancelled check never waits
// out a silent device.
func (g *Gate) open(ctx context.Context, t Target) (net.Conn, error) {
	c, err := g.Dial(ctx, "tcp", g.addr(t.Port))
	if err != nil {
		return nil, err
	}
	if err := c.SetDeadline(time.Now().Add(t.timeout())); err != nil {
		c.Close()
		return nil, fmt.Errorf("set deadline on %s: %w", g.addr(t.Port), err)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	return &ctxConn{Conn: c, stop: stop}, nil
}

// ctxConn stops watching its context when closed.
type ctxConn struct {
	net.Conn
	stop func() bool
}

func (c *ctxConn) Close() error {
	c.stop()
	return c.Conn.Close()
}
