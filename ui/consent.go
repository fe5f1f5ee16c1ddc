package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/porchlight/porchlight/scan/login"
)

// consentScreen says what Porchlight will do and never does, and asks before
// any factory-password test.
type consentScreen struct {
	s      *session
	vp     viewport.Model
	choice int // index into consentChoices
	w, h   int
}

// consentChoices are the answers, in order; the first is the default.
var consentChoices = []string{
	"Yes, check my devices and try their factory passwords",
	"Check my devices, but do not try any passwords",
	"Quit without checking",
}

func newConsentScreen(s *session) *consentScreen {
	c := &consentScreen{s: s, vp: viewport.New(0, 0)}
	c.vp.KeyMap = viewportKeys()
	return c
}

// maxLoginTries is what the consent text promises about the login test:
// scan's own cap on tries per service, so the promise cannot drift.
const maxLoginTries = login.MaxAttempts

// consentText is the explanation above the choice. It fits 80x24 with the
// choices below it; every promise in it is kept by scan's limits.
func consentText(network string) string {
	return strings.Join([]string{
		"Porchlight checks the smart devices in your home, as a careful friend would.",
		"It will look at: " + safe(network),
		"",
		"It will:",
		"• ask each device what it is, as phones, TVs and camera apps do (SSDP, mDNS, web pages, Hikvision's SADP)",
		"• see which services it offers (web, telnet, FTP, RTSP, MQTT, printing)",
		"• compare its software and update promise with what the maker published",
		"It never changes anything on a device, never looks beyond your home network, and never sends your results anywhere.",
		"",
		fmt.Sprintf("The password test, only if you say yes: we try only the factory login the maker "+
			"published for that model, at most %d tries for each service, one at a time for each device, "+
			"and stop at the first that works. We never try a list of guesses, so nothing gets locked out.", maxLoginTries),
	}, "\n")
}

func (c *consentScreen) SetSize(w, h int) {
	c.w, c.h = w, h
	c.vp.Width = w
	c.vp.Height = max(h-len(consentChoices)-2, 1)
	var lines []string
	for _, l := range strings.Split(consentText(c.s.cfg.Network), "\n") {
		if strings.HasPrefix(l, "• ") {
			lines = append(lines, indentWrap("• ", "  ", strings.TrimPrefix(l, "• "), w))
			continue
		}
		lines = append(lines, wrap(l, w))
	}
	c.vp.SetContent(strings.Join(lines, "\n"))
}

func (c *consentScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := c.s.keys
	switch {
	case key.Matches(k, keys.Up):
		c.choice = (c.choice + len(consentChoices) - 1) % len(consentChoices)
	case key.Matches(k, keys.Down):
		c.choice = (c.choice + 1) % len(consentChoices)
	case key.Matches(k, keys.Yes):
		return c.s.send(consentMsg{allow: true})
	case key.Matches(k, keys.No):
		return c.s.send(consentMsg{allow: false})
	case key.Matches(k, keys.Open):
		return c.choose()
	case key.Matches(k, keys.Quit):
		return c.s.send(quitMsg{})
	default:
		var cmd tea.Cmd
		c.vp, cmd = c.vp.Update(msg)
		return cmd
	}
	return nil
}

func (c *consentScreen) choose() tea.Cmd {
	switch c.choice {
	case 0:
		return c.s.send(consentMsg{allow: true})
	case 1:
		return c.s.send(consentMsg{allow: false})
	}
	return c.s.send(quitMsg{})
}

func (c *consentScreen) View() string {
	st := c.s.styles
	var b strings.Builder
	b.WriteString(c.vp.View())
	b.WriteString("\n\n" + st.Heading.Render("Shall we start?") + "\n")
	for i, ch := range consentChoices {
		line := "  " + ch
		if i == c.choice {
			line = st.Selected.Render("> " + ch)
		}
		b.WriteString(cut(line, c.w))
		if i < len(consentChoices)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (c *consentScreen) ShortHelp() []key.Binding {
	k := c.s.keys
	return []key.Binding{k.Open, k.Yes, k.No, k.Up, k.Down, k.Quit, k.Help}
}

func (c *consentScreen) FullHelp() [][]key.Binding {
	k := c.s.keys
	return [][]key.Binding{{k.Up, k.Down, k.Open}, {k.Yes, k.No}, {k.PageUp, k.PageDown, k.Quit}}
}
