package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/advice"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/vendors"
)

// page is what every renderer shows: the report with advice applied, every
// device string cleaned and any password masked. Renderers only lay it out.
type page struct {
	When        string // "20 November 2026 at 19:00 UTC"
	Targets     string
	Summary     string // advice.Household
	AtRisk      int
	Attention   int
	Fine        int
	Devices     []deviceView
	Notes       []string
	Interrupted bool
	ToolVersion string
	DataDate    string
	ReportUK    string
}

// deviceView is one device on the page.
type deviceView struct {
	Anchor   string // "device-1", for links within the HTML page
	Heading  string // the user's name, else maker and model, else what it calls itself
	Kind     string // "camera"
	Verdict  advice.Verdict
	Facts    []fact
	PSTI     []advice.PSTILine
	Support  string
	Contact  string // where to tell the maker about a safety problem
	Findings []findingView
}

// fact is one labelled detail ("Address", "192.168.1.20").
type fact struct{ Label, Value string }

// findingView is one problem with its guided fix.
type findingView struct {
	Title      string
	Severity   string
	Verdict    advice.Verdict
	What, Why  string
	Evidence   string
	GuideTitle string
	Steps      []string
	Passphrase bool // show the three-random-words tip (never an actual password)
	NextTry    []string
}

// verdictWord is a verdict as a heading or badge shows it.
func verdictWord(v advice.Verdict) string {
	switch v {
	case advice.AtRisk:
		return "At risk"
	case advice.NeedsAttention:
		return "Needs a look"
	}
	return "OK"
}

// catalog is the vendor data for advice: the report's own, else the
// embedded one, else none (advice then uses its built-in wording).
func (r *Report) catalog() *vendors.Catalog {
	if r.builtinWording {
		return nil
	}
	if r.Catalog != nil {
		return r.Catalog
	}
	cat, err := vendors.Embedded()
	if err != nil {
		return nil
	}
	return cat
}

// now is the date the report's support periods are judged against: when
// the scan finished, so a report reads the same whenever it is rendered.
func (r *Report) now() time.Time {
	switch {
	case !r.Finished.IsZero():
		return r.Finished
	case !r.Started.IsZero():
		return r.Started
	}
	return time.Now()
}

// build turns the report into a page.
func (r *Report) build() page {
	cat, now := r.catalog(), r.now()
	devices := make([]scan.Device, 0, len(r.Devices))
	for _, d := range r.Devices {
		devices = append(devices, sanitize(cat, d))
	}
	slices.SortStableFunc(devices, func(a, b scan.Device) int {
		switch {
		case advice.Worse(a, b):
			return -1
		case advice.Worse(b, a):
			return 1
		}
		return 0
	})
	p := page{
		When:        when(r),
		Targets:     strings.Join(clean.Strings(r.Targets, clean.Short), ", "),
		Summary:     advice.Household(devices),
		Notes:       clean.Strings(r.Notes, clean.Long),
		Interrupted: r.Interrupted,
		ToolVersion: clean.String(r.ToolVersion, 64),
		DataDate:    clean.String(r.VendorsDataDate, 32),
		ReportUK:    advice.ReportUK(cat),
	}
	for i, d := range devices {
		v := r.deviceView(cat, d, now, i)
		switch v.Verdict {
		case advice.AtRisk:
			p.AtRisk++
		case advice.NeedsAttention:
			p.Attention++
		default:
			p.Fine++
		}
		p.Devices = append(p.Devices, v)
	}
	return p
}

func when(r *Report) string {
	if r.Started.IsZero() && r.Finished.IsZero() {
		return "an unknown date"
	}
	t := r.Finished
	if t.IsZero() {
		t = r.Started
	}
	zone := t.Format("MST")
	if strings.HasPrefix(zone, "+") || strings.HasPrefix(zone, "-") {
		zone = "UTC" + t.Format("-07:00")
	}
	return t.Format("2 January 2006 at 15:04 ") + zone
}

func (r *Report) deviceView(cat *vendors.Catalog, d scan.Device, now time.Time, i int) deviceView {
	a := advice.Advise(cat, d, now)
	v := deviceView{
		Anchor:  fmt.Sprintf("device-%d", i+1),
		Heading: heading(d, clean.String(r.Names[d.Key], 80)),
		Kind:    a.Kind,
		Verdict: a.Verdict,
		Facts:   facts(d),
		PSTI:    a.PSTI,
		Support: a.Support,
		Contact: a.ReportMaker,
	}
	for _, f := range a.Findings {
		v.Findings = append(v.Findings, findingView{
			Title: f.Title, Severity: advice.Severity(f.Finding), Verdict: f.Verdict,
			What: f.What, Why: f.Why, Evidence: f.Finding.Evidence,
			GuideTitle: f.Guide.Title, Steps: f.Guide.Steps, Passphrase: f.Guide.Passphrase,
			NextTry: f.Guide.NextTry,
		})
	}
	return v
}

// heading names a device: the user's name (with what it is), else what it is.
func heading(d scan.Device, name string) string {
	what := strings.TrimSpace(d.Vendor + " " + d.Model)
	if d.Vendor != "" && strings.HasPrefix(strings.ToLower(d.Model), strings.ToLower(d.Vendor)) {
		what = d.Model // "Google TV Streamer", not "Google Google TV Streamer"
	}
	switch {
	case what == "" && d.Name != "":
		what = d.Name
	case what == "" && d.Hostname != "":
		what = d.Hostname
	case what == "":
		what = "Unknown " + advice.Kind(d) + " at " + d.IP
	}
	if name != "" {
		return name + " (" + what + ")"
	}
	return what
}

// facts are the identifying details worth printing, in a fixed order.
func facts(d scan.Device) []fact {
	var out []fact
	add := func(label, value string) {
		if value != "" {
			out = append(out, fact{label, value})
		}
	}
	add("Type", advice.Kind(d))
	add("Address", d.IP)
	mac := d.MAC
	if mac != "" && d.RandomMAC {
		mac += " (private address that changes)"
	}
	add("MAC", mac)
	add("Maker", d.Vendor)
	add("Model", d.Model)
	add("Firmware", d.Firmware)
	if d.Name != "" && d.Name != d.Model {
		add("Calls itself", d.Name)
	}
	add("Host name", d.Hostname)
	return out
}
