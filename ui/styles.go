package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/porchlight/porchlight/advice"
)

// Styles are every look the program uses, by role. NewStyles builds them once
// from the terminal's colour profile; screens never make their own.
type Styles struct {
	// Plain is true for the no-colour set (NO_COLOR, --plain, dumb terminals):
	// meaning is then carried by words and markers alone, never by colour.
	Plain bool

	Title    lipgloss.Style // the header bar
	Heading  lipgloss.Style // a section heading inside a screen
	Muted    lipgloss.Style // secondary text
	Selected lipgloss.Style // the row under the cursor
	Key      lipgloss.Style // a key name in running text
	Error    lipgloss.Style
	Good     lipgloss.Style // fixed, passed
	AtRisk   lipgloss.Style
	Attend   lipgloss.Style
	OK       lipgloss.Style

	Help help.Styles
}

// NewStyles builds the styles for a renderer. With noColor (or an ASCII
// profile) every style is empty, so output holds no escape sequences at all.
func NewStyles(r *lipgloss.Renderer, noColor bool) Styles {
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	s := Styles{Plain: noColor || r.ColorProfile() == termenv.Ascii}
	ns := r.NewStyle
	s.Title = ns().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "#1B1B3A", Dark: "#FFFDF5"}).
		Background(lipgloss.AdaptiveColor{Light: "#F4D35E", Dark: "#5A4FCF"})
	s.Heading = ns().Bold(true)
	s.Muted = ns().Foreground(lipgloss.AdaptiveColor{Light: "#5C5C5C", Dark: "#9B9B9B"})
	s.Selected = ns().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "#3A2FB0", Dark: "#C9C2FF"})
	s.Key = ns().Bold(true)
	s.Error = ns().Foreground(lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"})
	s.Good = ns().Foreground(lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#5FD37A"})
	s.AtRisk = ns().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"})
	s.Attend = ns().Foreground(lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#F2C14E"})
	s.OK = ns().Foreground(lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#5FD37A"})
	s.Help = help.Styles{
		ShortKey:       ns().Bold(true),
		ShortDesc:      s.Muted,
		ShortSeparator: s.Muted,
		Ellipsis:       s.Muted,
		FullKey:        ns().Bold(true),
		FullDesc:       ns(),
		FullSeparator:  s.Muted,
	}
	return s
}

// badgeWidth is the width of the widest verdict badge.
const badgeWidth = 15

// Badge is a verdict as a word in capitals, coloured when colour is on; the
// words alone carry the meaning, so it reads the same without colour.
func (s Styles) Badge(v advice.Verdict) string {
	switch v {
	case advice.AtRisk:
		return s.AtRisk.Render("AT RISK")
	case advice.NeedsAttention:
		return s.Attend.Render("NEEDS ATTENTION")
	}
	return s.OK.Render("OK")
}

// Result is a PSTI result as a marked word: "passed", "FAILED", "not known".
func (s Styles) Result(r string) string {
	switch r {
	case "pass":
		return s.Good.Render("passed")
	case "fail":
		return s.AtRisk.Render("FAILED")
	}
	return s.Muted.Render("not known")
}
