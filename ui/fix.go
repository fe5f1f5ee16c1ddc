package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/porchlight/porchlight/advice"
)

// fixScreen walks through the fix for one problem, then checks again.
type fixScreen struct {
	s          *session
	key        string
	finding    advice.Finding
	passphrase advice.Passphrase
	vp         viewport.Model
	state      fixState
	err        string // why the last re-check could not run
	w, h       int
}

// fixState is where the person is in the fix.
type fixState int

const (
	fixReading  fixState = iota // reading the steps
	fixChecking                 // re-check running
	fixFixed                    // the re-check no longer finds the problem
	fixStill                    // the re-check still finds it
	fixFailed                   // the re-check could not run
)

func newFixScreen(s *session) *fixScreen {
	f := &fixScreen{s: s, vp: viewport.New(0, 0)}
	f.vp.KeyMap = viewportKeys()
	return f
}

// show opens the fix for a device's i-th problem (worst first).
func (f *fixScreen) show(key string, i int) {
	d := f.s.devices[key]
	f.key, f.state, f.err = key, fixReading, ""
	f.finding = d.adv.Findings[min(max(i, 0), len(d.adv.Findings)-1)]
	f.passphrase = advice.NewPassphrase(f.s.rng)
	f.vp.GotoTop()
	f.refresh()
}

func (f *fixScreen) SetSize(w, h int) {
	f.w, f.h = w, h
	f.vp.Width, f.vp.Height = w, max(h, 1)
	f.refresh()
}

func (f *fixScreen) refresh() {
	d, ok := f.s.devices[f.key]
	if !ok || f.w == 0 {
		return
	}
	f.vp.SetContent(fixContent(f.s.styles, d, f.finding, f.passphrase, f.state, f.err, f.w))
	if f.state != fixReading {
		f.vp.GotoBottom() // the result is at the end
	}
}

func fixContent(st Styles, d *deviceState, fd advice.Finding, pass advice.Passphrase, state fixState, errText string, w int) string {
	g := fd.Guide
	var lines lineList
	add := lines.add
	add(st.Heading.Render(cut(g.Title, w)),
		st.Muted.Render(cut("For: "+d.shown+" ("+safe(d.adv.Label)+", "+safe(d.dev.IP)+")", w)),
		st.Muted.Render(cut("Problem: "+fd.Title, w)), "")
	for i, step := range g.Steps {
		num := fmt.Sprintf("%d. ", i+1)
		add(indentWrap(num, strings.Repeat(" ", len(num)), safe(step), w))
	}
	if g.Passphrase {
		add("", st.Heading.Render("A strong new password"),
			"  "+st.Key.Render(pass.String()),
			wrap("That is the words "+pass.Spoken()+". "+advice.PassphraseTip+" Press p for another.", w))
	}
	add("")
	switch state {
	case fixReading:
		if g.Recheck {
			add(wrap("When you have done this, press enter and we will check again.", w))
		} else {
			add(wrap("There is nothing for us to check again here. Press esc to go back.", w))
		}
	case fixChecking:
		add("Checking again…")
	case fixFixed:
		add(st.Good.Render("Fixed. We checked again and the problem has gone. Well done!"),
			wrap("Press esc to go back to the device.", w))
	case fixStill:
		add(st.AtRisk.Render(cut("We checked again, and the problem is still there.", w)), "Try this next:")
		for _, t := range g.NextTry {
			add(indentWrap("• ", "  ", safe(t), w))
		}
		add(wrap("Then press enter to check again.", w))
	case fixFailed:
		add(st.Error.Render(cut("We could not check again.", w)), wrap(safe(errText), w),
			wrap("Check the device is on, then press enter to try again.", w))
	}
	return strings.Join(lines, "\n")
}

func (f *fixScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := f.s.keys
	switch {
	case key.Matches(k, keys.Done):
		if f.finding.Guide.Recheck && f.state != fixChecking && f.state != fixFixed {
			f.state = fixChecking
			f.refresh()
			return f.s.send(recheckRequestMsg{key: f.key, finding: f.finding.Finding})
		}
	case key.Matches(k, keys.Other) && f.finding.Guide.Passphrase:
		f.passphrase = advice.NewPassphrase(f.s.rng)
		f.refresh()
	case key.Matches(k, keys.Back):
		if f.state != fixChecking {
			return f.s.send(backMsg{})
		}
	case key.Matches(k, keys.Quit):
		return f.s.send(quitMsg{})
	default:
		var cmd tea.Cmd
		f.vp, cmd = f.vp.Update(msg)
		return cmd
	}
	return nil
}

// result takes the re-check's answer.
func (f *fixScreen) result(fixed bool, err error) {
	switch {
	case err != nil:
		f.state, f.err = fixFailed, err.Error()
	case fixed:
		f.state = fixFixed
	default:
		f.state = fixStill
	}
	f.refresh()
}

func (f *fixScreen) View() string { return f.vp.View() }

func (f *fixScreen) ShortHelp() []key.Binding {
	k := f.s.keys
	b := []key.Binding{}
	if f.finding.Guide.Recheck {
		b = append(b, k.Done)
	}
	if f.finding.Guide.Passphrase {
		b = append(b, k.Other)
	}
	return append(b, k.PageDown, k.Back, k.Help)
}

func (f *fixScreen) FullHelp() [][]key.Binding {
	k := f.s.keys
	return [][]key.Binding{{k.Done, k.Other}, {k.PageUp, k.PageDown}, {k.Back, k.Quit}}
}
