// Package report turns a scan into the porchlight.scan/v1 JSON report, and
// renders saved reports as Markdown or HTML.
package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/vendors"
)

// Schema is the JSON report's schema name; a report with another is refused.
const Schema = "porchlight.scan/v1"

// Report is one scan, as saved and exported.
type Report struct {
	Schema          string        `json:"schema"`
	ToolVersion     string        `json:"tool_version"`
	VendorsDataDate string        `json:"vendors_data_date"`
	Started         time.Time     `json:"started"`
	Finished        time.Time     `json:"finished"`
	Targets         []string      `json:"targets"`
	Devices         []scan.Device `json:"devices"`
	// Notes are scan-wide remarks (a source that could not start, a scan cut short).
	Notes []string `json:"notes,omitempty"`
	// Interrupted is true when the scan was cancelled before it finished.
	Interrupted bool `json:"interrupted,omitempty"`

	// Catalog is the vendor data the Markdown, HTML and text reports word
	// their advice from; nil means the embedded catalogue.
	Catalog *vendors.Catalog `json:"-"`
	// Names are the names the household gave devices ("kitchen camera"),
	// by Device.Key, shown beside what each device is.
	Names map[string]string `json:"-"`

	// builtinWording makes the renderers ignore every catalogue and use
	// advice's own wording, so golden files pin the layout, not vendor text.
	builtinWording bool
}

// Collect reads events until the channel closes (or ctx ends) and returns the
// report. onEvent, when not nil, sees every event first (for live output).
func Collect(ctx context.Context, events <-chan scan.Event, onEvent func(scan.Event)) *Report {
	r := &Report{Schema: Schema}
	byKey := map[string]int{}
	for {
		select {
		case <-ctx.Done():
			r.Interrupted = true
			r.sortDevices()
			return r
		case ev, ok := <-events:
			if !ok {
				r.sortDevices()
				return r
			}
			if onEvent != nil {
				onEvent(ev)
			}
			r.apply(ev, byKey)
		}
	}
}

func (r *Report) apply(ev scan.Event, byKey map[string]int) {
	switch ev := ev.(type) {
	case scan.DeviceFound:
		r.upsert(ev.Device, byKey)
	case scan.DeviceUpdated:
		r.upsert(ev.Device, byKey)
	case scan.Note:
		if ev.Key == "" {
			r.Notes = append(r.Notes, ev.Text)
		}
	case scan.Done:
		r.Started, r.Finished, r.Targets = ev.Started, ev.Finished, ev.Targets
		if ev.Err != nil {
			r.Interrupted = true
			r.Notes = append(r.Notes, "The scan stopped early: "+ev.Err.Error())
		}
	}
}

func (r *Report) upsert(d scan.Device, byKey map[string]int) {
	if i, ok := byKey[d.Key]; ok {
		r.Devices[i] = d
		return
	}
	byKey[d.Key] = len(r.Devices)
	r.Devices = append(r.Devices, d)
}

// sortDevices orders devices by address so reports are stable.
func (r *Report) sortDevices() {
	sort.SliceStable(r.Devices, func(i, j int) bool { return addrLess(r.Devices[i].IP, r.Devices[j].IP) })
}

// WriteJSON writes the report as indented JSON, with any password in a
// finding masked (see masker) and credential-like details dropped.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.redacted()); err != nil {
		return fmt.Errorf("report: write json: %w", err)
	}
	return nil
}

// ErrSchema means a file is not a Porchlight report this version can read.
var ErrSchema = errors.New("not a porchlight.scan/v1 report")

// Caps on what Load accepts. A household report is a few hundred KiB with
// tens of devices; the largest network Porchlight scans (a /16 with --wide)
// could not hold more devices than this in any home.
const (
	maxReportSize = 32 << 20
	maxDevices    = 4096
)

// Load reads a saved JSON report. The file is untrusted: its size and device
// count are capped, and the renderers clean every string again.
func Load(rd io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(rd, maxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("report: read: %w", err)
	}
	if len(data) > maxReportSize {
		return nil, fmt.Errorf("report: larger than %d MiB: %w", maxReportSize>>20, ErrSchema)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("report: %w: %v", ErrSchema, err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("report: schema %q: %w", clean.String(r.Schema, 64), ErrSchema)
	}
	if len(r.Devices) > maxDevices {
		return nil, fmt.Errorf("report: %d devices, more than %d: %w", len(r.Devices), maxDevices, ErrSchema)
	}
	return &r, nil
}
