package advice

import (
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// SupportWords is the support period in one sentence:
// "The maker will send updates until March 2027." or
// "The maker has not said how long it will send updates."
func SupportWords(s scan.Support, now time.Time) string {
	last, after, ok := parseUntil(s.Until)
	if !ok {
		if s.Status == string(vendors.Ended) {
			return "The maker has stopped sending updates for this model."
		}
		return "The maker has not said how long it will send updates."
	}
	when := last.Format("January 2006")
	if s.Status == string(vendors.Ended) || !now.Before(after) {
		return "The maker stopped sending updates in " + when + "."
	}
	return "The maker will send updates until " + when + "."
}

// parseUntil reads YYYY-MM-DD, YYYY-MM or YYYY. It returns the last day of the
// period (for display) and the first moment after it: "2027-03" means updates
// run to the end of March 2027.
func parseUntil(s string) (last, after time.Time, ok bool) {
	layouts := []struct {
		layout string
		y, m   int
		d      int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}}
	for _, l := range layouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			after = t.AddDate(l.y, l.m, l.d)
			return after.AddDate(0, 0, -1), after, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// PSTILine is one line of the three-line UK verdict.
type PSTILine struct {
	Rule   string // "No factory password", ...
	Result string // scan.Pass, scan.Fail or scan.Unknown
	Text   string // plain words
}

// ResultWord is a PSTI result as a short word for a badge.
func ResultWord(r string) string {
	switch r {
	case scan.Pass:
		return "yes"
	case scan.Fail:
		return "no"
	}
	return "not known"
}

// PSTILines are the three UK baseline rules (PSTI Schedule 1) for the device.
func PSTILines(d scan.Device, now time.Time) []PSTILine {
	return []PSTILine{
		{Rule: "No factory password", Result: orUnknown(d.PSTI.Passwords), Text: passwordsLine(d)},
		{Rule: "A way to report problems", Result: orUnknown(d.PSTI.Reporting), Text: reportingLine(d)},
		{Rule: "Says how long updates last", Result: orUnknown(d.PSTI.Updates), Text: SupportWords(d.Support, now)},
	}
}

func orUnknown(r string) string {
	if r == scan.Pass || r == scan.Fail {
		return r
	}
	return scan.Unknown
}

func passwordsLine(d scan.Device) string {
	switch d.PSTI.Passwords {
	case scan.Pass:
		return "It did not let us in with the factory password."
	case scan.Fail:
		return "It still lets people in with the factory password."
	}
	return "We did not test its password."
}

func reportingLine(d scan.Device) string {
	switch {
	case d.Disclosure.URL != "" || d.Disclosure.Email != "":
		return "The maker says where to report a safety problem."
	case d.PSTI.Reporting == scan.Fail:
		return "We could not find a way to report a problem to the maker."
	}
	return "We do not know where this maker takes reports."
}

// ReportMaker says where to tell the maker about a safety problem, from the
// scan's disclosure contact, else the catalogue's.
func ReportMaker(cat *vendors.Catalog, d scan.Device) string {
	url, email := d.Disclosure.URL, d.Disclosure.Email
	if url == "" && email == "" && cat != nil && d.MakerID != "" {
		if m := cat.Maker(d.MakerID); m != nil {
			url, email = m.Disclosure.URL, m.Disclosure.Email
		}
	}
	switch {
	case url != "" && email != "":
		return "To tell the maker about a safety problem, use " + url + " or email " + email + "."
	case url != "":
		return "To tell the maker about a safety problem, use " + url + "."
	case email != "":
		return "To tell the maker about a safety problem, email " + email + "."
	}
	return "We could not find where this maker takes reports of safety problems."
}

// reportUKURL is Citizens Advice's consumer service, which passes reports to
// Trading Standards; used only when the catalogue has no route of its own.
const reportUKURL = "https://www.citizensadvice.org.uk/consumer/get-more-help/report-to-trading-standards/"

// ReportUK says where to report a product that breaks the UK rules.
func ReportUK(cat *vendors.Catalog) string {
	if cat != nil {
		if r := cat.Generic.ReportUK; r.Source.URL != "" {
			return "If a product breaks the UK rules, you can report it at " + r.Source.URL + "."
		}
	}
	return "If a product breaks the UK rules, you can report it to Trading Standards at " + reportUKURL + "."
}
