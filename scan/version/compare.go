package version

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Compare orders two version strings: -1 when a is older than b, 0 when the
// same, +1 when newer. ok is false when they cannot be compared (no number,
// or different schemes), and the caller should say "unknown".
func Compare(a, b string) (c int, ok bool) {
	va, okA := Parse(a)
	vb, okB := Parse(b)
	if !okA || !okB {
		return 0, false
	}
	return va.Compare(vb)
}

// Compare orders v against w; see the package function Compare.
func (v Version) Compare(w Version) (int, bool) {
	if !v.sameScheme(w) {
		return 0, false
	}
	n := max(len(v.Core), len(w.Core))
	for i := range n {
		if c := comparePart(v.part(i), w.part(i)); c != 0 {
			return c, true
		}
	}
	// Equal cores: the build numbers break the tie when both carry them.
	for i := range min(len(v.Extra), len(w.Extra)) {
		if c := compareNum(v.Extra[i], w.Extra[i]); c != 0 {
			return c, true
		}
	}
	return 0, true
}

// sameScheme says whether v and w are numbered the same way: the same
// prefix, and both dotted or both a single number.
func (v Version) sameScheme(w Version) bool {
	if len(v.Core) == 0 || len(w.Core) == 0 || v.Prefix != w.Prefix {
		return false
	}
	return (len(v.Core) == 1) == (len(w.Core) == 1)
}

// part returns component i, or zero when v has fewer ("1.2" is "1.2.0").
func (v Version) part(i int) Part {
	if i < len(v.Core) {
		return v.Core[i]
	}
	return Part{Num: "0"}
}

func comparePart(a, b Part) int {
	if c := compareNum(a.Num, b.Num); c != 0 {
		return c
	}
	return compareSuffix(a.Suffix, b.Suffix)
}

// compareNum orders decimal strings without leading zeros, of any length.
func compareNum(a, b string) int {
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

// compareSuffix orders letter suffixes: pre-release words ("beta", "rc")
// before none, and patch letters ("a", "b") after none.
func compareSuffix(a, b string) int {
	ra, rb := suffixRank(a), suffixRank(b)
	if ra != rb {
		return sign(ra - rb)
	}
	return strings.Compare(a, b)
}

func suffixRank(s string) int {
	if s == "" {
		return 0
	}
	if r, ok := release[s]; ok {
		return r
	}
	return 1
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Gap says how far a running version is behind the latest one.
type Gap struct {
	// Level is the most significant component that differs: "major",
	// "minor", "patch" or "build"; "" when not behind or not comparable.
	Level string
	// Steps is how far apart that component is (5.2 -> 5.5 is 3), 0 when unknown.
	Steps int
	// Running and Latest are the build dates, where known.
	Running, Latest time.Time
}

// Behind compares running with latest (latestDate is the data's release
// date, YYYY-MM-DD, or ""). It returns ok false when the versions do not
// compare, and a zero Level when running is not older.
func Behind(running, latest, latestDate string) (g Gap, ok bool) {
	vr, okR := Parse(running)
	vl, okL := Parse(latest)
	if !okR || !okL {
		return g, false
	}
	c, ok := vr.Compare(vl)
	if !ok || c >= 0 {
		return g, ok
	}
	g.Running, g.Latest = vr.Date, vl.Date
	if t, err := time.Parse(time.DateOnly, latestDate); err == nil {
		g.Latest = t
	}
	g.Level, g.Steps = firstDifference(vr, vl)
	return g, true
}

func firstDifference(r, l Version) (string, int) {
	levels := []string{"major", "minor", "patch"}
	for i := range max(len(r.Core), len(l.Core)) {
		a, b := r.part(i), l.part(i)
		if comparePart(a, b) == 0 {
			continue
		}
		level := "patch"
		if i < len(levels) && len(r.Core) > 1 {
			level = levels[i]
		}
		return level, steps(a.Num, b.Num)
	}
	return "build", 0
}

// steps is b-a when both fit in an int and differ, else 0 ("unknown").
func steps(a, b string) int {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA != nil || errB != nil || y <= x {
		return 0
	}
	return y - x
}

// String says the gap in plain words, e.g. "3 minor versions behind; the
// latest is about 2 years newer".
func (g Gap) String() string {
	if g.Level == "" {
		return ""
	}
	var s string
	switch {
	case g.Level == "build":
		s = "an older build of the same version"
	case g.Steps == 1:
		s = fmt.Sprintf("1 %s version behind", g.Level)
	case g.Steps > 1 && g.Steps < 1000:
		s = fmt.Sprintf("%d %s versions behind", g.Steps, g.Level)
	default:
		s = fmt.Sprintf("behind by a %s version", g.Level)
	}
	if age := Age(g.Running, g.Latest); age != "" {
		s += "; the latest is " + age + " newer"
	}
	return s
}

// Age says how much later b is than a in rough plain words ("about 2
// years"), or "" when either date is unknown or b is not later.
func Age(a, b time.Time) string {
	if a.IsZero() || b.IsZero() || !b.After(a) {
		return ""
	}
	months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
	switch {
	case months >= 24:
		return fmt.Sprintf("about %d years", months/12)
	case months >= 12:
		return "about a year"
	case months >= 2:
		return fmt.Sprintf("about %d months", months)
	default:
		return "less than two months"
	}
}
