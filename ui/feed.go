package ui

import (
	"sync"

	"github.com/porchlight/porchlight/scan"
)

// feed keeps every event of one scan, in order, as a forwarding goroutine
// reads them from scan's channel. The program reads from it with
// nextEventsCmd, one batch at a time, and the root model counts how many it
// has applied. Nothing is removed from the feed, so when the program ends
// early (Ctrl-C from outside, a crash) Run applies whatever the model had
// not taken yet: a batch in flight is never lost.
type feed struct {
	mu     sync.Mutex
	events []scan.Event  // guarded by mu; append only
	closed bool          // guarded by mu; the scan's channel has closed
	wake   chan struct{} // guarded by mu; closed (and replaced) on every change
	done   chan struct{} // closed with the scan's channel
}

// startFeed starts forwarding src into a new feed.
func startFeed(src <-chan scan.Event) *feed {
	f := &feed{wake: make(chan struct{}), done: make(chan struct{})}
	go func() {
		for ev := range src {
			f.mu.Lock()
			f.events = append(f.events, ev)
			f.signal()
			f.mu.Unlock()
		}
		f.mu.Lock()
		f.closed = true
		f.signal()
		f.mu.Unlock()
		close(f.done)
	}()
	return f
}

// signal wakes every waiter; f.mu must be held.
func (f *feed) signal() {
	close(f.wake)
	f.wake = make(chan struct{})
}

// since returns up to n events from index i, whether the feed has closed with
// nothing after them, and a channel that closes on the next change.
func (f *feed) since(i, n int) (evs []scan.Event, end bool, wake <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j := min(len(f.events), i+n)
	if i < j {
		evs = f.events[i:j:j]
	}
	return evs, f.closed && j == len(f.events), f.wake
}

// next blocks until there are events after index i or the feed has closed.
func (f *feed) next(i, n int) ([]scan.Event, bool) {
	for {
		evs, end, wake := f.since(i, n)
		if len(evs) > 0 || end {
			return evs, end
		}
		<-wake
	}
}
