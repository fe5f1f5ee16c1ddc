package rtt

import (
	"testing"
	"time"
)

func TestTimeout(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name    string
		samples []time.Duration
		base    time.Duration
		want    time.Duration
	}{
		{"no answers yet: the base", nil, 400 * ms, 400 * ms},
		{"a quiet LAN keeps the base", []time.Duration{ms, 2 * ms, ms, 3 * ms}, 400 * ms, 400 * ms},
		// First sample: srtt 300, rttvar 150 -> 300 + 600.
		{"a slow first answer stretches it", []time.Duration{300 * ms}, 400 * ms, 900 * ms},
		// 100: srtt 100, var 50; 500: var (150+400)/4 = 137.5, srtt 150 -> 150 + 550.
		{"a sudden delay widens the margin", []time.Duration{100 * ms, 500 * ms}, 400 * ms, 700 * ms},
		{"never beyond Most", []time.Duration{10 * time.Second}, 400 * ms, Most},
		{"a base longer than Most stays", []time.Duration{10 * time.Second}, 8 * time.Second, 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Estimator
			for _, s := range tt.samples {
				e.Observe(s)
			}
			if got := e.Timeout(tt.base); got != tt.want {
				t.Errorf("after %v, Timeout(%v) = %v, want %v", tt.samples, tt.base, got, tt.want)
			}
		})
	}
}

func TestNilEstimator(t *testing.T) {
	var e *Estimator
	e.Observe(time.Second)
	if got := e.Timeout(400 * time.Millisecond); got != 400*time.Millisecond {
		t.Errorf("nil Timeout = %v, want the base", got)
	}
}

func TestTracksRecentAnswers(t *testing.T) {
	// A busy spell ends: the estimate comes back to the base.
	var e Estimator
	for range 20 {
		e.Observe(800 * time.Millisecond)
	}
	busy := e.Timeout(400 * time.Millisecond)
	for range 60 {
		e.Observe(time.Millisecond)
	}
	if busy < 800*time.Millisecond || e.Timeout(400*time.Millisecond) != 400*time.Millisecond {
		t.Errorf("busy %v, then quiet %v; want at least 800ms, then the base", busy, e.Timeout(400*time.Millisecond))
	}
}
