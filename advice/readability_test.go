package advice

import (
	"math"
	"testing"
)

func TestSyllables(t *testing.T) {
	tests := []struct {
		word string
		want int
	}{
		{"a", 1}, {"the", 1}, {"cat", 1}, {"dog", 1}, {"make", 1}, {"makes", 1}, {"time", 1},
		{"jumped", 1}, {"wanted", 2}, {"added", 2}, {"boxes", 2}, {"pages", 2},
		{"table", 2}, {"simple", 2}, {"tables", 2}, {"water", 2}, {"open", 2},
		{"password", 2}, {"router", 2}, {"device", 2}, {"firmware", 2}, {"update", 2},
		{"camera", 3}, {"computer", 3}, {"internet", 3}, {"important", 3}, {"factory", 3},
		{"radio", 3}, {"idea", 3}, {"create", 2}, {"quiet", 2}, {"science", 2},
		{"nation", 2}, {"question", 2}, {"special", 2}, {"people", 2},
		{"security", 4}, {"manufacturer", 5}, {"vulnerability", 6}, {"information", 4},
		{"yes", 1}, {"yellow", 2}, {"free", 1}, {"tree", 1}, {"piece", 1}, {"field", 1},
		{"read", 1}, {"clear", 1}, {"Wi", 1}, {"TV", 1}, {"", 0}, {"Router's", 2},
	}
	for _, tt := range tests {
		if got := Syllables(tt.word); got != tt.want {
			t.Errorf("Syllables(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name, text string
		want       int
	}{
		{"no stop", "Open the app", 1},
		{"two", "Open the app. Log in.", 2},
		{"question", "Is it on? Yes!", 2},
		{"address dots", "Go to 192.168.1.20 now.", 1},
		{"url", "Go to https://example.com/a.b then stop.", 1},
		{"version", "It has version V5.2.5. The newest is V5.5.0.", 2},
		{"empty", "", 1},
	}
	for _, tt := range tests {
		if got := Sentences(tt.text); got != tt.want {
			t.Errorf("%s: Sentences(%q) = %d, want %d", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestGrade(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		min, max float64
	}{
		// 6 words, 6 syllables, 1 sentence: 0.39*6 + 11.8*1 - 15.59 = -1.45.
		{"one-syllable words", "The cat sat on the mat.", -1.46, -1.44},
		// Addresses and numbers are not counted as words: same as above.
		{"codes skipped", "The cat sat on the mat 192.168.1.20 https://x.example/ 2027.", -1.46, -1.44},
		{"plain advice", "Change the password. Use three random words.", 0, 8},
		{"jargon", "Unauthenticated exploitation of vulnerabilities facilitates remote compromise of embedded infrastructure.", 12, 40},
		{"nothing", "", 0, 0},
	}
	for _, tt := range tests {
		got := Grade(tt.text)
		if math.IsNaN(got) || got < tt.min || got > tt.max {
			t.Errorf("%s: Grade(%q) = %.2f, want between %.2f and %.2f", tt.name, tt.text, got, tt.min, tt.max)
		}
	}
}
