// Package clean makes strings that devices send safe to keep, show and store:
// it strips terminal escape sequences, control characters, bidirectional
// overrides and invalid UTF-8, and caps the length. Every discovery source
// passes device text through it where the text enters Porchlight.
package clean

import (
	"strings"
	"unicode/utf8"
)

// Length caps for the kinds of device text we keep.
const (
	// Short is for names, models, header values and TXT values.
	Short = 256
	// Long is for banners and titles, which may carry a whole greeting.
	Long = 1024
)

// String returns s as a single line of printable text of at most max bytes
// (cut on a character boundary). Newlines and tabs become spaces; runs of
// spaces collapse; ANSI CSI/OSC/DCS sequences, other control characters,
// bidi overrides and invalid bytes are removed.
func String(s string, max int) string {
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(min(len(s), max))
	space := false // a space is pending; written only before the next visible rune
	for i := 0; i < len(s) && b.Len() < max; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			i++ // invalid byte
			continue
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f:
			i += skipEscape(s[i:])
			continue
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0xa0:
			space = b.Len() > 0
			i += size
			continue
		case dropped(r):
			i += size
			continue
		}
		need := size
		if space {
			need++
		}
		if b.Len()+need > max {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// dropped reports whether r is a control or formatting character that must
// never reach a terminal or a report.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidi embeddings, overrides, isolates and marks ("Trojan Source")
	case r == 0xfeff, r >= 0xfff9 && r <= 0xfffb:
		return true // byte-order mark, interlinear annotations
	}
	return false
}

// skipEscape returns how many bytes the escape sequence at the start of s
// occupies: CSI (ESC [ or U+009B) up to its final byte; OSC, DCS, SOS, PM and
// APC (ESC ] P X ^ _ or their C1 forms) up to BEL or ST; otherwise ESC and
// the one character after it. An unterminated sequence runs to the end.
func skipEscape(s string) int {
	r, n := utf8.DecodeRuneInString(s)
	kind := r
	if r == 0x1b {
		if len(s) < 2 {
			return len(s)
		}
		next, m := utf8.DecodeRuneInString(s[1:])
		n += m
		switch next {
		case '[':
			kind = 0x9b
		case ']':
			kind = 0x9d
		case 'P', 'X', '^', '_':
			kind = 0x90
		default:
			return n
		}
	}
	if kind == 0x9b {
		for i := n; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] > 0x7e {
				return i // a broken sequence ends at the first byte that cannot belong to it
			}
		}
		return len(s)
	}
	// String sequences end at BEL, ESC \ or the C1 ST (U+009C).
	for i := n; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
	}
	return len(s)
}

// Strings cleans each element and drops the empty ones.
func Strings(in []string, max int) []string {
	var out []string
	for _, s := range in {
		if c := String(s, max); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// Safe reports whether s is already clean: valid UTF-8 with no control,
// escape or bidi-override characters. Tests and fuzzers use it as the property.
func Safe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == 0x1b || r == '\t' || r == '\n' || r == '\r' || dropped(r) {
			return false
		}
	}
	return true
}
