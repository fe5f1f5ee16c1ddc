package vendors

import (
	"sort"
	"strings"
	"unicode"
)

// searchEntry is one maker or product with the words a shopper might type.
type searchEntry struct {
	maker   *Maker
	product *Product
	makerW  []string // words naming the maker, aliases included
	coreW   []string // words of the maker's id and name only
	ownW    []string // words naming the product (empty for a maker entry)
	titleW  []string // plain words of the product's name, without (...) notes
}

// Search scoring: a query word scores by its best match among the entry's
// words. Words with digits (model numbers) must match exactly or as a
// prefix, since "c200" and "c210" are different cameras; letter-only words
// may carry a typo or two.
const (
	simExact  = 1.0
	simPrefix = 0.85
	simTypo   = 0.7
	minScore  = 0.6
	maxHits   = 10
)

// searchVocab is every word of every entry, once, sorted.
func searchVocab(entries []searchEntry) []string {
	seen := map[string]bool{}
	var out []string
	for _, en := range entries {
		for _, ws := range [][]string{en.makerW, en.coreW, en.ownW, en.titleW} {
			for _, w := range ws {
				if !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func buildSearch(makers []Maker) []searchEntry {
	var out []searchEntry
	for i := range makers {
		m := &makers[i]
		mw := words(append([]string{m.ID, m.Name}, m.Aliases...)...)
		core := words(m.ID, m.Name)
		out = append(out, searchEntry{maker: m, makerW: mw, coreW: core, titleW: split(stripNotes(m.Name))})
		for j := range m.Products {
			p := &m.Products[j]
			pw := words(append([]string{p.ID, p.Name}, p.Models...)...)
			out = append(out, searchEntry{maker: m, product: p, makerW: mw, coreW: core, ownW: pw, titleW: split(stripNotes(p.Name))})
		}
	}
	return out
}

// words splits names into lower-case words, and adds each pair of
// neighbours joined ("tp link" also gives "tplink") and each name with
// its separators removed, so spacing and hyphens don't matter.
func words(names ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, n := range names {
		ws := split(n)
		for i, w := range ws {
			add(w)
			if i > 0 {
				add(ws[i-1] + w)
			}
		}
		add(strings.Join(ws, ""))
	}
	return out
}

func split(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Search finds makers and products by free text ("tp-link tapo c200"),
// best first. A product is a hit only when a query word names the product
// itself, not just its maker; a maker is a hit when every word names it.
func (c *Catalog) Search(text string) []SearchResult {
	if c == nil || c.compiled == nil {
		return nil
	}
	q := split(text)
	if len(q) == 0 || len(q) > 12 {
		return nil
	}
	q = append(q, joinedPairs(q)...)
	sims := make([]wordSims, len(q))
	for i, w := range q {
		sims[i] = similarities(w, c.compiled.vocab)
	}
	var hits []SearchResult
	for i := range c.compiled.search {
		if s, ok := c.compiled.search[i].score(sims, len(split(text))); ok {
			en := &c.compiled.search[i]
			hits = append(hits, SearchResult{Maker: en.maker, Product: en.product, Score: s})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].Score > hits[b].Score })
	if len(hits) > maxHits {
		hits = hits[:maxHits]
	}
	return hits
}

// joinedPairs adds "tplink" for the query "tp link".
func joinedPairs(q []string) []string {
	var out []string
	for i := 1; i < len(q); i++ {
		out = append(out, q[i-1]+q[i])
	}
	return out
}

// wordSims is one query word's similarity to every vocabulary word that
// it resembles at all (the rest are 0), worked out once per search.
type wordSims struct {
	word string
	sim  map[string]float64
}

func similarities(q string, vocab []string) wordSims {
	ws := wordSims{word: q, sim: map[string]float64{}}
	for _, w := range vocab {
		if s := similarity(q, w); s > 0 {
			ws.sim[w] = s
		}
	}
	return ws
}

// best is the highest similarity of the query word to any of the words.
func (ws wordSims) best(words []string) float64 {
	b := 0.0
	for _, w := range words {
		b = max(b, ws.sim[w])
	}
	return b
}

// score rates the entry for the query words; q holds n plain words then
// their joined pairs. A joined pair can stand in for its two words.
func (en *searchEntry) score(q []wordSims, n int) (float64, bool) {
	sims := make([]float64, n)
	own := false
	for i := 0; i < n; i++ {
		ms, ps := q[i].best(en.makerW), q[i].best(en.ownW)
		sims[i] = max(ms, ps)
		// A word names the product when it fits the product better than the
		// maker's own name; an alias such as "tapo" or "kasa" still counts.
		if ps >= simTypo && ps > q[i].best(en.coreW) {
			own = true
		}
		if ps == simExact && len(q[i].word) > 2 && hasDigit(q[i].word) {
			own = true
		}
	}
	for i := n; i < len(q); i++ {
		ms, ps := q[i].best(en.makerW), q[i].best(en.ownW)
		if s := max(ms, ps); s >= simTypo {
			j := i - n
			sims[j], sims[j+1] = max(sims[j], s), max(sims[j+1], s)
			if ps > q[i].best(en.coreW) {
				own = true
			}
		}
	}
	total := 0.0
	for _, s := range sims {
		total += s
	}
	// Mostly how well the query is matched; a little for how much of the
	// product's own name the query covers, so "sonos one" prefers the One
	// to the One SL.
	score := 0.9*total/float64(n) + 0.1*en.coverage(q)
	if en.product != nil && !own {
		return 0, false
	}
	if en.product == nil {
		// A maker hit ranks a little below an equally good product hit.
		score *= 0.95
	}
	return score, score >= minScore
}

func similarity(q, w string) float64 {
	switch {
	case q == w:
		return simExact
	case len(q) >= 3 && strings.HasPrefix(w, q):
		return simPrefix
	case hasDigit(q) || hasDigit(w):
		return 0
	case len(q) >= 4 && len(q) <= maxWordLen && editDistance(q, w) <= maxTypos(q):
		return simTypo
	}
	return 0
}

func maxTypos(q string) int {
	if len(q) >= 8 {
		return 2
	}
	return 1
}

func hasDigit(s string) bool {
	return strings.ContainsFunc(s, unicode.IsDigit)
}

// maxWordLen bounds the words compared for typos; longer words only match
// exactly or as a prefix. It keeps each comparison on the stack.
const maxWordLen = 32

// editDistance is the Damerau-Levenshtein (optimal string alignment)
// distance over bytes, so a swapped pair of letters ("sonso") counts as one
// typo. Anything more than 2 apart, or longer than maxWordLen, is reported
// as 3: only "close" matters here.
func editDistance(a, b string) int {
	if d := len(a) - len(b); d > 2 || d < -2 || len(a) > maxWordLen || len(b) > maxWordLen {
		return 3
	}
	var rows [3][maxWordLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], 3)
}

// coverage is the share of the entry's title words that some query word
// matches, typos allowed.
func (en *searchEntry) coverage(q []wordSims) float64 {
	ws := en.titleW
	if len(ws) == 0 {
		return 0
	}
	hit := 0
	for _, w := range ws {
		for _, x := range q {
			if x.sim[w] >= simTypo {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(len(ws))
}

// stripNotes drops parenthesised notes: "Hue Bridge (v2, square)" is
// "Hue Bridge" for ranking, so the plain name ranks first.
func stripNotes(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
