package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/porchlight/porchlight/vendors"
)

func lookupCommand() command {
	return command{
		name:    "lookup",
		summary: "Before you buy: how long a maker or product gets security updates, and who to tell about a problem.",
		usage:   "MAKER-OR-PRODUCT",
		example: `porchlight lookup "tp-link tapo c200"`,
		run:     runLookup,
	}
}

// lookupWidth keeps the answer readable in an 80-column terminal.
const lookupWidth = 78

func runLookup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, lookupCommand())
	vendorsFile := fs.String("vendors", "", "load an updated vendor data file over the built-in one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	query := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if query == "" {
		return usagef(`say what to look up, such as: porchlight lookup "tp-link tapo c200".`)
	}
	cat, err := (&targetFlags{vendors: *vendorsFile}).catalog()
	if err != nil {
		return err
	}
	hits := cat.Search(query)
	if len(hits) == 0 {
		fmt.Fprintf(e.stdout, "Nothing known about %q. Check the spelling, or try just the maker's name.\n", query)
		return nil
	}
	writeLookup(e.stdout, cat, hits, time.Now())
	return nil
}

// writeLookup prints the best hit in full and names the next few.
func writeLookup(w io.Writer, cat *vendors.Catalog, hits []vendors.SearchResult, now time.Time) {
	lw := &lineWriter{w: w}
	best := hits[0]
	if best.Product != nil {
		productAnswer(lw, cat, best.Maker, best.Product, now)
	} else {
		makerAnswer(lw, cat, best.Maker, now)
	}
	lw.blank()
	lw.para("What to look for when buying:")
	for _, s := range buyingAdvice {
		lw.item(s)
	}
	if r := cat.Generic.ReportUK; r.Source.URL != "" {
		lw.blank()
		lw.para("Since 29 April 2024 UK law says a smart product must state its update period, give a way to report security problems, and have no shared default password. The Office for Product Safety and Standards enforces this: " + r.Source.URL)
	}
	if others := otherHits(hits[1:]); len(others) > 0 {
		lw.blank()
		lw.para("Did you mean one of these? " + strings.Join(others, "; ") + ".")
	}
	lw.blank()
	lw.para(fmt.Sprintf("Facts checked up to %s. They can change: check the maker's website before you buy.", longDate(cat.DataDate)))
}

// buyingAdvice is the three PSTI requirements and how updates arrive, in a shopper's words.
var buyingAdvice = []string{
	"A date until which the maker promises security updates. Longer is better.",
	"A public way to report security problems to the maker.",
	"No shared default password: each device should have its own, or make you set one.",
	"An app or web page that lets you install updates, or that updates by itself.",
}

func productAnswer(lw *lineWriter, cat *vendors.Catalog, m *vendors.Maker, p *vendors.Product, now time.Time) {
	lw.para(p.Name)
	lw.para(fmt.Sprintf("Made by %s. Kind of device: %s.", m.Name, p.Type))
	lw.blank()
	lw.field("Security updates", supportWords(cat, m, p, now))
	policyLines(lw, m)
	contactLines(lw, m)
	passwordLines(lw, m, p)
	if p.Latest != nil {
		s := "version " + p.Latest.Version
		if p.Latest.Date != "" {
			s += ", released " + longDate(p.Latest.Date)
		}
		lw.field("Newest firmware we know of", s+".")
	}
	for _, x := range p.Exploits {
		s := x.CVE + ": " + x.Title + "."
		if x.FixedIn != "" {
			s += " Fixed in firmware " + x.FixedIn + "."
		}
		lw.field("Attacked in the wild", s)
	}
}

func makerAnswer(lw *lineWriter, cat *vendors.Catalog, m *vendors.Maker, now time.Time) {
	lw.para(m.Name)
	lw.blank()
	policyLines(lw, m)
	contactLines(lw, m)
	passwordLines(lw, m, nil)
	var dated []string
	for i := range m.Products {
		p := &m.Products[i]
		if p.Support != nil {
			dated = append(dated, p.Name+": "+supportWords(cat, m, p, now))
		}
	}
	if len(dated) > 0 {
		lw.blank()
		lw.para("Products with a published end date:")
		for i, d := range dated {
			if i == 8 {
				lw.item(fmt.Sprintf("and %d more. Look up a product by name to see it.", len(dated)-i))
				break
			}
			lw.item(d)
		}
	}
}

