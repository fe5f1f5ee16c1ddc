package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/porchlight/porchlight/advice"
)

// detailScreen is one device: what it is and why we think so, the three UK
// rules, each problem in plain words, its support period and where to report.
type detailScreen struct {
	s       *session
	key     string
	vp      viewport.Model
	finding int   // selected problem
	starts  []int // first content line of each problem, for scrolling to it
	naming  bool
	input   textinput.Model
	status  string // a line about naming
	w, h    int
}

func newDetailScreen(s *session) *detailScreen {
	in := promptInput("Name: ", 60)
	in.Placeholder = "kitchen camera"
	d := &detailScreen{s: s, vp: viewport.New(0, 0), input: in}
	d.vp.KeyMap = viewportKeys()
	return d
}

// show switches the screen to a device.
func (d *detailScreen) show(key string) {
	if d.key != key {
		d.finding, d.status, d.naming = 0, "", false
		d.vp.GotoTop()
	}
	d.key = key
	d.refresh()
}

func (d *detailScreen) SetSize(w, h int) {
	d.w, d.h = w, h
	d.vp.Width = w
	d.vp.Height = max(h-2, 1) // the last two lines are for naming and its status
	d.input.Width = max(w-len(d.input.Prompt)-2, 8)
	d.refresh()
}

// refresh rebuilds the content; called when the device, size or selection changes.
func (d *detailScreen) refresh() {
	dev, ok := d.s.devices[d.key]
	if !ok || d.w == 0 {
		return
	}
	d.finding = min(max(d.finding, 0), max(len(dev.adv.Findings)-1, 0))
	content, starts := detailContent(d.s, dev, d.finding, d.w)
	d.starts = starts
	d.vp.SetContent(content)
}

// scrollToFinding brings the selected problem into view.
func (d *detailScreen) scrollToFinding() {
	if d.finding >= len(d.starts) {
		return
	}
	line := d.starts[d.finding]
	if line < d.vp.YOffset || line >= d.vp.YOffset+d.vp.Height-3 {
		d.vp.SetYOffset(line - 2)
	}
}

// detailContent is the device's page, wrapped to width w. It returns the
// first line of each problem so the selection can be scrolled to.
func detailContent(s *session, d *deviceState, selected, w int) (string, []int) {
	st, adv, dev := s.styles, d.adv, d.dev
	var lines lineList
	add := lines.add
	add(st.Badge(d.adv.Verdict)+"  "+st.Heading.Render(cut(d.shown, max(w-badgeWidth-2, 1))),
		wrap(fmt.Sprintf("%s %s (%s)", safe(dev.Vendor), safe(dev.Model), adv.Kind), w),
		wrap(fmt.Sprintf("Address %s · software %s", safe(dev.IP), orUnknown(safe(dev.Firmware))), w))
	add("", st.Heading.Render(fmt.Sprintf("Problems (%d)", len(adv.Findings))))
	if len(adv.Findings) == 0 {
		add(wrap("We found nothing wrong with this device.", w))
	}
	starts := make([]int, len(adv.Findings))
	for i, f := range adv.Findings {
		starts[i] = len(lines)
		mark := "  "
		title := fmt.Sprintf("%d. %s", i+1, f.Title)
		if i == selected {
			mark, title = "> ", st.Selected.Render(title)
		}
		add(mark+cut(title, max(w-2, 1)),
			indentWrap("   ", "   ", safe(f.What), w),
			indentWrap("   Why it matters: ", "   ", safe(f.Why), w))
	}
	if len(dev.Reasons) > 0 {
		add("", st.Heading.Render("Why we think so"))
		for _, r := range dev.Reasons {
			add(indentWrap("• ", "  ", safe(r), w))
		}
	}
	add("", st.Heading.Render("The UK rules for smart devices"))
	for _, l := range adv.PSTI {
		add(indentWrap(pad(st.Result(l.Result), 10)+" ", strings.Repeat(" ", 11), l.Rule+": "+safe(l.Text), w))
	}
	add("", st.Heading.Render("Updates"), wrap(safe(adv.Support), w))
	add("", st.Heading.Render("Reporting a problem"),
		wrap(safe(adv.ReportMaker), w), wrap(safe(adv.ReportUK), w))
	return strings.Join(lines, "\n"), starts
}

func orUnknown(s string) string {
	if s == "" {
		return "not known"
	}
	return s
}

func (d *detailScreen) Update(msg tea.Msg) tea.Cmd {
	if d.naming {
		return d.updateNaming(msg)
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := d.s.keys
	switch {
	case key.Matches(k, keys.Up):
		d.finding--
		d.refresh()
		d.scrollToFinding()
	case key.Matches(k, keys.Down):
		d.finding++
		d.refresh()
		d.scrollToFinding()
	case key.Matches(k, keys.Open):
		if dev := d.s.devices[d.key]; dev != nil && len(dev.adv.Findings) > 0 {
			return d.s.send(openFixMsg{key: d.key, finding: d.finding})
		}
	case key.Matches(k, keys.Name):
		return d.startNaming()
	case key.Matches(k, keys.Back):
		return d.s.send(backMsg{})
	case key.Matches(k, keys.Quit):
		return d.s.send(quitMsg{})
	default:
		var cmd tea.Cmd
		d.vp, cmd = d.vp.Update(msg)
		return cmd
	}
	return nil
}

func (d *detailScreen) startNaming() tea.Cmd {
	d.naming, d.status = true, ""
	d.input.SetValue(d.s.devices[d.key].name)
	d.input.CursorEnd()
	return d.input.Focus()
}

func (d *detailScreen) updateNaming(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, d.s.keys.Confirm):
			d.naming = false
			d.input.Blur()
			name := safe(d.input.Value())
			d.status = "Saved the name."
			if name == "" {
				d.status = "Removed the name."
			}
			return d.s.send(renameMsg{key: d.key, name: name})
		case key.Matches(k, d.s.keys.Cancel):
			d.naming = false
			d.input.Blur()
			return nil
		}
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return cmd
}

func (d *detailScreen) View() string {
	bottom := d.s.styles.Muted.Render(cut("Press enter on a problem to fix it, or n to name this device.", d.w))
	if d.naming {
		bottom = d.input.View()
	} else if d.status != "" {
		bottom = d.s.styles.Good.Render(cut(d.status, d.w))
	}
	return d.vp.View() + "\n\n" + cut(bottom, d.w)
}

func (d *detailScreen) ShortHelp() []key.Binding {
	k := d.s.keys
	if d.naming {
		return []key.Binding{k.Confirm, k.Cancel}
	}
	return []key.Binding{k.Open, k.Up, k.Down, k.Name, k.Back, k.Help}
}

func (d *detailScreen) FullHelp() [][]key.Binding {
	k := d.s.keys
	return [][]key.Binding{{k.Up, k.Down, k.Open}, {k.PageUp, k.PageDown}, {k.Name, k.Back, k.Quit}}
}

// verdictWord is used by plain mode and tests: the verdict as text.
func verdictWord(v advice.Verdict) string { return strings.ToUpper(v.String()) }
