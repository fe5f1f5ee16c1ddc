package pace

import (
	"context"
	"math"
	"testing"
	"testing/synctest"
	"time"
)

// steady is a lag sampler that always reports d.
func steady(d time.Duration) func() (time.Duration, bool) {
	return func() (time.Duration, bool) { return d, true }
}

func TestAdjust(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name  string
		most  int
		lags  []time.Duration
		want  int
		lowes int
	}{
		{"starts at twice the floor", 256, nil, 64, 64},
		{"a quiet computer opens up in two ticks", 256, []time.Duration{ms, ms}, 256, 64},
		{"never beyond the most", 256, []time.Duration{ms, ms, ms, ms, ms}, 256, 64},
		{"a busy computer halves", 512, []time.Duration{ms, ms, ms, 50 * ms}, 256, 64},
		{"never below Least", 256, []time.Duration{50 * ms, 50 * ms, 50 * ms, 50 * ms}, Least, Least},
		{"in between, it holds", 256, []time.Duration{ms, 10 * ms, 10 * ms}, 128, 64},
		{"recovers after a busy spell", 256, []time.Duration{50 * ms, 50 * ms, ms, ms}, 128, Least},
		{"a small scan stays small", 4, []time.Duration{ms, 50 * ms}, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			l := newLimiter(tt.most, func() (time.Duration, bool) {
				d := tt.lags[i]
				i++
				return d, true
			})
			for range tt.lags {
				l.Adjust()
			}
			if l.Limit() != tt.want || l.Lowest() != tt.lowes {
				t.Errorf("after lags %v: limit %d (lowest %d), want %d (%d)", tt.lags, l.Limit(), l.Lowest(), tt.want, tt.lowes)
			}
		})
	}
}

func TestAcquireWaitsForRoom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(1, steady(time.Millisecond))
		if err := l.Acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
		got := make(chan error, 1)
		go func() { got <- l.Acquire(t.Context()) }()
		synctest.Wait()
		select {
		case err := <-got:
			t.Fatalf("second Acquire = %v with no room; want it to wait", err)
		default:
		}
		l.Release()
		synctest.Wait()
		select {
		case err := <-got:
			if err != nil {
				t.Fatalf("Acquire after Release = %v", err)
			}
		default:
			t.Fatal("Acquire did not wake after Release")
		}
	})
}

func TestAcquireWakesWhenTheLimitRises(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(4*Least, steady(time.Millisecond))
		for range 2 * Least {
			if err := l.Acquire(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		got := make(chan error, 1)
		go func() { got <- l.Acquire(t.Context()) }()
		synctest.Wait()
		l.Adjust()
		synctest.Wait()
		select {
		case err := <-got:
			if err != nil || l.Limit() != 4*Least {
				t.Fatalf("Acquire = %v, limit %d; want room at %d", err, l.Limit(), 4*Least)
			}
		default:
			t.Fatal("Acquire did not wake when the limit rose")
		}
	})
}

func TestAcquireCancelled(t *testing.T) {
	l := newLimiter(1, steady(time.Millisecond))
	_ = l.Acquire(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Acquire(ctx); err == nil {
		t.Error("Acquire with no room and a cancelled context = nil")
	}
}

func TestPercentile(t *testing.T) {
	buckets := []float64{0, 0.001, 0.01, 0.1, math.Inf(1)}
	tests := []struct {
		name         string
		counts, prev []uint64
		want         time.Duration
		ok           bool
	}{
		{"first read has no window", []uint64{100, 0, 0, 0}, nil, 0, false},
		{"too few new samples", []uint64{110, 0, 0, 0}, []uint64{100, 0, 0, 0}, 0, false},
		{"all quick", []uint64{200, 0, 0, 0}, []uint64{100, 0, 0, 0}, time.Millisecond, true},
		{"a tenth slow is the 90th percentile's edge", []uint64{190, 0, 10, 0}, []uint64{100, 0, 0, 0}, time.Millisecond, true},
		{"a fifth slow", []uint64{180, 0, 20, 0}, []uint64{100, 0, 0, 0}, 100 * time.Millisecond, true},
		{"the unbounded bucket is capped", []uint64{100, 0, 0, 100}, []uint64{100, 0, 0, 0}, time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := percentile(tt.counts, tt.prev, buckets, 0.9)
			if got != tt.want || ok != tt.ok {
				t.Errorf("percentile = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestSchedLagReadsTheRuntime(t *testing.T) {
	lag := schedLag()
	if _, ok := lag(); ok {
		t.Error("the first read has no window but reported one")
	}
	// The runtime samples scheduling latency rather than recording every
	// transition, so one batch of goroutines may give too few samples for a
	// reading. Make runnable goroutines in rounds until a reading comes,
	// with a bound on the rounds.
	done := make(chan struct{})
	for round := range 50 {
		for range 1000 {
			go func() { done <- struct{}{} }()
		}
		for range 1000 {
			<-done
		}
		if d, ok := lag(); ok {
			if d < 0 || d > time.Minute {
				t.Errorf("lag after %d rounds = %v, want 0..1m", round+1, d)
			}
			return
		}
	}
	t.Error("no scheduling-latency reading after 50,000 goroutines")
}
