package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/porchlight/porchlight/advice"
)

// WriteMarkdown writes the report as Markdown: the household summary, a
// table of devices, then each device with its verdict, UK rules, support
// period, contact, problems and fix steps. Every device string is escaped,
// so a device cannot add links, HTML or table cells of its own.
func (r *Report) WriteMarkdown(w io.Writer) error {
	p := r.build()
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw}
	m.header(p)
	m.table(p)
	for _, d := range p.Devices {
		m.device(d)
	}
	m.footer(p)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: write markdown: %w", err)
	}
	return nil
}

type mdWriter struct{ w *bufio.Writer }

func (m *mdWriter) line(parts ...string) {
	for _, p := range parts {
		m.w.WriteString(p)
	}
	m.w.WriteByte('\n')
}

func (m *mdWriter) header(p page) {
	m.line("# Porchlight report: your home network")
	m.line()
	m.line("Checked ", mdText(p.When), " · networks: ", mdText(orNone(p.Targets)))
	m.line()
	m.line("**", mdText(p.Summary), "**")
	m.line()
	if p.Interrupted {
		m.line("> The check stopped before it finished, so some devices or problems may be missing.")
		m.line()
	}
	for _, n := range p.Notes {
		m.line("> Note: ", mdText(n))
		m.line()
	}
}

func (m *mdWriter) table(p page) {
	if len(p.Devices) == 0 {
		return
	}
	m.line("| Device | Address | Verdict | Problems |")
	m.line("|---|---|---|---|")
	for i, d := range p.Devices {
		m.line("| ", fmt.Sprintf("%d\\. ", i+1), mdText(d.Heading), " | ", mdText(factValue(d, "Address")), " | ",
			verdictWord(d.Verdict), " | ", fmt.Sprint(len(d.Findings)), " |")
	}
	m.line()
}

func (m *mdWriter) device(d deviceView) {
	m.line("## ", mdText(d.Heading), " — ", verdictWord(d.Verdict))
	m.line()
	for _, f := range d.Facts {
		m.line("- ", f.Label, ": ", mdText(f.Value))
	}
	m.line()
	m.line("**UK security rules (PSTI)**")
	m.line()
	for _, l := range d.PSTI {
		m.line("- ", mdText(l.Rule), ": **", advice.ResultWord(l.Result), "**. ", mdLinks(l.Text))
	}
	m.line()
	m.line("**Security updates:** ", mdLinks(d.Support))
	m.line()
	m.line("**Report a safety problem:** ", mdLinks(d.Contact))
	m.line()
	if len(d.Findings) == 0 {
		m.line("We found no problems with this ", mdText(d.Kind), ".")
		m.line()
	}
	for _, f := range d.Findings {
		m.finding(f)
	}
}

func (m *mdWriter) finding(f findingView) {
	m.line("### ", mdText(f.Title), " (", mdText(f.Severity), ")")
	m.line()
	m.line(mdLinks(f.What), " ", mdLinks(f.Why))
	m.line()
	if f.Evidence != "" {
		m.line("*What we saw:* ", mdText(f.Evidence))
		m.line()
	}
	m.line("**", mdText(f.GuideTitle), "**")
	m.line()
	for i, s := range f.Steps {
		m.line(fmt.Sprintf("%d. ", i+1), mdLinks(s))
	}
	m.line()
	if f.Passphrase {
		m.line("Tip: ", mdText(advice.PassphraseTip))
		m.line()
	}
	if len(f.NextTry) > 0 {
		m.line("If the problem is still there:")
		m.line()
		for _, s := range f.NextTry {
			m.line("- ", mdLinks(s))
		}
		m.line()
	}
}

func (m *mdWriter) footer(p page) {
	m.line("---")
	m.line()
	m.line(mdLinks(p.ReportUK))
	m.line()
	m.line("Made by Porchlight ", mdText(orNone(p.ToolVersion)), " with vendor data from ", mdText(orNone(p.DataDate)),
		". Porchlight changes nothing on your devices; you make each fix yourself.")
}

func factValue(d deviceView, label string) string {
	for _, f := range d.Facts {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// mdSpecial are the characters always escaped in device text: everything
// that can start emphasis, code, links, email autolinks, HTML, headings,
// tables, strikethrough or maths in CommonMark and GitHub Markdown. Text
// never starts a line (the writer puts its own markup first), so line-start
// markers such as "-" and "1." need no escape.
const mdSpecial = "\\`*_[]()<>|#!&~@$"

// mdText escapes s so that it renders as exactly its own characters.
func mdText(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case strings.ContainsRune(mdSpecial, r):
			b.WriteByte('\\')
		case r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\') // www. starts an autolink in GitHub Markdown
		case r == ':' && strings.HasPrefix(s[i+1:], "/"):
			b.WriteByte('\\') // scheme:// starts one too
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdLinks escapes s, turning web addresses into autolinks.
func mdLinks(s string) string {
	var b strings.Builder
	for _, seg := range segments(s) {
		if seg.URL != "" {
			b.WriteString("<" + seg.URL + ">")
			continue
		}
		b.WriteString(mdText(seg.Text))
	}
	return b.String()
}
