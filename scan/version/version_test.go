package version

import (
	"testing"
	"time"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		want   int
		wantOK bool
	}{
		{"hikvision build older", "V5.2.5 build 141201", "V5.5.0 build 170725", -1, true},
		{"hikvision same core other build", "V5.4.5 build 170124", "V5.4.5 build 180101", -1, true},
		{"hikvision build vs bare", "V5.4.5 build 170124", "V5.4.5", 0, true},
		{"underscore date", "1.0.12_20230101", "1.0.13_20230301", -1, true},
		{"underscore date same core", "1.0.12_20230301", "1.0.12_20230101", 1, true},
		{"parenthesised sub", "3.16.9(4)", "3.16.9(5)", -1, true},
		{"parenthesised vs plain newer", "3.16.9(4)", "3.16.10", -1, true},
		{"shelly gen1", "20210115-102725/v1.9.4@e2732e05", "20230913-112003/v1.14.0-gcb84623", -1, true},
		{"shelly same", "20210115-102725/v1.9.4@e2732e05", "20210115-102725/v1.9.4@e2732e05", 0, true},
		{"wd my cloud", "2.31.204", "2.31.195", 1, true},
		{"numeric not lexical", "2.9.0", "2.10.0", -1, true},
		{"tp-link build rel", "3.15.3 Build 180114 Rel.39265n", "3.15.3 Build 181212 Rel.50621n", -1, true},
		{"hue single number", "1967054020", "1968096020", -1, true},
		{"patch letter after plain", "1.2.3a", "1.2.3", 1, true},
		{"patch letters ordered", "1.2.3a", "1.2.3b", -1, true},
		{"beta before release", "2.0.0beta", "2.0.0", -1, true},
		{"trailing zero equal", "1.2", "1.2.0", 0, true},
		{"samsung prefix", "T-HKMDEUC-1490.3", "T-HKMDEUC-1500.1", -1, true},
		{"different prefixes", "T-HKMDEUC-1490.3", "T-MST12DEUC-1490.3", 0, false},
		{"dotted vs single", "1967054020", "1.50", 0, false},
		{"no number", "unknown", "1.0", 0, false},
		{"empty", "", "1.0", 0, false},
		{"huge numbers", "99999999999999999999999.1", "99999999999999999999998.2", 1, true},
		{"date build", "20230101", "20220101", 1, true},
		{"sonos build", "79.1-56030", "79.1-57010", -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Compare(tt.a, tt.b)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Compare(%q, %q) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
	}{
		{"hikvision yymmdd build", "V5.2.5 build 141201", "2014-12-01"},
		{"underscore yyyymmdd", "1.0.12_20230101", "2023-01-01"},
		{"shelly prefix", "20210115-102725/v1.9.4@e2732e05", "2021-01-15"},
		{"tp-link build", "3.15.3 Build 180114 Rel.39265n", "2018-01-14"},
		{"no date", "2.31.204", ""},
		{"not a date", "3.16.9(4)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := Parse(tt.in)
			if !ok {
				t.Fatalf("Parse(%q) not ok", tt.in)
			}
			got := ""
			if !v.Date.IsZero() {
				got = v.Date.Format(time.DateOnly)
			}
			if got != tt.want {
				t.Errorf("Parse(%q).Date = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBehind(t *testing.T) {
	tests := []struct {
		name                       string
		running, latest, latestDay string
		wantOK                     bool
		want                       string
	}{
		{"minor versions and age", "V5.2.5 build 141201", "V5.5.0 build 170725", "", true, "3 minor versions behind; the latest is about 2 years newer"},
		{"data date wins", "V5.2.5 build 141201", "V5.5.0", "2018-03-01", true, "3 minor versions behind; the latest is about 3 years newer"},
		{"one patch", "2.31.203", "2.31.204", "", true, "1 patch version behind"},
		{"build only", "V5.4.5 build 170124", "V5.4.5 build 180101", "", true, "an older build of the same version; the latest is about a year newer"},
		{"single number", "1967054020", "1968096020", "", true, "behind by a patch version"},
		{"shelly major", "20210115-102725/v1.9.4@e2732e05", "20230913-112003/v1.14.0-gcb84623", "", true, "5 minor versions behind; the latest is about 2 years newer"},
		{"current", "2.31.204", "2.31.204", "", true, ""},
		{"newer than data", "2.31.205", "2.31.204", "", true, ""},
		{"incomparable", "T-A-1.0", "T-B-2.0", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := Behind(tt.running, tt.latest, tt.latestDay)
			if ok != tt.wantOK || g.String() != tt.want {
				t.Errorf("Behind(%q, %q, %q) = %q, %v; want %q, %v", tt.running, tt.latest, tt.latestDay, g, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// FuzzCompare checks the properties any ordering must have, on any input:
// no panic, a version equals itself, and swapping the arguments flips the sign.
func FuzzCompare(f *testing.F) {
	for _, s := range [][2]string{
		{"V5.4.5 build 170124", "V5.5.0 build 170725"},
		{"1.0.12_20230101", "3.16.9(4)"},
		{"20210115-102725/v1.9.4@e2732e05", "2.31.204"},
		{"3.15.3 Build 180114 Rel.39265n", "1967054020"},
		{"1.2.3a", "1.2.3beta"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if c, ok := Compare(a, a); ok && c != 0 {
			t.Errorf("Compare(%q, itself) = %d", a, c)
		}
		ab, okAB := Compare(a, b)
		ba, okBA := Compare(b, a)
		if okAB != okBA || ab != -ba {
			t.Errorf("Compare(%q, %q) = %d, %v but reversed = %d, %v", a, b, ab, okAB, ba, okBA)
		}
		if g, ok := Behind(a, b, ""); ok && g.Level != "" && ab != -1 {
			t.Errorf("Behind(%q, %q) = %q but Compare = %d", a, b, g, ab)
		}
	})
}
