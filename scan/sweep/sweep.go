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

	"github.com/porchlight/porchlight/scan/rtt"
)

// Config tunes one host's sweep. Zero values take the defaults.
type Config struct {
	// Timeout bounds each first connect (default 400ms: a LAN answers in a
	// few ms).
	Timeout time.Duration
	// Parallel bounds simultaneous connects to one host (default 8), so a
	// small device is never flooded.
	Parallel int
	// RTT, when set, is the scan's estimate of how long answers take: each
	// connect waits at least its Timeout(Timeout) and feeds it.
	RTT *rtt.Estimator
	// Present, when set, says whether the link layer knows the host (a
	// neighbour entry with a MAC). It is asked only when the first wave of
	// connects met silence: an empty address is then given up after one wave
	// instead of every port, while a host that drops every SYN but answers
	// ARP is still swept in full.
	Present func() bool
	// dial opens a connection (nil: a net.Dialer). Tests use it to lose a
	// connect the way a dropped SYN or a starved scheduler does.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// maxRetryTimeout caps the second connect to a silent port.
const maxRetryTimeout = 4 * time.Second

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 400 * time.Millisecond
	}
	if c.Parallel <= 0 {
		c.Parallel = 8
	}
	if c.dial == nil {
		var d net.Dialer
		c.dial = d.DialContext
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
	// Retried counts the silent ports connected to a second time.
	Retried int
}

// Host connects to each port of ip (Forbidden ports are skipped) and calls
// open, from the sweeping goroutines, for every port that accepts as soon as
// it does. It returns when every connect has finished or ctx ends.
//
// A port that stays silent is tried once more, as a real client resends a
// SYN, when its silence is doubtful: the host answered on another port (a
// live host's silent port is either filtered or lost), or a connect came
// back well after its timeout (this computer was too busy to hear the
// answer in time). The second try waits longer by the lateness seen. Off
// loopback, an address where the first wave meets silence and the link layer
// knows no MAC (Config.Present) is given up after that wave, and an address
// where nothing answers on time is not retried, so empty addresses cost one
// wave.
func Host(ctx context.Context, ip netip.Addr, ports []int, cfg Config, open func(port int)) Result {
	cfg = cfg.withDefaults()
	var todo []int
	for _, port := range ports {
		if !Forbidden(port) {
			todo = append(todo, port)
		}
	}
	var res Result
	first := sweepPorts(ctx, ip, todo[:min(len(todo), cfg.Parallel)], cfg, 1, 0, &res, open)
	if rest := todo[min(len(todo), cfg.Parallel):]; len(rest) > 0 && ctx.Err() == nil {
		if !first.answered && first.lag < cfg.Timeout/2 && !ip.Unmap().IsLoopback() && (cfg.Present == nil || !cfg.Present()) {
			return res // nothing there: a live host on a LAN answers a connect or ARP
		}
		more := sweepPorts(ctx, ip, rest, cfg, 1, 0, &res, open)
		first = pass{
			silent:   append(first.silent, more.silent...),
			answered: first.answered || more.answered,
			lag:      max(first.lag, more.lag),
		}
	}
	if len(first.silent) == 0 || ctx.Err() != nil || (!first.answered && first.lag < cfg.Timeout/2) {
		return res
	}
	res.Retried = len(first.silent)
	sweepPorts(ctx, ip, first.silent, cfg, 2, first.lag, &res, open)
	return res
}

// pass is what one round of connects saw.
type pass struct {
	silent   []int         // ports that gave no answer in time
	answered bool          // some port accepted or refused
	lag      time.Duration // the most a silent connect overran its timeout
}

// sweepPorts connects to each port (cfg.Parallel at a time), folding open
// ports into res. Each connect waits try times the current timeout, plus
// extra (the lateness a first try saw), at most maxRetryTimeout.
func sweepPorts(ctx context.Context, ip netip.Addr, ports []int, cfg Config, try int, extra time.Duration, res *Result, open func(int)) pass {
	var (
		mu sync.Mutex // guards res and p
		p  pass
		wg sync.WaitGroup
	)
	sem := make(chan struct{}, cfg.Parallel)
	loopback := ip.Unmap().IsLoopback()
	for _, port := range ports {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			timeout := time.Duration(try)*cfg.RTT.Timeout(cfg.Timeout) + extra
			if try > 1 {
				timeout = min(timeout, maxRetryTimeout)
			}
			start := time.Now()
			state := connect(ctx, cfg.dial, ip, port, timeout)
			took := time.Since(start)
			if state != Silent {
				cfg.RTT.Observe(took)
			}
			mu.Lock()
			switch state {
			case Open:
				res.Alive, p.answered = true, true
				res.Open = append(res.Open, port)
			case Refused:
				res.Alive = res.Alive || !loopback
				p.answered = true
			default:
				if ctx.Err() == nil {
					p.silent = append(p.silent, port)
					p.lag = max(p.lag, took-timeout)
				}
			}
			mu.Unlock()
			if state == Open && open != nil {
				open(port)
			}
		})
	}
	wg.Wait()
	return p
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
	var d net.Dialer
	return connect(ctx, d.DialContext, ip, port, timeout)
}

// connect is Connect through dial. The timeout starts here, when the
// connect is about to go out, never while waiting for a turn.
func connect(ctx context.Context, dial func(context.Context, string, string) (net.Conn, error), ip netip.Addr, port int, timeout time.Duration) State {
	if Forbidden(port) {
		return Silent
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dial(ctx, "tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err == nil {
		conn.Close()
		return Open
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return Refused
	}
	return Silent
}
