package scan

import (
	"context"
	"maps"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/porchlight/porchlight/scan/rtt"
)

// finalGrace is how long the last events wait for a reader after the caller
// has cancelled: long enough for a reader draining the channel, short enough
// that a reader who walked away does not keep the scan alive.
const finalGrace = 2 * time.Second

// scanner is one running scan. Its maps are owned by the merge loop (run);
// sources only send evidence.
type scanner struct {
	opts   Options
	out    chan<- Event
	hosts  []netip.Addr
	prober *prober
	mcast  *mcastIface // nil: no multicast (loopback, or no interface on the target networks)

	devs      map[string]*devState
	keyIP     map[netip.Addr]string
	keyMAC    map[string]string
	pending   map[netip.Addr]bool // hosts whose probes have not finished
	notes     map[string]bool
	bySource  map[string]map[string]bool // source -> device keys
	mcastDone bool
	hostsDone int
	checking  int
	queue     []string // device keys ready for checks
	progress  string   // last Progress sent, to skip repeats
}

type checkMsg struct {
	key     string
	dev     *Device  // the checked device, when the checks are done
	run     checkRun // with dev: what did not finish, credentials sent
	finding *Finding // one finding, as soon as it is known
}

// checkJob is one device for a check worker.
type checkJob struct {
	dev   Device
	spent map[string]int // credentials earlier runs sent, per service
}

func newScanner(opts Options, out chan<- Event) *scanner {
	s := &scanner{
		opts: opts, out: out,
		devs: map[string]*devState{}, keyIP: map[netip.Addr]string{}, keyMAC: map[string]string{},
		pending: map[netip.Addr]bool{}, notes: map[string]bool{}, bySource: map[string]map[string]bool{},
	}
	self := ownAddrs()
	for _, p := range opts.Targets {
		for _, a := range Hosts(p) {
			if !s.pending[a] && !self[a] {
				s.pending[a] = true
				s.hosts = append(s.hosts, a)
			}
		}
	}
	loop := allLoopback(opts.Targets)
	s.prober = &prober{ports: opts.Ports, paths: opts.Catalog.ProbePaths(), unicast: loop, discoverOnly: opts.DiscoverOnly, rtt: &rtt.Estimator{}}
	if !loop {
		s.prober.macs = newNeighCache()
		s.mcast, _ = multicastInterface(opts.Interface, opts.Targets)
	}
	return s
}

// run drives the scan: sources and host probes feed evidence to the merge
// loop; ready devices go to the check workers; events go out. Every
// goroutine started here has returned when run returns.
func (s *scanner) run(ctx context.Context) {
	started := time.Now()
	runCtx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	evCh := make(chan evidence, 256)
	resCh := make(chan checkMsg, 64)
	checkQ := make(chan checkJob)
	emit := func(e evidence) {
		select {
		case evCh <- e:
		case <-runCtx.Done():
		}
	}
	prodDone := make(chan struct{})
	go func() {
		defer close(prodDone)
		s.discover(runCtx, emit)
	}()
	var workers sync.WaitGroup
	for range checkWorkers {
		workers.Go(func() { s.checkWorker(runCtx, checkQ, resCh) })
	}
	if s.mcast == nil {
		s.mcastDone = true
	}
	s.loop(runCtx, evCh, resCh, checkQ, prodDone)
	close(checkQ)
	workers.Wait()
	<-prodDone

	err := runCtx.Err()
	if ctx.Err() != nil {
		err = ctx.Err() // the caller's reason (Ctrl-C) rather than our deadline
	}
	s.final(ctx, s.progressEvent("done"))
	s.final(ctx, Done{Started: started, Finished: time.Now(), Targets: targetStrings(s.opts.Targets), Err: err})
}

