package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/porchlight/porchlight/advice"
)

//go:embed page.html
var pageHTML string

// pageTemplate is parsed once; html/template escapes every value by context.
var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"links":         htmlLinks,
	"verdictWord":   verdictWord,
	"verdictClass":  verdictClass,
	"resultWord":    advice.ResultWord,
	"passphraseTip": func() string { return advice.PassphraseTip },
}).Parse(pageHTML))

// WriteHTML writes the report as one self-contained HTML page: inline CSS,
// no scripts, nothing fetched from anywhere. It reads well on a phone and
// prints as a handout.
func (r *Report) WriteHTML(w io.Writer) error {
	if err := pageTemplate.Execute(w, r.build()); err != nil {
		return fmt.Errorf("report: write html: %w", err)
	}
	return nil
}

func verdictClass(v advice.Verdict) string {
	switch v {
	case advice.AtRisk:
		return "v-risk"
	case advice.NeedsAttention:
		return "v-look"
	}
	return "v-ok"
}

// htmlLinks escapes s and turns its web addresses into plain links.
func htmlLinks(s string) template.HTML {
	var b strings.Builder
	for _, seg := range segments(s) {
		text := template.HTMLEscapeString(seg.Text)
		if seg.URL == "" {
			b.WriteString(text)
			continue
		}
		fmt.Fprintf(&b, `<a href="%s" rel="noreferrer">%s</a>`, template.HTMLEscapeString(seg.URL), text)
	}
	return template.HTML(b.String()) // every piece escaped above
}
