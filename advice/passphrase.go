package advice

import (
	_ "embed"
	"math/rand/v2"
	"strings"
	"sync"
)

// words.txt is our own list of common, short, plain English words that are
// easy to spell and to type on a phone: no homophones, nothing rude.
//
//go:embed words.txt
var wordFile string

// wordList is the word list, split once.
var wordList = sync.OnceValue(func() []string { return strings.Fields(wordFile) })

// Passphrase is a suggested new password made of three random words, as the
// UK National Cyber Security Centre advises. It is shown to the person only;
// it never goes into a report, a log or the history.
type Passphrase struct{ Words []string }

// NewPassphrase picks three words using r. Pass a generator seeded from
// crypto/rand (rand.NewChaCha8) in real use; tests pass a fixed seed.
func NewPassphrase(r *rand.Rand) Passphrase {
	list := wordList()
	w := make([]string, 3)
	for i := range w {
		w[i] = list[r.IntN(len(list))]
	}
	return Passphrase{Words: w}
}

// String is the words joined as one, each starting with a capital letter
// ("CoffeeTrainFish"): most settings pages accept it, and those that insist
// on a capital letter are satisfied.
func (p Passphrase) String() string {
	var b strings.Builder
	for _, w := range p.Words {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// Spoken is the words with spaces, for reading aloud ("coffee train fish").
func (p Passphrase) Spoken() string { return strings.Join(p.Words, " ") }

// PassphraseTip explains the suggestion in one plain sentence.
const PassphraseTip = "Three random words make a password that is easy to remember and hard to guess."
