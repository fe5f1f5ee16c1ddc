package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/porchlight/porchlight/scan"
)

// slowScan streams the first n events of the home scan, then waits to be
// cancelled, as a real scan does while probes are still running; it then
// reports Done with the cancellation and closes.
func slowScan(evs []scan.Event, n int) func(context.Context, scan.Options) (<-chan scan.Event, error) {
	return func(ctx context.Context, _ scan.Options) (<-chan scan.Event, error) {
		ch := make(chan scan.Event)
		go func() {
			defer close(ch)
			for _, e := range evs[:n] {
				select {
				case ch <- e:
				case <-ctx.Done():
				}
			}
			<-ctx.Done()
			ch <- scan.Done{Err: ctx.Err()}
		}()
		return ch, nil
	}
}

// TestStopKeepsWhatWasFound stops a scan with Esc: the screen says it is
// stopping, and every device found before is on the overview afterwards.
func TestStopKeepsWhatWasFound(t *testing.T) {
	s := testSession(Config{})
	s.runScan = slowScan(homeEvents(t), 10) // three devices, with findings
	m := newModel(t.Context(), s)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	w := screenWaiter{t, tm}
	w.text("Shall we start?", 5*time.Second)
	w.keys("y")
	w.text("Found so far: 3", 5*time.Second)
	w.keys("esc")
	w.until("the overview after stopping", 5*time.Second, func(s string) bool {
		return strings.Contains(s, "Porchlight · Your home") && strings.Contains(s, "We found 3 devices")
	})
	w.keys("s")
	w.text("stopped early", 5*time.Second)
	tm.Send(keyMsg("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// syncBuffer is a bytes.Buffer safe to write from the program and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestInterruptKeepsResults ends the whole program from outside mid-scan (as
// SIGINT does through main's context): Run stops the scan, takes in what was
// found, and prints the summary; the error says it was cancelled.
func TestInterruptKeepsResults(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out syncBuffer
	inR, inW := ioPipe(t)
	cfg := Config{Network: "192.168.1.0/24", In: inR, Out: &out, NoColor: true}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, cfg, func(s *session) { s.runScan = slowScan(homeEvents(t), 10) })
	}()
	waitOutput(t, &out, "Shall we start?")
	if _, err := inW.Write([]byte("y")); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, "Found so far: 3")
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	if got := out.String(); !strings.Contains(got, "Porchlight: We found 3 devices.") {
		t.Errorf("no summary of the 3 devices after the interrupt; output ends:\n%q", tail(got, 400))
	}
}

// waitOutput waits, with a deadline, for text in the program's output.
func waitOutput(t *testing.T, out *syncBuffer, text string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(out.String(), text) {
		select {
		case <-deadline:
			t.Fatalf("waited for %q; output ends:\n%q", text, tail(out.String(), 400))
		case <-tick.C:
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
