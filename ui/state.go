package ui

import (
	"context"
	tea "github.com/charmbracelet/bubbletea"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/porchlight/porchlight/advice"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// session is what the screens share: the devices found, their advice, the
// names people give them and what was fixed. Only the root model's Update
// changes it (Bubble Tea runs Update on one goroutine), so it needs no lock.
type session struct {
	cfg    Config
	cat    *vendors.Catalog
	now    time.Time // the scan date advice judges support periods by
	styles Styles
	keys   keyMap
	rng    *rand.Rand // passphrase suggestions

	devices map[string]*deviceState
	// order is device keys, worst first; resorted when data changes, never
	// while drawing.
	order []string
	// found is device keys in the order they were found.
	found []string

	progress    scan.Progress
	notes       []string
	started     time.Time
	finished    time.Time
	targets     []string
	interrupted bool
	scanDone    bool
	fixed       []fixRecord
	household   string // one-line summary, kept current with order
	// pending is navigation queued by screens for the root (see send).
	pending []tea.Msg

	// runScan and recheck are scan.Run and scan.Recheck; tests that drive
	// the screens with events they make themselves replace them.
	runScan func(context.Context, scan.Options) (<-chan scan.Event, error)
	recheck func(context.Context, scan.Device, scan.Options) (scan.Device, error)
}

// deviceState is one device with its advice, worked out when it changes.
type deviceState struct {
	dev   scan.Device
	adv   advice.Device
	name  string // the name the person gave it, cleaned
	shown string // what lists call it: their name, else the device's own
}

// fixRecord is one finding the person fixed, confirmed by a re-check.
type fixRecord struct {
	key     string
	device  string
	finding string
	title   string
}

func newSession(cfg Config, styles Styles, rng *rand.Rand, now time.Time) *session {
	return &session{
		cfg: cfg, cat: cfg.Catalog, now: now, styles: styles, keys: newKeys(), rng: rng,
		devices: map[string]*deviceState{}, household: advice.Household(nil),
		runScan: scan.Run, recheck: scan.Recheck,
	}
}

// apply takes one scan event into the session. It reports whether the
// device list changed (and so needs sorting).
func (s *session) apply(ev scan.Event) bool {
	switch ev := ev.(type) {
	case scan.DeviceFound:
		s.put(ev.Device)
		return true
	case scan.DeviceUpdated:
		s.put(ev.Device)
		return true
	case scan.FindingFound:
		return s.addFinding(ev.Key, ev.Finding)
	case scan.Progress:
		s.progress = ev
	case scan.Note:
		s.addNote(ev)
	case scan.Done:
		s.started, s.finished, s.targets = ev.Started, ev.Finished, ev.Targets
		s.interrupted = ev.Err != nil
	}
	return false
}

func (s *session) addNote(n scan.Note) {
	text := safe(n.Text)
	if d, ok := s.devices[n.Key]; ok && n.Key != "" {
		text = d.shown + ": " + text
	}
	s.notes = append(s.notes, text)
}

// addFinding adds a finding streamed ahead of its device update, unless the
// device already has it.
func (s *session) addFinding(key string, f scan.Finding) bool {
	d, ok := s.devices[key]
	if !ok {
		return false
	}
	for _, have := range d.dev.Findings {
		if have.ID == f.ID && have.Service == f.Service {
			return false
		}
	}
	dev := d.dev
	dev.Findings = append(slices.Clip(dev.Findings), f)
	s.put(dev)
	return true
}

// put stores a device and works out its advice.
func (s *session) put(dev scan.Device) {
	d, ok := s.devices[dev.Key]
	if !ok {
		d = &deviceState{}
		s.devices[dev.Key] = d
		s.order = append(s.order, dev.Key)
		s.found = append(s.found, dev.Key)
	}
	d.dev = dev
	d.adv = advice.Advise(s.cat, dev, s.now)
	d.shown = displayName(d)
}

// rename sets the person's own name for a device ("kitchen camera").
func (s *session) rename(key, name string) {
	if d, ok := s.devices[key]; ok {
		d.name = safe(name)
		d.shown = displayName(d)
	}
}

// displayName is what lists call a device: the person's name for it, else
// the name it gives itself, else its maker and kind.
func displayName(d *deviceState) string {
	for _, n := range []string{d.name, d.dev.Name, d.dev.Hostname} {
		if n = safe(n); n != "" {
			return n
		}
	}
	return safe(d.adv.Label)
}

// resort orders devices worst first (then by address, so the order is stable)
// and refreshes the household summary.
func (s *session) resort() {
	slices.SortStableFunc(s.order, func(a, b string) int {
		da, db := s.devices[a].dev, s.devices[b].dev
		switch {
		case advice.Worse(da, db):
			return -1
		case advice.Worse(db, da):
			return 1
		}
		return 0
	})
	s.household = advice.Household(s.deviceList())
}

func (s *session) deviceList() []scan.Device {
	out := make([]scan.Device, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, s.devices[k].dev)
	}
	return out
}

// recheckResult takes a re-checked device in and says whether the finding
// is gone. A fix confirmed here is remembered for the summary.
func (s *session) recheckResult(before scan.Device, after scan.Device, findingID, service string) bool {
	s.put(after)
	s.resort()
	for _, f := range after.Findings {
		if f.ID == findingID && (service == "" || f.Service == service) {
			return false
		}
	}
	d := s.devices[after.Key]
	title := advice.Explain(before, scan.Finding{ID: findingID}, s.now).Title
	for _, r := range s.fixed {
		if r.key == after.Key && r.finding == findingID {
			return true
		}
	}
	s.fixed = append(s.fixed, fixRecord{key: after.Key, device: d.shown, finding: findingID, title: title})
	return true
}

// report is the session as a saveable report.
func (s *session) report() *report.Report {
	r := &report.Report{
		Schema: report.Schema, ToolVersion: s.cfg.ToolVersion,
		Started: s.started, Finished: s.finished, Targets: s.targets,
		Devices: s.deviceList(), Notes: s.notes, Interrupted: s.interrupted,
	}
	if s.cat != nil {
		r.VendorsDataDate = s.cat.DataDate
	}
	return r
}
