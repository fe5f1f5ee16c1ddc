// Package pace admits a scan's hosts at the rate this computer keeps up
// with. A scan starts hundreds of probes at once; on a busy computer (two
// cores shared with other work) that many runnable goroutines make every
// answer wait in line to be read, until waits expire and devices that did
// answer look silent. The Limiter watches how long runnable goroutines wait
// for a CPU (the runtime's scheduling latency) and halves the number of
// hosts in flight while that wait is long, doubling it back while it is
// short, as TCP does with its window.
package pace

import (
	"context"
	"runtime/metrics"
	"sync"
	"time"
)

// Tuning. A quiet computer schedules a runnable goroutine in microseconds;
// tens of milliseconds mean the queue is long.
const (
	// Tick is how often the limit is adjusted.
	Tick = 25 * time.Millisecond
	// Slow is the scheduling wait (90th percentile over a tick) above which
	// the limit halves; Quick the one below which it doubles.
	Slow  = 20 * time.Millisecond
	Quick = 5 * time.Millisecond
	// Least is the fewest hosts kept in flight. Silent addresses cost a
	// connect timeout each whatever the load, so even a busy computer keeps
	// this many going: a /24 of mostly empty addresses still ends in about
	// 256/32 rounds of the sweep.
	Least = 32
)

// Limiter bounds the hosts in flight between Least and its most.
type Limiter struct {
	most int
	lag  func() (time.Duration, bool) // recent scheduling wait; false: no samples

	mu       sync.Mutex // guards the fields below
	limit    int
	inFlight int
	changed  chan struct{} // closed when inFlight falls or limit rises
	lowest   int           // the lowest limit set, for reports and tests
}

// New returns a Limiter for at most most hosts at once, starting at
// min(most, 2*Least) and adjusting every Tick while ctx lives (call Run).
func New(most int) *Limiter {
	return newLimiter(most, schedLag())
}

func newLimiter(most int, lag func() (time.Duration, bool)) *Limiter {
	most = max(most, 1)
	start := min(most, 2*Least)
	return &Limiter{most: most, lag: lag, limit: start, lowest: start, changed: make(chan struct{})}
}

// Run adjusts the limit every Tick until ctx ends.
func (l *Limiter) Run(ctx context.Context) {
	t := time.NewTicker(Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Adjust()
		}
	}
}

// Adjust reads the recent scheduling wait once and moves the limit.
func (l *Limiter) Adjust() {
	lag, ok := l.lag()
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case lag > Slow:
		l.limit = max(min(l.most, Least), l.limit/2)
		l.lowest = min(l.lowest, l.limit)
	case lag < Quick && l.limit < l.most:
		l.limit = min(l.most, 2*l.limit)
		l.wake()
	}
}

// Acquire waits for room for one more host, or for ctx to end.
func (l *Limiter) Acquire(ctx context.Context) error {
	for {
		l.mu.Lock()
		if l.inFlight < l.limit {
			l.inFlight++
			l.mu.Unlock()
			return nil
		}
		ch := l.changed
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Release says a host is done.
func (l *Limiter) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	l.wake()
}

// Limit is the current limit; Lowest the lowest it has been.
func (l *Limiter) Limit() int  { l.mu.Lock(); defer l.mu.Unlock(); return l.limit }
func (l *Limiter) Lowest() int { l.mu.Lock(); defer l.mu.Unlock(); return l.lowest }

// wake lets waiting Acquire calls look again. l.mu must be held.
func (l *Limiter) wake() {
	close(l.changed)
	l.changed = make(chan struct{})
}

const latencies = "/sched/latencies:seconds"

// schedLag returns a sampler of the 90th percentile scheduling wait since
// its previous call, from the runtime's own histogram.
func schedLag() func() (time.Duration, bool) {
	sample := []metrics.Sample{{Name: latencies}}
	var prev []uint64
	return func() (time.Duration, bool) {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindFloat64Histogram {
			return 0, false
		}
		h := sample[0].Value.Float64Histogram()
		d, ok := percentile(h.Counts, prev, h.Buckets, 0.9)
		prev = append(prev[:0], h.Counts...)
		return d, ok
	}
}

// percentile is the q-th percentile of the counts added since prev, by
// the upper bound of its bucket; false when fewer than 20 were added.
func percentile(counts, prev []uint64, buckets []float64, q float64) (time.Duration, bool) {
	var total uint64
	diff := make([]uint64, len(counts))
	for i, c := range counts {
		if i < len(prev) && prev[i] <= c {
			c -= prev[i]
		}
		diff[i] = c
		total += c
	}
	if total < 20 || len(prev) == 0 {
		return 0, false
	}
	want := uint64(float64(total) * q)
	var seen uint64
	for i, c := range diff {
		seen += c
		if seen >= want && i+1 < len(buckets) {
			upper := min(buckets[i+1], 60) // the last bucket is unbounded
			return time.Duration(upper * float64(time.Second)), true
		}
	}
	return 0, false
}
