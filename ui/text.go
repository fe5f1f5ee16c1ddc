package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"

	"github.com/porchlight/porchlight/scan/clean"
)

// safe makes text from a device (or typed by the user) harmless to draw:
// escape sequences, control characters, bidi overrides and invalid bytes go,
// and the length is capped. scan already cleans device strings where they
// enter; this is the second line of defence, at the render boundary.
func safe(s string) string { return clean.String(s, clean.Long) }

// wrap word-wraps our own text (never raw device text) to width w.
func wrap(s string, w int) string {
	if w < 1 {
		return s
	}
	return ansi.Wrap(s, w, "")
}

// indentWrap wraps text to width w with a hanging indent for lines after the first.
func indentWrap(first, rest string, text string, w int) string {
	lines := strings.Split(wrap(text, max(w-ansi.StringWidth(first), 10)), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// cut truncates s to width w with an ellipsis, counting display cells.
func cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// pad truncates or pads s to exactly width w.
func pad(s string, w int) string {
	s = cut(s, w)
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// fit makes a block exactly h lines of at most w cells: the last guard
// before a frame goes to the terminal, so nothing ever wraps or overflows.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = cut(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// lineList collects a screen's content one line per element, so a screen can
// tell which line a part starts on (to scroll to it).
type lineList []string

// add appends texts, splitting any that hold several lines.
func (l *lineList) add(text ...string) {
	for _, t := range text {
		*l = append(*l, strings.Split(t, "\n")...)
	}
}

// promptInput is a one-line text box for typing a name or a file name.
func promptInput(prompt string, limit int) textinput.Model {
	in := textinput.New()
	// A steady cursor: calmer, and nothing to redraw over a slow SSH link.
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Prompt = prompt
	in.CharLimit = limit
	return in
}
