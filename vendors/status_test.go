package vendors

import (
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	c := mustEmbedded(t)
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(15 * time.Hour) // mid-afternoon: only the calendar day counts
	}
	prod := func(until string) *Product {
		return &Product{Support: &ProductSupport{Until: until}}
	}
	tests := []struct {
		name string
		p    *Product
		now  string
		want SupportStatus
	}{
		{"nil product", nil, "2026-01-01", UnknownSupp},
		{"no end date", &Product{}, "2026-01-01", UnknownSupp},
		{"last day is still supported", prod("2025-10-25"), "2025-10-25", EndingSoon},
		{"day after the last day", prod("2025-10-25"), "2025-10-26", Ended},
		{"exactly 12 months before the first unsupported day", prod("2027-03-31"), "2026-04-01", EndingSoon},
		{"one day more than 12 months away", prod("2027-03-31"), "2026-03-31", Supported},
		{"month means its last day", prod("2027-03"), "2027-03-31", EndingSoon},
		{"month has ended", prod("2027-03"), "2027-04-01", Ended},
		{"year means 31 December", prod("2026"), "2026-12-31", EndingSoon},
		{"year has ended", prod("2026"), "2027-01-01", Ended},
		{"year far ahead", prod("2030"), "2026-11-25", Supported},
		{"leap day", prod("2028-02-29"), "2027-03-01", EndingSoon},
		{"leap day, a year and a day early", prod("2028-02-29"), "2027-02-28", Supported},
		{"bad date is unknown, never a guess", prod("soon"), "2026-01-01", UnknownSupp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Status(tt.p, day(tt.now)); got != tt.want {
				t.Errorf("Status(until %v, %s) = %q, want %q", tt.p, tt.now, got, tt.want)
			}
		})
	}
}

// TestStatusUsesTheLocalDay checks that a time late on the last day in a
// zone east of UTC is still that day, not the next one in UTC.
func TestStatusUsesTheLocalDay(t *testing.T) {
	c := mustEmbedded(t)
	p := &Product{Support: &ProductSupport{Until: "2025-10-25"}}
	west := time.FixedZone("UTC-10", -10*3600)
	if got := c.Status(p, time.Date(2025, 10, 25, 23, 30, 0, 0, west)); got == Ended {
		t.Errorf("Status on the last local day = %q, want not ended", got)
	}
}

func TestSupportEnd(t *testing.T) {
	tests := []struct{ until, want string }{
		{"2027", "2027-12-31"}, {"2027-02", "2027-02-28"}, {"2028-02", "2028-02-29"}, {"2027-03-15", "2027-03-15"},
	}
	for _, tt := range tests {
		got, ok := SupportEnd(&Product{Support: &ProductSupport{Until: tt.until}})
		if !ok || got.Format(time.DateOnly) != tt.want {
			t.Errorf("SupportEnd(%q) = %v, %v, want %s", tt.until, got, ok, tt.want)
		}
	}
	if _, ok := SupportEnd(&Product{}); ok {
		t.Error("SupportEnd without a date reported one")
	}
}
