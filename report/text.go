package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/porchlight/porchlight/advice"
)

// textWidth is the widest line WriteText prints: an 80-column terminal
// (helpdesk SSH sessions) with a column to spare.
const textWidth = 79

// WriteText writes a readable plain-text summary for pipes and CI: the
// household verdict, then each device, worst first, with its problems and
// the fix to make. Lines fit in 80 columns; no colour, no drawing.
func (r *Report) WriteText(w io.Writer) error {
	p := r.build()
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw}
	t.para("", "Porchlight report, "+p.When)
	t.para("", "Networks: "+orNone(p.Targets))
	t.blank()
	t.para("", p.Summary)
	if p.Interrupted {
		t.para("", "The check stopped before it finished, so some devices or problems may be missing.")
	}
	for _, n := range p.Notes {
		t.para("", "Note: "+n)
	}
	for i, d := range p.Devices {
		t.blank()
		t.device(i+1, d)
	}
	if len(p.Devices) > 0 {
		t.blank()
		t.para("", "For the step-by-step fixes, run 'porchlight' or save an HTML report with 'porchlight scan --html'.")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: write text: %w", err)
	}
	return nil
}

type textWriter struct{ w *bufio.Writer }

func (t *textWriter) blank() { t.w.WriteByte('\n') }

// para writes s wrapped to textWidth, the first line after prefix and the
// rest indented to line up with it.
func (t *textWriter) para(prefix, s string) {
	indent := strings.Repeat(" ", utf8.RuneCountInString(prefix))
	for i, l := range wrap(s, textWidth-len(indent)) {
		if i == 0 {
			t.w.WriteString(prefix)
		} else {
			t.w.WriteString(indent)
		}
		t.w.WriteString(l)
		t.w.WriteByte('\n')
	}
}

func (t *textWriter) device(n int, d deviceView) {
	t.para(fmt.Sprintf("%2d. ", n), strings.ToUpper(verdictWord(d.Verdict))+": "+d.Heading+addressSuffix(d))
	var rules []string
	for _, l := range d.PSTI {
		rules = append(rules, l.Rule+": "+advice.ResultWord(l.Result))
	}
	t.para("    ", "UK rules: "+strings.Join(rules, "; ")+".")
	t.para("    ", d.Support)
	for _, f := range d.Findings {
		t.para("    - ", f.Title+" ("+f.Severity+"). Fix: "+f.GuideTitle+".")
	}
	if len(d.Findings) == 0 {
		t.para("    ", "No problems found.")
	}
}

func addressSuffix(d deviceView) string {
	if a := factValue(d, "Address"); a != "" {
		return " at " + a
	}
	return ""
}

// wrap breaks s into lines of at most width characters at spaces; a word
// longer than a line (a long device name) is cut.
func wrap(s string, width int) []string {
	width = max(width, 10)
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		for len(w) > width {
			if len(cur) > 0 {
				lines, cur = append(lines, string(cur)), nil
			}
			lines, w = append(lines, string(w[:width])), w[width:]
		}
		switch {
		case len(cur) == 0:
			cur = w
		case len(cur)+1+len(w) <= width:
			cur = append(append(cur, ' '), w...)
		default:
			lines, cur = append(lines, string(cur)), w
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}
