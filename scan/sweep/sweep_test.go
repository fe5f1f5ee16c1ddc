package sweep

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"
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