// loop is the merge goroutine: the only code that touches device state.
func (s *scanner) loop(ctx context.Context, evCh <-chan evidence, resCh <-chan checkMsg, checkQ chan<- checkJob, prodDone <-chan struct{}) {
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	discovering := true
	s.send(ctx, s.progressEvent("discovering"))
	for discovering || s.checking > 0 || len(s.queue) > 0 {
		var sendQ chan<- checkJob
		var next checkJob
		if len(s.queue) > 0 {
			sendQ, next = checkQ, s.nextJob()
		}
		select {
		case <-ctx.Done():
			return
		case e := <-evCh:
			s.handle(ctx, e)
		case m := <-resCh:
			s.handleCheck(ctx, m)
		case sendQ <- next:
			s.started(next)
		case <-prodDone:
			for drained := false; !drained; { // producers are gone; take what they left
				select {
				case e := <-evCh:
					s.handle(ctx, e)
				default:
					drained = true
				}
			}
			prodDone, discovering = nil, false
			s.mcastDone = true
			for _, st := range s.devs {
				s.maybeReady(st)
			}
		case <-ticker.C:
			phase := "discovering"
			if !discovering {
				phase = "checking"
			}
			s.send(ctx, s.progressEvent(phase))
		}
	}
}

// handle folds one piece of evidence into device state and reports changes.
func (s *scanner) handle(ctx context.Context, e evidence) {
	switch {
	case e.mcastDone:
		s.mcastDone = true
		for _, st := range s.devs {
			s.maybeReady(st)
		}
		return
	case e.hostDone:
		if s.pending[e.ip] {
			delete(s.pending, e.ip)
			s.hostsDone++
		}
		if st := s.devs[s.keyIP[e.ip]]; st != nil {
			s.maybeReady(st)
		}
		return
	case !e.ip.IsValid():
		return
	}
	key := ""
	if e.mac != "" {
		key = s.keyMAC[e.mac]
	}
	if key == "" {
		key = s.keyIP[e.ip]
	}
	if key == "" && !inTargets(s.opts.Targets, e.ip) {
		return // an answer from outside the scope (a multicast reply from elsewhere)
	}
	st, found := s.devs[key], false
	if st == nil {
		key = e.ip.String()
		if e.mac != "" {
			key = e.mac
		}
		st = &devState{dev: Device{Key: key}, sources: map[string]bool{}}
		s.devs[key] = st
		found = true
	}
	changed := st.apply(e)
	s.keyIP[e.ip] = key
	if st.dev.MAC != "" {
		s.keyMAC[st.dev.MAC] = key
	}
	if e.source != "" {
		if s.bySource[e.source] == nil {
			s.bySource[e.source] = map[string]bool{}
		}
		s.bySource[e.source][key] = true
	}
	if found || changed {
		identify(s.opts.Catalog, st)
		if found {
			s.send(ctx, DeviceFound{Device: copyDevice(st.dev)})
		} else {
			s.send(ctx, DeviceUpdated{Device: copyDevice(st.dev)})
		}
	}
	if e.note != "" && !s.notes[key+e.note] {
		s.notes[key+e.note] = true
		s.send(ctx, Note{Key: key, Text: e.note})
	}
	s.maybeReady(st)
	if changed && !st.checking {
		s.checkAgain(st)
	}
}

// nextJob is the check job for the device at the head of the queue.
func (s *scanner) nextJob() checkJob {
	st := s.devs[s.queue[0]]
	return checkJob{dev: copyDevice(st.dev), spent: maps.Clone(st.sent)}
}

// started records that job, the head of the queue, went to a worker.
func (s *scanner) started(job checkJob) {
	st := s.devs[s.queue[0]]
	s.queue = s.queue[1:]
	s.checking++
	st.waiting, st.checking = false, true
	st.runs++
	st.checked = checkBasis(job.dev)
}

// checkAgain queues a device whose checks have run for one more run, when
// evidence that arrived since changed what they depend on; at most
// maxCheckRuns in all. A run whose tests did not finish is not repeated: a
// device that hangs would only hang again, and the device is left
// unchecked, which is the truth.
func (s *scanner) checkAgain(st *devState) {
	if st.runs == 0 || st.waiting || st.runs >= maxCheckRuns || checkBasis(st.dev) == st.checked {
		return
	}
	st.waiting = true
	s.queue = append(s.queue, st.dev.Key)
}

