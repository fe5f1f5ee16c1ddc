// Package version compares firmware version strings in the shapes makers
// really ship: "V5.4.5 build 170124", "1.0.12_20230101", "3.16.9(4)",
// "20210115-102725/v1.9.4@e2732e05", "3.15.3 Build 180114 Rel.39265n",
// "1967054020", "1.2.3a". When two strings do not follow the same scheme it
// says so instead of guessing: a wrong "outdated" is worse than "unknown".
package version

import (
	"regexp"
	"strings"
	"time"
)

// maxLen caps the text we look at; device strings come from strangers.
const maxLen = 128

// Version is a parsed firmware version.
type Version struct {
	// Prefix is the lower-cased text before the numbers ("t-hkmdeuc-"), a
	// leading "v" or "version" dropped. Two versions with different prefixes
	// belong to different schemes and do not compare.
	Prefix string
	// Core holds the dotted components, most significant first.
	Core []Part
	// Extra holds the numbers after the core (build, rel, "(4)", "-56030"),
	// in order; they break ties between equal cores.
	Extra []string
	// Date is a build date found in the string (zero when none).
	Date time.Time
}

// Part is one dotted component: a number and an optional letter suffix ("3a").
type Part struct {
	Num    string // decimal digits, leading zeros removed ("0" for zero)
	Suffix string // lower-case letters after the number, "" when none
}

var (
	// shelly is Shelly Gen1's "20210115-102725/v1.9.4@e2732e05": build
	// date-time, then the version, then a commit hash.
	shelly  = regexp.MustCompile(`^(\d{8})-\d{6}/(.+?)(?:@[0-9a-f]+)?$`)
	dotted  = regexp.MustCompile(`(\d+(?:\.\d+)+)([a-z]*)`)
	single  = regexp.MustCompile(`^(.*?)(\d+)([a-z]*)$`)
	digits  = regexp.MustCompile(`\d+`)
	release = map[string]int{"dev": -4, "alpha": -3, "beta": -2, "pre": -2, "rc": -1}
)

// Parse reads s. ok is false when s holds no version number at all.
func Parse(s string) (v Version, ok bool) {
	if len(s) > maxLen {
		s = s[:maxLen]
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if m := shelly.FindStringSubmatch(s); m != nil {
		inner, ok := Parse(m[2])
		if !ok {
			return v, false
		}
		inner.Date = parseDate(m[1])
		return inner, true
	}
	if loc := dotted.FindStringSubmatchIndex(s); loc != nil {
		v.Prefix = cleanPrefix(s[:loc[0]])
		v.Core = splitCore(s[loc[2]:loc[3]], s[loc[4]:loc[5]])
		v.Extra, v.Date = extras(s[loc[1]:])
		return v, true
	}
	if m := single.FindStringSubmatch(s); m != nil {
		v.Prefix = cleanPrefix(m[1])
		v.Core = []Part{{Num: trimZeros(m[2]), Suffix: m[3]}}
		v.Date = parseDate(m[2])
		return v, true
	}
	return v, false
}

func cleanPrefix(p string) string {
	p = strings.TrimRight(p, " _-.:/")
	p = strings.TrimSuffix(p, "version")
	p = strings.TrimSuffix(p, "ver")
	p = strings.TrimSuffix(p, "v")
	return strings.TrimRight(p, " _-.:/")
}

func splitCore(nums, suffix string) []Part {
	fields := strings.Split(nums, ".")
	parts := make([]Part, len(fields))
	for i, f := range fields {
		parts[i] = Part{Num: trimZeros(f)}
	}
	parts[len(parts)-1].Suffix = suffix
	return parts
}

// extras collects the numbers after the core and the first one that reads
// as a build date (YYYYMMDD or YYMMDD, as in "build 170124").
func extras(rest string) ([]string, time.Time) {
	var nums []string
	var date time.Time
	for _, d := range digits.FindAllString(rest, 8) {
		nums = append(nums, trimZeros(d))
		if date.IsZero() {
			date = parseDate(d)
		}
	}
	return nums, date
}

// parseDate reads YYYYMMDD or YYMMDD digits as a date between 2000 and 2099,
// or returns the zero time when they are not one.
func parseDate(d string) time.Time {
	var layout string
	switch len(d) {
	case 8:
		layout = "20060102"
	case 6:
		layout = "060102"
	default:
		return time.Time{}
	}
	t, err := time.Parse(layout, d)
	if err != nil || t.Year() < 2000 || t.Year() > 2099 {
		return time.Time{}
	}
	return t
}

func trimZeros(d string) string {
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return "0"
	}
	return d
}
