package unicast

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"
)

// responder is a UDP server on loopback that ignores the first skip queries
// and answers the rest with "answer"; it counts what it received and closes
// heard at the first query.
type responder struct {
	conn  *net.UDPConn
	heard chan struct{}
	mu    sync.Mutex
	got   int
}

func newResponder(t *testing.T, skip int) *responder {
	t.Helper()
	return newSlowResponder(t, skip, 0, false)
}

// newSlowResponder is newResponder whose answers leave after delay; with
// onlyFirst it answers the first query it answers and no other.
func newSlowResponder(t *testing.T, skip int, delay time.Duration, onlyFirst bool) *responder {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	r := &responder{conn: conn, heard: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64)
		for {
			_, from, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			r.mu.Lock()
			r.got++
			n := r.got
			r.mu.Unlock()
			if n == 1 {
				close(r.heard)
			}
			if n <= skip || (onlyFirst && n > skip+1) {
				continue
			}
			// A device slow to answer (the timer is the device's, not a wait in the test).
			time.AfterFunc(delay, func() { _, _ = conn.WriteToUDP([]byte("answer"), from) })
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return r
}

func (r *responder) received() int { r.mu.Lock(); defer r.mu.Unlock(); return r.got }

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("udp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func closedUDP(t *testing.T) string {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	addr := c.LocalAddr().String()
	c.Close()
	return addr
}

func TestAsk(t *testing.T) {
	const wait = 300 * time.Millisecond
	tests := []struct {
		name        string
		skip        int  // queries the responder ignores; -1: nothing listens
		wantSent    int  // queries Ask sent
		wantAnswers int  // answers handed over
		slow        bool // took at least the two windows
	}{
		{name: "answered at once", skip: 0, wantSent: 1, wantAnswers: 1},
		{name: "first query lost: sent again", skip: 1, wantSent: 2, wantAnswers: 1},
		{name: "never answers: sent twice, then silence", skip: 99, wantSent: 2, slow: true},
		{name: "nothing listens: the refusal ends it", skip: -1, wantSent: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *responder
			addr := ""
			if tt.skip < 0 {
				addr = closedUDP(t)
			} else {
				r = newResponder(t, tt.skip)
				addr = r.conn.LocalAddr().String()
			}
			answers := 0
			start := time.Now()
			sent, err := Ask(t.Context(), dial(t, addr), []byte("query"), Fixed(wait), 64, func(b []byte) (bool, bool) {
				ok := string(b) == "answer"
				if ok {
					answers++
				}
				return ok, ok
			})
			took := time.Since(start)
			if err != nil || sent != tt.wantSent || answers != tt.wantAnswers {
				t.Errorf("Ask = %d sent, %d answers, %v; want %d sent, %d answers", sent, answers, err, tt.wantSent, tt.wantAnswers)
			}
			if r != nil && r.received() != sent && tt.skip < 99 {
				t.Errorf("responder received %d queries, Ask says it sent %d", r.received(), sent)
			}
			if tt.slow && took < 3*wait {
				t.Errorf("gave up after %v; want the two windows (%v)", took, 3*wait)
			}
			if !tt.slow && took >= 3*wait {
				t.Errorf("took %v; want it to end before the windows run out", took)
			}
		})
	}
}

func TestAskReadsALateAnswer(t *testing.T) {
	// The device answers the first query after the first window has closed
	// and ignores the second: the second window still hears it.
	const wait = 100 * time.Millisecond
	r := newSlowResponder(t, 0, 2*wait, true)
	answers := 0
	sent, err := Ask(t.Context(), dial(t, r.conn.LocalAddr().String()), []byte("query"), Fixed(wait), 64, func(b []byte) (bool, bool) {
		answers++
		return true, true
	})
	if err != nil || answers != 1 || sent != 2 {
		t.Errorf("Ask = %d sent, %d answers, %v; want the late answer after sending twice", sent, answers, err)
	}
}

func TestAskCancelled(t *testing.T) {
	r := newResponder(t, 99)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-r.heard
		cancel()
	}()
	start := time.Now()
	_, err := Ask(ctx, dial(t, r.conn.LocalAddr().String()), []byte("query"), Fixed(10*time.Second), 64, func([]byte) (bool, bool) { return false, false })
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("Ask after cancel = %v after %v; want the context's error at once", err, time.Since(start))
	}
}