// maybeReady queues a device for its checks once nothing more is coming for
// it: the multicast sources are done and every one of its addresses probed.
func (s *scanner) maybeReady(st *devState) {
	if st.queued || !s.mcastDone || s.opts.DiscoverOnly {
		return
	}
	for _, ip := range st.ips {
		if s.pending[ip] {
			return
		}
	}
	st.queued, st.waiting = true, true
	s.queue = append(s.queue, st.dev.Key)
}

// handleCheck reports a finding, or takes a device's check results.
func (s *scanner) handleCheck(ctx context.Context, m checkMsg) {
	if m.finding != nil {
		s.send(ctx, FindingFound{Key: m.key, Finding: *m.finding})
		return
	}
	s.checking--
	st := s.devs[m.key]
	if st == nil || m.dev == nil {
		return
	}
	st.checking = false
	st.sent = m.run.sent
	st.dev.Support, st.dev.Disclosure, st.dev.PSTI = m.dev.Support, m.dev.Disclosure, m.dev.PSTI
	st.dev.Findings, st.dev.Checked = m.dev.Findings, m.dev.Checked
	s.send(ctx, DeviceUpdated{Device: copyDevice(st.dev)})
	s.checkAgain(st)
}

// checkWorker runs checkDevice on each device it is given.
func (s *scanner) checkWorker(ctx context.Context, in <-chan checkJob, res chan<- checkMsg) {
	for job := range in {
		key := job.dev.Key
		env := checkEnv{opts: s.opts, catalog: s.opts.Catalog, now: s.opts.Now(), rtt: s.prober.rtt, spent: job.spent, found: func(f Finding) {
			select {
			case res <- checkMsg{key: key, finding: &f}:
			case <-ctx.Done():
			}
		}}
		checked, run := runChecks(ctx, job.dev, env)
		select {
		case res <- checkMsg{key: key, dev: &checked, run: run}:
		case <-ctx.Done():
		}
	}
}

// progressEvent counts devices per source and hosts probed.
func (s *scanner) progressEvent(phase string) Progress {
	p := Progress{Sources: map[string]int{}, HostsDone: s.hostsDone, HostsTotal: len(s.hosts), Phase: phase}
	for src, keys := range s.bySource {
		p.Sources[src] = len(keys)
	}
	return p
}

// send delivers ev unless the scan is over.
func (s *scanner) send(ctx context.Context, ev Event) {
	if p, ok := ev.(Progress); ok {
		key := p.Phase + "|" + strconv.Itoa(p.HostsDone) + "|" + strconv.Itoa(len(s.devs))
		for k, v := range p.Sources {
			key += k + strconv.Itoa(v)
		}
		if key == s.progress {
			return
		}
		s.progress = key
	}
	select {
	case s.out <- ev:
	case <-ctx.Done():
	}
}

// final delivers the last events: while the caller's context lives it waits
// for the reader; after cancellation it waits at most finalGrace, so a
// reader still draining gets Done and one who left does not hold us.
func (s *scanner) final(ctx context.Context, ev Event) {
	if ctx.Err() == nil {
		select {
		case s.out <- ev:
			return
		case <-ctx.Done():
		}
	}
	t := time.NewTimer(finalGrace)
	defer t.Stop()
	select {
	case s.out <- ev:
	case <-t.C:
	}
}

// ownAddrs are this computer's own non-loopback addresses: it is not one of
// the household's devices, so it is not probed. (Loopback is left in: the
// lab's devices live there.)
func ownAddrs() map[netip.Addr]bool {
	out := map[netip.Addr]bool{}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return out
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(ipn.IP); ok && !ip.Unmap().IsLoopback() {
				out[ip.Unmap()] = true
			}
		}
	}
	return out
}
