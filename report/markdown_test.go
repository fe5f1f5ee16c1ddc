package report

import (
	"regexp"
	"strings"
	"testing"
)

// TestMarkdownEscapes: device strings cannot add links, images, HTML,
// emphasis or table cells to the Markdown report.
func TestMarkdownEscapes(t *testing.T) {
	out := render(t, load(t, "hostile.json"), "markdown")
	for i, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Count(unescaped(line), "|") != 5 {
			t.Errorf("line %d: table row has a stray cell: %q", i+1, line)
		}
		u := unescaped(line)
		for _, bad := range []string{"](", "<script", "<iframe", "<b>", "![", "~~", "https://evil", "http://evil", "www.evil", "@evil"} {
			if strings.Contains(u, bad) {
				t.Errorf("line %d: unescaped %q in %q", i+1, bad, line)
			}
		}
	}
	for _, link := range regexp.MustCompile(`<(https?://[^>]*)>`).FindAllStringSubmatch(out, -1) {
		if strings.Contains(link[1], "evil") {
			t.Errorf("a device's text became a link: %q", link[1])
		}
	}
}

// unescaped removes every backslash-escaped character, leaving the markup
// a Markdown parser would act on.
func unescaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestMDText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Archer C7", "Archer C7"},
		{"a|b", `a\|b`},
		{"[x](http://y)", `\[x\]\(http\://y\)`},
		{"www.example.com", `www\.example.com`},
		{"at 19:04", "at 19:04"},
		{"<b>&", `\<b\>\&`},
		{"*_`~$", "\\*\\_\\`\\~\\$"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSegments(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []segment
	}{
		{"link in a sentence", "use https://a.example/x. Thanks",
			[]segment{{Text: "use "}, {Text: "https://a.example/x", URL: "https://a.example/x"}, {Text: ". Thanks"}}},
		{"not a web scheme", "javascript:alert(1)", []segment{{Text: "javascript:alert(1)"}}},
		{"no host", "http:///etc/passwd", []segment{{Text: "http:///etc/passwd"}}},
		{"user info refused", "https://user:pw@a.example/", []segment{{Text: "https://user:pw@a.example/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segments(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("segments(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("segments(%q)[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
				}
			}
		})
	}
}
