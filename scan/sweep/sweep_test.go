package sweep

import (
	"context"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/porchlight/porchlight/scan/rtt"
)

// listen opens a TCP listener on 127.0.0.1 that counts accepted connections.
func listen(t *testing.T) (port int, accepted func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().(*net.TCPAddr).Port, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// closedPort returns a loopback port with nothing listening.
func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

func TestHost(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	p1, _ := listen(t)
	p2, _ := listen(t)
	closed := closedPort(t)
	tests := []struct {
		name      string
		ports     []int
		wantOpen  []int
		wantAlive bool
	}{
		{"two open one closed", []int{p1, closed, p2}, []int{p1, p2}, true},
		{"only refused on loopback is not a device", []int{closed}, nil, false},
		{"forbidden and out of range skipped", []int{9100, 515, 0, 70000}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []int
			res := Host(t.Context(), lo, tt.ports, Config{Timeout: time.Second}, func(p int) {
				mu.Lock()
				seen = append(seen, p)
				mu.Unlock()
			})
			slices.Sort(res.Open)
			slices.Sort(seen)
			want := slices.Clone(tt.wantOpen)
			slices.Sort(want)
			if res.Alive != tt.wantAlive || !slices.Equal(res.Open, want) || !slices.Equal(seen, want) {
				t.Errorf("Host(%v) = %+v (callbacks %v), want alive=%v open=%v", tt.ports, res, seen, tt.wantAlive, want)
			}
		})
	}
}

func TestForbiddenNeverDialled(t *testing.T) {
	for _, p := range []int{515, 9100, 9101, 9107} {
		if !Forbidden(p) {
			t.Errorf("Forbidden(%d) = false", p)
		}
		if s := Connect(t.Context(), netip.MustParseAddr("127.0.0.1"), p, time.Second); s != Silent {
			t.Errorf("Connect(%d) = %v, want Silent without dialling", p, s)
		}
	}
	for _, p := range []int{80, 9099, 9108, 631} {
		if Forbidden(p) {
			t.Errorf("Forbidden(%d) = true", p)
		}
	}
}

func TestHostCancelled(t *testing.T) {
	p, _ := listen(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res := Host(ctx, netip.MustParseAddr("127.0.0.1"), []int{p, p, p}, Config{}, nil)
	if res.Alive {
		t.Errorf("Host after cancel = %+v, want nothing", res)
	}
}

// script is a dialer for tests: what each successive connect to a port
// meets. "open" accepts, "refused" resets, "lost" hears nothing until the
// connect gives up, "late" hears nothing and the connect returns 300 ms
// after its timeout (a scheduler too busy to run it on time), "slow"
// accepts after a second.
type script struct {
	mu    sync.Mutex
	plan  map[string][]string
	calls map[string]int
}

func (s *script) dial(ctx context.Context, _, addr string) (net.Conn, error) {
	s.mu.Lock()
	n := s.calls[addr]
	s.calls[addr]++
	steps := s.plan[addr]
	s.mu.Unlock()
	step := "lost"
	if len(steps) > 0 {
		step = steps[min(n, len(steps)-1)]
	}
	switch step {
	case "open":
		c, peer := net.Pipe()
		peer.Close()
		return c, nil
	case "refused":
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case "slow": // answers after a second
		select {
		case <-time.After(time.Second):
			c, peer := net.Pipe()
			peer.Close()
			return c, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "late":
		<-ctx.Done()
		time.Sleep(300 * time.Millisecond) // synctest time: the bubble's clock
		return nil, ctx.Err()
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestHostRetriesDoubtfulSilence(t *testing.T) {
	ip := netip.MustParseAddr("192.168.1.20")
	at := func(port int) string { return net.JoinHostPort(ip.String(), strconv.Itoa(port)) }
	tests := []struct {
		name        string
		plan        map[string][]string
		ports       []int
		wantOpen    []int
		wantAlive   bool
		wantRetried int
		wantDials   int
	}{
		{
			name:  "a live host's lost connect is tried again",
			plan:  map[string][]string{at(80): {"lost", "open"}, at(23): {"refused"}},
			ports: []int{80, 23}, wantOpen: []int{80}, wantAlive: true, wantRetried: 1, wantDials: 3,
		},
		{
			name:  "a port silent twice stays closed",
			plan:  map[string][]string{at(80): {"open"}, at(8080): {"lost"}},
			ports: []int{80, 8080}, wantOpen: []int{80}, wantAlive: true, wantRetried: 1, wantDials: 3,
		},
		{
			name:  "an empty address costs one round",
			plan:  map[string][]string{},
			ports: []int{80, 23, 554}, wantRetried: 0, wantDials: 3,
		},
		{
			name:  "late timeouts mean a busy computer: tried again",
			plan:  map[string][]string{at(80): {"late", "open"}},
			ports: []int{80}, wantOpen: []int{80}, wantAlive: true, wantRetried: 1, wantDials: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{plan: tt.plan, calls: map[string]int{}}
				res := Host(t.Context(), ip, tt.ports, Config{Timeout: 400 * time.Millisecond, dial: s.dial}, nil)
				dials := 0
				for _, n := range s.calls {
					dials += n
				}
				slices.Sort(res.Open)
				if res.Alive != tt.wantAlive || !slices.Equal(res.Open, tt.wantOpen) || res.Retried != tt.wantRetried || dials != tt.wantDials {
					t.Errorf("Host = %+v after %d connects, want alive=%v open=%v retried=%d after %d", res, dials, tt.wantAlive, tt.wantOpen, tt.wantRetried, tt.wantDials)
				}
			})
		})
	}
}

func TestHostRetryWaitsLongerByTheLateness(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ip := netip.MustParseAddr("192.168.1.20")
		s := &script{plan: map[string][]string{"192.168.1.20:80": {"late", "lost"}}, calls: map[string]int{}}
		start := time.Now()
		Host(t.Context(), ip, []int{80}, Config{Timeout: 400 * time.Millisecond, dial: s.dial}, nil)
		// First try: 400 ms + 300 ms late; second: 2×400 ms + 300 ms of lateness.
		if got, want := time.Since(start), 1800*time.Millisecond; got != want {
			t.Errorf("two tries took %v, want %v", got, want)
		}
	})
}

