// Package rtt estimates how long answers take to arrive during a scan, the
// way TCP does for its retransmission timeout (RFC 6298): a smoothed round
// trip and its variation, fed by every connect that was answered. The
// estimate includes this computer's own delay in hearing an answer, so on a
// busy machine timeouts grow instead of turning slow answers into silence;
// on a quiet network they stay at their base.
package rtt

import (
	"sync"
	"time"
)

// Most is the longest a timeout grows: a device slower than this to answer
// is treated as silent whatever the estimate says.
const Most = 5 * time.Second

// Estimator is a scan's running estimate. The zero value is ready; a nil
// *Estimator always gives the base timeout.
type Estimator struct {
	mu     sync.Mutex // guards the fields below
	srtt   time.Duration
	rttvar time.Duration
	n      int
}

// Observe records how long one answer took.
func (e *Estimator) Observe(d time.Duration) {
	if e == nil || d < 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.n == 0 {
		e.srtt, e.rttvar = d, d/2
	} else {
		diff := e.srtt - d
		if diff < 0 {
			diff = -diff
		}
		e.rttvar = (3*e.rttvar + diff) / 4
		e.srtt = (7*e.srtt + d) / 8
	}
	e.n++
}

// Timeout is how long to wait for an answer now: base, or the smoothed round
// trip plus four times its variation when that is longer, at most Most
// (or base, if base is longer still).
func (e *Estimator) Timeout(base time.Duration) time.Duration {
	if e == nil {
		return base
	}
	e.mu.Lock()
	rto := e.srtt + 4*e.rttvar
	e.mu.Unlock()
	return max(base, min(rto, Most))
}
