package report

import (
	"net/url"
	"regexp"
	"strings"
)

// segment is a run of plain text, or a web address to show as a link.
type segment struct {
	Text string
	URL  string // set when this segment is a link; Text is then the same address
}

// urlPattern finds web addresses in advice text ("use https://... or email ...").
var urlPattern = regexp.MustCompile("https?://[^\\s<>\"'`|\\\\]+")

// segments splits s into text and links. Only absolute http and https
// addresses with a host become links; anything else stays text.
func segments(s string) []segment {
	var out []segment
	rest := s
	for {
		loc := urlPattern.FindStringIndex(rest)
		if loc == nil {
			break
		}
		u := strings.TrimRight(rest[loc[0]:loc[1]], ".,;:!?)")
		end := loc[0] + len(u)
		if !linkable(u) {
			out = appendText(out, rest[:end])
			rest = rest[end:]
			continue
		}
		out = appendText(out, rest[:loc[0]])
		out = append(out, segment{Text: u, URL: u})
		rest = rest[end:]
	}
	return appendText(out, rest)
}

func appendText(out []segment, s string) []segment {
	if s == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].URL == "" {
		out[n-1].Text += s
		return out
	}
	return append(out, segment{Text: s})
}

// linkable is true for an absolute http(s) address with a host and nothing
// that could break out of a link.
func linkable(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
