// Package advice turns findings into plain-language verdicts and step-by-step
// fix guides. It is pure: no network, no terminal, no clock reads (callers
// pass the date), so reports and the TUI say the same thing in the same words.
//
// Every text here is written for a reading age of about 9 to 11 (GOV.UK style:
// short sentences, and any technical word explained in one line). A test
// renders every text for a realistic household and fails above
// Flesch-Kincaid grade 8.
package advice

import (
	"fmt"
	"sort"
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// Verdict is the one-word judgement on a device, worst last.
type Verdict int

// Verdicts, in order of worry.
const (
	OK Verdict = iota
	NeedsAttention
	AtRisk
)

// String is the verdict as a badge shows it.
func (v Verdict) String() string {
	switch v {
	case AtRisk:
		return "at risk"
	case NeedsAttention:
		return "needs attention"
	}
	return "ok"
}

// defaultSeverity is used when a finding arrives without one, so a missing
// field never makes a device look safer than it is.
var defaultSeverity = map[string]string{
	scan.FindDefaultPassword:   scan.Critical,
	scan.FindKnownExploited:    scan.Critical,
	scan.FindTelnetOpen:        scan.High,
	scan.FindAnonymousAccess:   scan.High,
	scan.FindSupportEnded:      scan.High,
	scan.FindFirmwareOutdated:  scan.Medium,
	scan.FindUPnPPortMapping:   scan.Medium,
	scan.FindSupportEndingSoon: scan.Low,
	scan.FindSupportUnknown:    scan.Low,
	scan.FindNoDisclosure:      scan.Low,
}

// Severity is the finding's severity, or the usual one for its id when the
// scanner left it empty.
func Severity(f scan.Finding) string {
	if f.Severity != "" {
		return f.Severity
	}
	if s, ok := defaultSeverity[f.ID]; ok {
		return s
	}
	return scan.Medium
}

// severityRank orders severities, worst first (0 = critical).
func severityRank(s string) int {
	switch s {
	case scan.Critical:
		return 0
	case scan.High:
		return 1
	case scan.Medium:
		return 2
	case scan.Low:
		return 3
	}
	return 4
}

// FindingVerdict is the verdict one finding alone would give.
func FindingVerdict(f scan.Finding) Verdict {
	switch Severity(f) {
	case scan.Critical, scan.High:
		return AtRisk
	case scan.Medium, scan.Low:
		return NeedsAttention
	}
	return OK
}

// DeviceVerdict is the worst verdict among the device's findings.
func DeviceVerdict(d scan.Device) Verdict {
	v := OK
	for _, f := range d.Findings {
		v = max(v, FindingVerdict(f))
	}
	return v
}

// SortFindings orders findings worst first, keeping the scanner's order among equals.
func SortFindings(fs []scan.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		return severityRank(Severity(fs[i])) < severityRank(Severity(fs[j]))
	})
}

// Worse reports whether device a should be listed before b: worse verdict,
// then more serious findings, then more findings, then by address.
func Worse(a, b scan.Device) bool {
	va, vb := DeviceVerdict(a), DeviceVerdict(b)
	if va != vb {
		return va > vb
	}
	ra, rb := worstRank(a), worstRank(b)
	if ra != rb {
		return ra < rb
	}
	if len(a.Findings) != len(b.Findings) {
		return len(a.Findings) > len(b.Findings)
	}
	return a.IP < b.IP
}

func worstRank(d scan.Device) int {
	r := 5
	for _, f := range d.Findings {
		r = min(r, severityRank(Severity(f)))
	}
	return r
}

// Household is the one-line summary of the home.
func Household(devs []scan.Device) string {
	var risk, attention int
	for _, d := range devs {
		switch DeviceVerdict(d) {
		case AtRisk:
			risk++
		case NeedsAttention:
			attention++
		}
	}
	n := len(devs)
	switch {
	case n == 0:
		return "We did not find any devices yet."
	case risk == 0 && attention == 0:
		return fmt.Sprintf("We found %s. All of them look fine.", count(n, "device", "devices"))
	case risk == 0:
		return fmt.Sprintf("We found %s. %s, but none is at risk.", count(n, "device", "devices"), plural(attention, "1 needs a look", "%d need a look"))
	}
	s := fmt.Sprintf("We found %s. %s", count(n, "device", "devices"), plural(risk, "1 is at risk", "%d are at risk"))
	if attention > 0 {
		s += " and " + plural(attention, "1 needs a look", "%d need a look")
	}
	return s + ". Fix the ones at risk first."
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// Device is everything the screens and reports say about one device.
type Device struct {
	Verdict  Verdict
	Kind     string // "camera", or "device" when the type is unknown
	Label    string // "Hikvision camera": maker and kind, for sentences
	Support  string // "Updates promised until March 2027."
	PSTI     []PSTILine
	Findings []Finding // worst first
	// ReportMaker says where to tell the maker about a safety problem.
	ReportMaker string
	// ReportUK says where to report a product that breaks the UK rules.
	ReportUK string
}

// Finding is one finding explained, with its guided fix.
type Finding struct {
	Finding scan.Finding
	Verdict Verdict
	Explanation
	Guide Guide
}

// Advise explains everything about one device. cat may be nil (built-in
// wording is used); now is the date the support period is judged against.
func Advise(cat *vendors.Catalog, d scan.Device, now time.Time) Device {
	kind := Kind(d)
	a := Device{
		Verdict:     DeviceVerdict(d),
		Kind:        kind,
		Label:       label(d, kind),
		Support:     SupportWords(d.Support, now),
		PSTI:        PSTILines(d, now),
		ReportMaker: ReportMaker(cat, d),
		ReportUK:    ReportUK(cat),
	}
	fs := append([]scan.Finding(nil), d.Findings...)
	SortFindings(fs)
	for _, f := range fs {
		a.Findings = append(a.Findings, Finding{
			Finding:     f,
			Verdict:     FindingVerdict(f),
			Explanation: Explain(d, f, now),
			Guide:       Fix(cat, d, f, now),
		})
	}
	return a
}

// Kind is the device type in words ("camera"), or "device" when unknown.
func Kind(d scan.Device) string {
	switch d.Type {
	case "", "unknown":
		return "device"
	case "nas":
		return "network drive"
	case "tv":
		return "TV"
	case "hub":
		return "smart hub"
	case "plug":
		return "smart plug"
	}
	return d.Type
}

func label(d scan.Device, kind string) string {
	if d.Vendor == "" {
		return kind
	}
	return d.Vendor + " " + kind
}
