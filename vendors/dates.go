package vendors

import "time"

// parseDay parses YYYY-MM-DD.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// parsePeriod parses YYYY-MM-DD, YYYY-MM or YYYY and returns the first and
// the last day of that period: "2027" runs from 2027-01-01 to 2027-12-31.
func parsePeriod(s string) (first, last time.Time, ok bool) {
	for _, p := range []struct {
		layout string
		years  int
		months int
		days   int
	}{
		{time.DateOnly, 0, 0, 1},
		{"2006-01", 0, 1, 0},
		{"2006", 1, 0, 0},
	} {
		if len(s) != len(p.layout) {
			continue
		}
		t, err := time.Parse(p.layout, s)
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		return t, t.AddDate(p.years, p.months, p.days).AddDate(0, 0, -1), true
	}
	return time.Time{}, time.Time{}, false
}

// parseChecked parses a Source.Checked date: a day, or a month when the
// reference gives only the month.
func parseChecked(s string) (time.Time, time.Time, bool) {
	if len(s) == len("2006") {
		return time.Time{}, time.Time{}, false
	}
	return parsePeriod(s)
}