func TestHostWaitsAsLongAsAnswersTake(t *testing.T) {
	ip := netip.MustParseAddr("192.168.1.20")
	tests := []struct {
		name     string
		answers  []time.Duration // earlier answers the estimate has seen
		wantOpen bool
	}{
		{"answers have been quick: a second is silence", []time.Duration{time.Millisecond, 2 * time.Millisecond}, false},
		{"answers have taken most of a second: a second is an answer", []time.Duration{700 * time.Millisecond, 900 * time.Millisecond}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var est rtt.Estimator
				for _, d := range tt.answers {
					est.Observe(d)
				}
				s := &script{plan: map[string][]string{"192.168.1.20:80": {"slow"}}, calls: map[string]int{}}
				res := Host(t.Context(), ip, []int{80}, Config{Timeout: 400 * time.Millisecond, RTT: &est, dial: s.dial}, nil)
				if got := len(res.Open) == 1; got != tt.wantOpen {
					t.Errorf("Host = %+v, want open=%v", res, tt.wantOpen)
				}
			})
		})
	}
}

func TestHostGivesUpAnEmptyAddressAfterOneWave(t *testing.T) {
	lan, lo := netip.MustParseAddr("192.168.1.30"), netip.MustParseAddr("127.0.0.9")
	ports := []int{80, 443, 8080, 23, 554, 1883}
	tests := []struct {
		name      string
		ip        netip.Addr
		plan      map[string][]string
		present   func() bool
		wantDials int
		wantOpen  []int
	}{
		{name: "nothing there, no MAC", ip: lan, wantDials: 2},
		{name: "nothing there, no presence check", ip: lan, present: nil, wantDials: 2},
		{name: "drops every SYN but answers ARP", ip: lan, present: func() bool { return true }, wantDials: 6},
		{name: "loopback is never given up", ip: lo, wantDials: 6},
		{
			name: "a refusal in the first wave keeps going", ip: lan,
			plan:      map[string][]string{"192.168.1.30:80": {"refused"}, "192.168.1.30:1883": {"open"}},
			wantDials: 6 + 4, wantOpen: []int{1883}, // the silent ports of a live host are tried again
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{plan: tt.plan, calls: map[string]int{}}
				present := tt.present
				if present == nil && tt.name == "nothing there, no MAC" {
					present = func() bool { return false }
				}
				res := Host(t.Context(), tt.ip, ports, Config{Timeout: 400 * time.Millisecond, Parallel: 2, Present: present, dial: s.dial}, nil)
				dials := 0
				for _, n := range s.calls {
					dials += n
				}
				if dials != tt.wantDials || !slices.Equal(res.Open, tt.wantOpen) {
					t.Errorf("Host(%s) made %d connects, open %v; want %d, open %v", tt.ip, dials, res.Open, tt.wantDials, tt.wantOpen)
				}
			})
		})
	}
}
