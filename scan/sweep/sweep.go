// Package sweep finds live hosts and open TCP ports by connecting, nothing
// more: a connection is opened and closed without a byte sent. Connecting
// also makes the operating system resolve each address's MAC, which fills
// the neighbour table the neigh package reads.
package sweep

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Config tunes one host's sweep. Zero values take the defaults.
type Config struct {
	// Timeout bounds each connect (default 400ms: a LAN answers in a few ms).
	Timeout time.Duration
	// Parallel bounds simultaneous connects to one host (default 8), so a
	// small device is never flooded.
	Parallel int
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 400 * time.Millisecond
	}
	if c.Parallel <= 0 {
		c.Parallel = 8
	}
	return c
}

// Forbidden reports whether a port must never be touched. Raw printing ports
// (JetDirect 9100–9107, LPD 515) print whatever arrives, so even a probe can
// waste paper; a port outside 1–65535 is meaningless.
func Forbidden(port int) bool {
	return port < 1 || port > 65535 || port == 515 || (port >= 9100 && port <= 9107)
}

// Result is what a sweep of one host learned.
type Result struct {
	// Alive is true when the host answered at all: an open port anywhere, or,
	// off loopback, a refused connection (a TCP reset proves a host is there).
	Alive bool
	Open  []int // open ports, in the order they answered
}

// Host connects to each port of ip (Forbidden ports are skipped) and calls
// open, from the sweeping goroutines, for every port that accepts as soon as
// it does. It returns when every connect has finished or ctx ends.
func Host(ctx context.Context, ip netip.Addr, ports []int, cfg Config, open func(port int)) Result {
	cfg = cfg.withDefaults()
	var (
		mu  sync.Mutex // guards res
		res Result
		wg  sync.WaitGroup
	)
	sem := make(chan struct{}, cfg.Parallel)
	loopback := ip.Unmap().IsLoopback()
	for _, port := range ports {
		if Forbidden(port) {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return res
		}
		wg.Go(func() {
			defer func() { <-sem }()
			state := Connect(ctx, ip, port, cfg.Timeout)
			mu.Lock()
			if state == Open || (state == Refused && !loopback) {
				res.Alive = true
			}
			if state == Open {
				res.Open = append(res.Open, port)
			}
			mu.Unlock()
			if state == Open && open != nil {
				open(port)
			}
		})
	}
	wg.Wait()
	return res
}

// State is the outcome of one connect.
type State int

// Connect outcomes.
const (
	Silent  State = iota // timeout, unreachable or any other failure
	Open                 // the port accepted
	Refused              // the host answered with a reset
)

// Connect opens and closes one TCP connection to ip:port. Forbidden ports
// are never dialled and report Silent.
func Connect(ctx context.Context, ip netip.Addr, port int, timeout time.Duration) State {
	if Forbidden(port) {
		return Silent
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err == nil {
		conn.Close()
		return Open
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return Refused
	}
	return Silent
}
