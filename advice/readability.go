package advice

import (
	"strings"
	"unicode"
)

// Readability: a Flesch-Kincaid grade for advice texts, so a test can hold
// every sentence Porchlight shows to a reading age of about 9 to 11. The
// syllable count is an estimate from English spelling rules; it is right for
// the plain words advice uses, which is what matters for the bar.

// Grade is the Flesch-Kincaid grade level of text:
// 0.39 * words per sentence + 11.8 * syllables per word - 15.59.
// Web addresses, email addresses and numbers are not words a reader sounds
// out, so they are left out of the count.
func Grade(text string) float64 {
	words, syllables := 0, 0
	for _, tok := range strings.Fields(text) {
		if skipToken(tok) {
			continue
		}
		for _, w := range splitWord(tok) {
			words++
			syllables += Syllables(w)
		}
	}
	if words == 0 {
		return 0
	}
	return 0.39*float64(words)/float64(Sentences(text)) + 11.8*float64(syllables)/float64(words) - 15.59
}

// Sentences counts sentence ends (., ! or ? before a space or the end of the
// text); a text with none is one sentence, as a step or a title is.
func Sentences(text string) int {
	n := 0
	rs := []rune(text)
	for i, r := range rs {
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		if i+1 == len(rs) || unicode.IsSpace(rs[i+1]) || rs[i+1] == '"' || rs[i+1] == ')' {
			if i > 0 && (unicode.IsLetter(rs[i-1]) || rs[i-1] == ')' || unicode.IsDigit(rs[i-1])) {
				n++
			}
		}
	}
	return max(n, 1)
}

// skipToken reports whether a token is an address, a number or a code rather than a word.
func skipToken(tok string) bool {
	if strings.Contains(tok, "://") || strings.Contains(tok, "@") || strings.Count(tok, "/") > 0 {
		return true
	}
	letters, digits := 0, 0
	for _, r := range tok {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	// "CVE-2017-7921", "V5.2.5", "2027" and "192.168.1.20" are codes, not words.
	return letters == 0 || digits > 0
}

// splitWord turns a token into its words: "Wi-Fi" is two, "router's" is one.
func splitWord(tok string) []string {
	parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '-' || r == '–' || r == '—' })
	out := parts[:0]
	for _, p := range parts {
		p = strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
		p = strings.TrimSuffix(strings.TrimSuffix(p, "'s"), "’s")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Syllables estimates the syllables in one English word: vowel groups, less a
// silent final e and silent -es/-ed endings, at least one.
func Syllables(word string) int {
	w := strings.ToLower(strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }))
	if w == "" {
		return 0
	}
	if len(w) <= 3 {
		return 1
	}
	w = trimSilentEnding(w)
	n, prevVowel := 0, false
	for i, r := range w {
		v := isVowel(r) || (r == 'y' && i > 0)
		if v && !prevVowel {
			n++
		}
		prevVowel = v
	}
	// Vowel pairs that are two sounds: "radio", "idea", "create", "science".
	for _, pair := range []string{"io", "ia", "eo", "ea", "ie"} {
		for i := strings.Index(w, pair); i >= 0; i = nextIndex(w, pair, i) {
			if twoSounds(w, i, pair) {
				n++
			}
		}
	}
	return max(n, 1)
}

func nextIndex(w, sub string, from int) int {
	j := strings.Index(w[from+1:], sub)
	if j < 0 {
		return -1
	}
	return from + 1 + j
}

// twoSounds decides whether a vowel pair at i is said as two syllables.
func twoSounds(w string, i int, pair string) bool {
	rest := w[i+2:]
	switch pair {
	case "io":
		// "radio", "violin", "pilot" differ from "nation", "question".
		return !(i > 0 && strings.ContainsRune("tsc", rune(w[i-1])) && strings.HasPrefix(rest, "n"))
	case "ia":
		return !(i > 0 && strings.ContainsRune("tsc", rune(w[i-1])) && strings.HasPrefix(rest, "l"))
	case "eo":
		return !strings.HasSuffix(w[:i], "g") && !strings.HasPrefix(w, "peo")
	case "ea":
		// "create", "area", "idea" but not "read", "clear", "heat".
		return rest == "" || strings.HasPrefix(w, "creat")
	case "ie":
		// "quiet", "science", "client" but not "piece", "field", "lie".
		return strings.HasPrefix(rest, "nt") || strings.HasPrefix(rest, "nc") || rest == "t"
	}
	return false
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiou", r) }

// trimSilentEnding drops endings that add letters but no sound:
// "make" -> "mak", "makes" -> "mak", "jumped" -> "jump"; but keeps "table",
// "boxes" and "wanted", where the ending is said.
func trimSilentEnding(w string) string {
	n := len(w)
	switch {
	case strings.HasSuffix(w, "le") && n > 3 && !isVowel(rune(w[n-3])):
		return w // "table", "simple"
	case strings.HasSuffix(w, "es") && n > 4:
		stem := w[:n-2]
		if endsWithAny(stem, "s", "x", "z", "ch", "sh") || endsWithAny(w[:n-1], "ge", "ce", "se", "ze") {
			return w // "boxes", "pages"
		}
		if strings.HasSuffix(stem, "l") && !isVowel(rune(stem[len(stem)-2])) {
			return w // "tables"
		}
		return stem
	case strings.HasSuffix(w, "ed") && n > 4:
		if endsWithAny(w[:n-2], "t", "d") {
			return w // "wanted", "added"
		}
		return w[:n-2]
	case strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") && !strings.HasSuffix(w, "ie"):
		return w[:n-1]
	}
	return w
}

func endsWithAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
