package clean

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "Archer C7", Short, "Archer C7"},
		{"csi colour", "\x1b[31mRED\x1b[0m router", Short, "RED router"},
		{"csi clear screen", "a\x1b[2J\x1b[Hb", Short, "ab"},
		{"osc title bel", "x\x1b]0;pwned\x07y", Short, "xy"},
		{"osc hyperlink st", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", Short, "click"},
		{"c1 csi", "a\u009b31mb", Short, "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", Short, "ab"},
		{"unterminated osc", "name\x1b]0;forever", Short, "name"},
		{"two-byte escape", "a\x1bcb", Short, "ab"},
		{"controls", "a\x00b\x07c\x7fd\u0085e", Short, "abcd e"},
		{"newlines collapse", "  line one\r\n\tline two  ", Short, "line one line two"},
		{"bidi override", "abc\u202edcba\u202c", Short, "abcdcba"},
		{"bidi isolate", "\u2066x\u2069", Short, "x"},
		{"invalid utf8", "ok\xff\xfe\xc3(", Short, "ok("},
		{"cap ascii", strings.Repeat("a", 300), 10, "aaaaaaaaaa"},
		{"cap on rune boundary", "ééé", 5, "éé"},
		{"zero cap", "abc", 0, ""},
		{"keeps unicode", "Wohnzimmer – Küche ☕", Short, "Wohnzimmer – Küche ☕"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("String(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if !Safe(got) {
				t.Errorf("String(%q) = %q is not Safe", tt.in, got)
			}
		})
	}
}

func TestSafe(t *testing.T) {
	for _, s := range []string{"\x1b[0m", "a\nb", "\u202e", "\xff"} {
		if Safe(s) {
			t.Errorf("Safe(%q) = true, want false", s)
		}
	}
	if !Safe("Hue Bridge 2.0 – Küche") {
		t.Error("Safe rejected clean text")
	}
}

func FuzzString(f *testing.F) {
	f.Add("\x1b[31mred\x1b[0m", 16)
	f.Add("\u202eevil\xff", 4)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%2048 + 1
		if max <= 0 {
			max = -max + 1
		}
		got := String(s, max)
		if len(got) > max {
			t.Fatalf("String(%q, %d) is %d bytes, over the cap", s, max, len(got))
		}
		if !utf8.ValidString(got) || !Safe(got) {
			t.Fatalf("String(%q, %d) = %q is not safe", s, max, got)
		}
		if again := String(got, max); again != got {
			t.Fatalf("String is not idempotent: %q then %q", got, again)
		}
	})
}