// supportWords says in words how long the product gets security updates.
func supportWords(cat *vendors.Catalog, m *vendors.Maker, p *vendors.Product, now time.Time) string {
	if _, ok := vendors.SupportEnd(p); !ok {
		if m.Support.Published {
			return "the maker publishes no end date for this product; see its policy below."
		}
		return "the maker publishes no end date."
	}
	when := longDate(p.Support.Until)
	var s string
	switch cat.Status(p, now) {
	case vendors.Ended:
		s = "ended " + onOrIn(p.Support.Until) + when + ". New problems will not be fixed."
	case vendors.EndingSoon:
		s = "promised until " + when + ". That is less than a year away."
	default:
		s = "promised until " + when + "."
	}
	if p.Support.Note != "" {
		s += " " + p.Support.Note
	}
	return s
}

func policyLines(lw *lineWriter, m *vendors.Maker) {
	if m.Support.Published {
		lw.field("Maker's support policy", m.Support.Policy)
		return
	}
	lw.field("Maker's support policy", m.Name+" publishes no support period that we could find.")
}

func contactLines(lw *lineWriter, m *vendors.Maker) {
	d := m.Disclosure
	switch {
	case d.URL != "" && d.Email != "":
		lw.field("Report a security problem", d.URL+" or "+d.Email)
	case d.URL != "":
		lw.field("Report a security problem", d.URL)
	case d.Email != "":
		lw.field("Report a security problem", d.Email)
	default:
		lw.field("Report a security problem", m.Name+" publishes no way to report one that we could find. UK law requires one.")
	}
}

func passwordLines(lw *lineWriter, m *vendors.Maker, p *vendors.Product) {
	switch {
	case p != nil && len(p.Logins) > 0:
		lw.field("Passwords", "older units of this product shipped with a default login that everyone knows. Change it on the day you plug it in.")
	case m.UniquePasswords != nil:
		lw.field("Passwords", m.UniquePasswords.Text)
	default:
		lw.field("Passwords", "we do not know whether it ships with its own password.")
	}
}

// otherHits names the next few hits.
func otherHits(hits []vendors.SearchResult) []string {
	var out []string
	for _, h := range hits {
		if len(out) == 4 {
			break
		}
		name := h.Maker.Name
		if h.Product != nil {
			name = h.Product.Name + " (" + h.Maker.Name + ")"
		}
		out = append(out, name)
	}
	return out
}

// longDate turns "2027-03", "2027-03-31" or "2027" into "March 2027",
// "31 March 2027" or "the end of 2027"; anything else is returned unchanged.
func longDate(s string) string {
	for _, f := range []struct{ in, out string }{
		{time.DateOnly, "2 January 2006"}, {"2006-01", "January 2006"}, {"2006", "the end of 2006"},
	} {
		if len(s) == len(f.in) {
			if t, err := time.Parse(f.in, s); err == nil {
				return t.Format(f.out)
			}
		}
	}
	return s
}

// onOrIn picks "on " for a day, "at " for a year ("at the end of 2027") and "in " for a month.
func onOrIn(s string) string {
	switch len(s) {
	case len(time.DateOnly):
		return "on "
	case len("2006"):
		return "at "
	}
	return "in "
}

// lineWriter wraps plain text to lookupWidth.
type lineWriter struct{ w io.Writer }

func (l *lineWriter) blank() { fmt.Fprintln(l.w) }

func (l *lineWriter) para(s string) { l.wrap(s, "", "") }

func (l *lineWriter) item(s string) { l.wrap(s, "  - ", "    ") }

func (l *lineWriter) field(name, value string) { l.wrap(name+": "+value, "", "  ") }

func (l *lineWriter) wrap(s, first, rest string) {
	line, prefix := "", first
	for _, word := range strings.Fields(s) {
		if line != "" && len(prefix)+len(line)+1+len(word) > lookupWidth {
			fmt.Fprintln(l.w, prefix+line)
			line, prefix = "", rest
		}
		if line == "" {
			line = word
		} else {
			line += " " + word
		}
	}
	if line != "" {
		fmt.Fprintln(l.w, prefix+line)
	}
}
