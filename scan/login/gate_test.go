package login

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// pipeDial hands out in-memory connections and records when each was opened.
type pipeDial struct {
	mu     sync.Mutex
	opened []time.Time
}

func (p *pipeDial) dial(context.Context, string, string) (net.Conn, error) {
	a, b := net.Pipe()
	go func() { // the far end: hold until our side closes
		buf := make([]byte, 1)
		b.Read(buf)
		b.Close()
	}()
	p.mu.Lock()
	p.opened = append(p.opened, time.Now())
	p.mu.Unlock()
	return a, nil
}

func TestGateOneAtATimeAndSpaced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const spacing = 300 * time.Millisecond
		const hold = time.Second
		pd := &pipeDial{}
		g := NewGate(localhost, spacing, pd.dial)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var closed []time.Time
		for range 4 {
			wg.Go(func() {
				c, err := g.Dial(t.Context(), "tcp", "127.0.0.1:23")
				if err != nil {
					t.Error(err)
					return
				}
				time.Sleep(hold) // the "device" takes a second to answer (fake clock)
				mu.Lock()
				closed = append(closed, time.Now())
				mu.Unlock()
				c.Close()
			})
		}
		wg.Wait()
		if len(pd.opened) != 4 || g.Dials() != 4 {
			t.Fatalf("opened %d connections (gate counted %d), want 4", len(pd.opened), g.Dials())
		}
		for i := 1; i < len(pd.opened); i++ {
			if gap := pd.opened[i].Sub(closed[i-1]); gap < spacing {
				t.Errorf("connection %d opened %v after the previous closed, want >= %v", i, gap, spacing)
			}
		}
		if total := pd.opened[3].Sub(pd.opened[0]); total != 3*(hold+spacing) {
			t.Errorf("four connections took %v to start, want %v (serial and spaced)", total, 3*(hold+spacing))
		}
	})
}

func TestGateCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pd := &pipeDial{}
		g := NewGate(localhost, time.Minute, pd.dial)
		c, err := g.Dial(t.Context(), "tcp", "127.0.0.1:80")
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err = g.Dial(ctx, "tcp", "127.0.0.1:80")
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
			t.Errorf("Dial during spacing = %v after %v, want deadline exceeded after 1s", err, time.Since(start))
		}
	})
}

func TestGateRefusesOtherHosts(t *testing.T) {
	pd := &pipeDial{}
	g := NewGate(localhost, 0, pd.dial)
	for _, addr := range []string{"127.0.0.2:80", "[::1]:80", "192.168.1.1:80", "example.com:80", "127.0.0.1"} {
		if _, err := g.Dial(t.Context(), "tcp", addr); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Dial(%q) = %v, want ErrNotAllowed", addr, err)
		}
	}
	if len(pd.opened) != 0 {
		t.Errorf("gate dialled %d times for other hosts", len(pd.opened))
	}
	if got := NewGate(netip.MustParseAddr("::ffff:127.0.0.1"), 0, pd.dial).Host(); got != localhost {
		t.Errorf("Host() = %v, want the unmapped %v", got, localhost)
	}
}

// TestCancelEndsExchange: a device that accepts and then says nothing must
// not hold a check past its context, whatever the protocol.
func TestCancelEndsExchange(t *testing.T) {
	tests := []struct {
		name string
		try  func(context.Context, *Gate, Target) (Result, error)
	}{
		{"ftp", func(ctx context.Context, g *Gate, tg Target) (Result, error) { return FTP(ctx, g, tg, creds("a/b")) }},
		{"telnet", func(ctx context.Context, g *Gate, tg Target) (Result, error) { return Telnet(ctx, g, tg, creds("a/b")) }},
		{"rtsp", RTSPOpen},
		{"mqtt", MQTTAnonymous},
		{"ssh", func(ctx context.Context, g *Gate, tg Target) (Result, error) { return SSH(ctx, g, tg, creds("a/b")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			port := tcpServer(t, func(c net.Conn) {
				io.Copy(io.Discard, c) // silent until we hang up
			})
			dialled := make(chan struct{}, 1)
			g := NewGate(localhost, 0, func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				dialled <- struct{}{}
				return c, err
			})
			go func() {
				<-dialled
				cancel()
			}()
			start := time.Now()
			tt.try(ctx, g, Target{Port: port, Timeout: time.Minute})
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("returned %v after the context ended, want promptly", d)
			}
			c, err := g.Dial(t.Context(), "tcp", g.addr(port))
			if err != nil {
				t.Fatalf("gate still held after cancel: %v", err)
			}
			c.Close()
		})
	}
}
