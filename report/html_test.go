package report

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHTMLSelfContained: the page fetches nothing and runs nothing, whatever
// the devices said: no scripts, no external resources, no event handlers;
// the only addresses are plain links, and device text stays text.
func TestHTMLSelfContained(t *testing.T) {
	for _, name := range []string{"home.json", "hostile.json"} {
		t.Run(name, func(t *testing.T) {
			out := render(t, load(t, name), "html")
			lower := strings.ToLower(out)
			// Device text is escaped (&lt;), so these can only be real markup.
			for _, bad := range []string{"<script", "<link", "@import", "<iframe", "<img", "<object", "<embed", "<base"} {
				if strings.Contains(lower, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
			checkTags(t, out)
		})
	}
}

// checkTags walks the page's tokens: only known tags, hrefs only on links
// and only to this page or the web, no style or handler attributes.
func checkTags(t *testing.T, page string) {
	t.Helper()
	allowed := map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
		"main": true, "header": true, "h1": true, "h2": true, "h3": true, "h4": true, "p": true, "ul": true, "ol": true,
		"li": true, "a": true, "span": true, "nav": true, "section": true, "dl": true, "dt": true, "dd": true,
		"strong": true, "small": true, "article": true, "footer": true}
	z := html.NewTokenizer(strings.NewReader(page))
	styles, links := 0, 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if !allowed[tok.Data] {
			t.Errorf("unexpected element <%s>", tok.Data)
		}
		if tok.Data == "style" {
			styles++
			if z.Next() == html.TextToken {
				css := strings.ToLower(string(z.Text()))
				for _, bad := range []string{"url(", "@import", "http", "@font-face"} {
					if strings.Contains(css, bad) {
						t.Errorf("style sheet contains %q", bad)
					}
				}
			}
		}
		for _, a := range tok.Attr {
			switch {
			case strings.HasPrefix(a.Key, "on"), a.Key == "style", a.Key == "src":
				t.Errorf("<%s> has attribute %s=%q", tok.Data, a.Key, a.Val)
			case a.Key == "href" && tok.Data != "a":
				t.Errorf("<%s> has href %q", tok.Data, a.Val)
			case a.Key == "href":
				links++
				if !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") {
					t.Errorf("link to %q", a.Val)
				}
				if strings.Contains(a.Val, "evil") {
					t.Errorf("a device's text became a link: %q", a.Val)
				}
			}
		}
	}
	if styles != 1 || links == 0 {
		t.Errorf("%d style elements and %d links, want 1 and some", styles, links)
	}
}

// TestHTMLKeepsDeviceTextAsText: hostile device strings arrive on the page
// as the characters they were, not as markup.
func TestHTMLKeepsDeviceTextAsText(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(render(t, load(t, "hostile.json"), "html")))
	if err != nil {
		t.Fatal(err)
	}
	text := textOf(doc)
	for _, want := range []string{"<script>alert(1)</script>", "[click me](https://evil.example/phish)", "<iframe src=https://evil.example/>"} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "style") {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
