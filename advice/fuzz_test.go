package advice

import (
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzGrade feeds any text to the readability parser: it must not panic,
// must give a finite grade, and a syllable count between 0 and the word's length.
func FuzzGrade(f *testing.F) {
	for _, s := range []string{"", "The cat sat on the mat.", "e.g. ... ?!", "Wi-Fi router's", "ǅemal ÉCOLE naïve", "192.168.1.20 http://x/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		g := Grade(text)
		if math.IsNaN(g) || math.IsInf(g, 0) {
			t.Fatalf("Grade(%q) = %v", text, g)
		}
		if n := Sentences(text); n < 1 {
			t.Fatalf("Sentences(%q) = %d, want at least 1", text, n)
		}
		if s := Syllables(text); s < 0 || s > utf8.RuneCountInString(text) {
			t.Fatalf("Syllables(%q) = %d", text, s)
		}
	})
}
