package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// overviewScreen is the household: one row per device, worst first.
type overviewScreen struct {
	s      *session
	cursor int // index into s.order
	offset int // first row shown
	w, h   int
	cols   columns
}

// columns are the table's column widths for the current terminal width.
type columns struct{ name, maker, model, kind int }

func newOverviewScreen(s *session) *overviewScreen { return &overviewScreen{s: s} }

// header is the lines above the rows: the summary (up to two lines), a
// blank line and the column titles.
func (o *overviewScreen) header() []string {
	sum := strings.Split(wrap(o.s.household, o.w), "\n")
	if len(sum) > 2 {
		sum = sum[:2]
		sum[1] = cut(sum[1]+"…", o.w)
	}
	return sum
}

func (o *overviewScreen) SetSize(w, h int) {
	o.w, o.h = w, h
	// "> " + badge + space, then name, maker, model, kind with a space between.
	rest := max(w-2-badgeWidth-1-4, 4)
	o.cols.kind = min(14, rest/6+3)
	o.cols.maker = min(16, rest/5+2)
	o.cols.model = min(24, rest/4+2)
	o.cols.name = max(rest-o.cols.kind-o.cols.maker-o.cols.model, 1)
	o.clamp()
}

// rows is how many devices fit: the household summary is kept current by
// the session and wrapped here, to at most two lines.
func (o *overviewScreen) rows() int { return max(o.h-len(o.header())-2, 1) }

// clamp keeps the cursor on a device and in view.
func (o *overviewScreen) clamp() {
	n := len(o.s.order)
	o.cursor = min(max(o.cursor, 0), max(n-1, 0))
	if o.cursor < o.offset {
		o.offset = o.cursor
	}
	if o.cursor >= o.offset+o.rows() {
		o.offset = o.cursor - o.rows() + 1
	}
	o.offset = max(min(o.offset, n-o.rows()), 0)
}

// follow keeps the cursor on the same device after the list is resorted.
func (o *overviewScreen) follow(key string) {
	for i, k := range o.s.order {
		if k == key {
			o.cursor = i
			break
		}
	}
	o.clamp()
}

// selected is the key of the device under the cursor, or "".
func (o *overviewScreen) selected() string {
	if o.cursor < len(o.s.order) {
		return o.s.order[o.cursor]
	}
	return ""
}

func (o *overviewScreen) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := o.s.keys
	switch {
	case key.Matches(k, keys.Up):
		o.cursor--
	case key.Matches(k, keys.Down):
		o.cursor++
	case key.Matches(k, keys.PageUp):
		o.cursor -= o.rows()
	case key.Matches(k, keys.PageDown):
		o.cursor += o.rows()
	case key.Matches(k, keys.Open):
		if sel := o.selected(); sel != "" {
			return o.s.send(openDeviceMsg{key: sel})
		}
	case key.Matches(k, keys.Summary):
		return o.s.send(summaryMsg{})
	case key.Matches(k, keys.Quit):
		return o.s.send(quitMsg{})
	}
	o.clamp()
	return nil
}

func (o *overviewScreen) View() string {
	st := o.s.styles
	var b strings.Builder
	b.WriteString(strings.Join(o.header(), "\n") + "\n\n")
	c := o.cols
	head := "  " + pad("Verdict", badgeWidth) + " " + pad("Name", c.name) + " " + pad("Maker", c.maker) + " " +
		pad("Model", c.model) + " " + pad("Type", c.kind)
	b.WriteString(st.Muted.Render(cut(head, o.w)))
	end := min(o.offset+o.rows(), len(o.s.order))
	for i := o.offset; i < end; i++ {
		b.WriteByte('\n')
		b.WriteString(o.row(i))
	}
	if len(o.s.order) == 0 {
		b.WriteString("\n  " + cut("No devices were found. Press q to quit.", max(o.w-2, 0)))
	}
	return b.String()
}

// row draws one device. Every device string is cleaned on the way out.
func (o *overviewScreen) row(i int) string {
	st, c := o.s.styles, o.cols
	d := o.s.devices[o.s.order[i]]
	cursor := "  "
	if i == o.cursor {
		cursor = "> "
	}
	text := pad(d.shown, c.name) + " " + pad(safe(d.dev.Vendor), c.maker) + " " +
		pad(safe(d.dev.Model), c.model) + " " + pad(d.adv.Kind, c.kind)
	if i == o.cursor {
		text = st.Selected.Render(text)
	}
	return cursor + pad(st.Badge(d.adv.Verdict), badgeWidth) + " " + text
}

func (o *overviewScreen) ShortHelp() []key.Binding {
	k := o.s.keys
	return []key.Binding{k.Open, k.Up, k.Down, k.Summary, k.Quit, k.Help}
}

func (o *overviewScreen) FullHelp() [][]key.Binding {
	k := o.s.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Open, k.Summary}, {k.Quit, k.Help}}
}
