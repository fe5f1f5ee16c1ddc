package ui

import (
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/porchlight/porchlight/report"
)

// summaryScreen is the end of the journey: what was fixed, what is left, and
// an offer to save a report.
type summaryScreen struct {
	s      *session
	vp     viewport.Model
	saving *reportFormat // the format being named, while the file name is typed
	input  textinput.Model
	status string
	isErr  bool
	w, h   int
}

// formats are the report kinds the summary can save.
func formats() map[string]reportFormat {
	return map[string]reportFormat{
		"json":     {name: "JSON", ext: ".json", write: func(r *report.Report, f *os.File) error { return r.WriteJSON(f) }},
		"markdown": {name: "Markdown", ext: ".md", write: func(r *report.Report, f *os.File) error { return r.WriteMarkdown(f) }},
		"html":     {name: "HTML", ext: ".html", write: func(r *report.Report, f *os.File) error { return r.WriteHTML(f) }},
	}
}

func newSummaryScreen(s *session) *summaryScreen {
	in := promptInput("Save as: ", 200)
	sm := &summaryScreen{s: s, vp: viewport.New(0, 0), input: in}
	sm.vp.KeyMap = viewportKeys()
	return sm
}

func (sm *summaryScreen) SetSize(w, h int) {
	sm.w, sm.h = w, h
	sm.vp.Width, sm.vp.Height = w, max(h-3, 1)
	sm.input.Width = max(w-len(sm.input.Prompt)-2, 8)
	sm.refresh()
}

func (sm *summaryScreen) refresh() {
	if sm.w > 0 {
		sm.vp.SetContent(summaryContent(sm.s, sm.w))
	}
}

func summaryContent(s *session, w int) string {
	st := s.styles
	var lines lineList
	add := lines.add
	add(wrap(s.household, w), "")
	add(st.Heading.Render(fmt.Sprintf("What you fixed (%d)", len(s.fixed))))
	if len(s.fixed) == 0 {
		add("  Nothing yet.")
	}
	for _, f := range s.fixed {
		add(indentWrap("  ✓ ", "    ", f.device+": "+f.title, w))
	}
	add("", st.Heading.Render("What is left"))
	left := 0
	for _, k := range s.order {
		d := s.devices[k]
		for _, f := range d.adv.Findings {
			left++
			add(indentWrap("  • ", "    ", d.shown+": "+f.Title, w))
		}
	}
	if left == 0 {
		add("  Nothing. Every device looks fine.")
	}
	if s.interrupted {
		add("", wrap("The check was stopped early, so some devices may be missing.", w))
	}
	return strings.Join(lines, "\n")
}

func (sm *summaryScreen) Update(msg tea.Msg) tea.Cmd {
	if sm.saving != nil {
		return sm.updateSaving(msg)
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	keys := sm.s.keys
	switch {
	case key.Matches(k, keys.SaveJSON):
		return sm.startSaving("json")
	case key.Matches(k, keys.SaveMD):
		return sm.startSaving("markdown")
	case key.Matches(k, keys.SaveHTML):
		return sm.startSaving("html")
	case key.Matches(k, keys.Back):
		return sm.s.send(backMsg{})
	case key.Matches(k, keys.Quit):
		return sm.s.send(quitMsg{})
	default:
		var cmd tea.Cmd
		sm.vp, cmd = sm.vp.Update(msg)
		return cmd
	}
}

func (sm *summaryScreen) startSaving(kind string) tea.Cmd {
	f, ok := formats()[kind]
	if !ok {
		sm.status, sm.isErr = "This version cannot save that kind of report.", true
		return nil
	}
	sm.saving, sm.status = &f, ""
	day := sm.s.finished
	if day.IsZero() {
		day = sm.s.now
	}
	sm.input.SetValue("porchlight-report-" + day.Format("2006-01-02-1504") + f.ext)
	sm.input.CursorEnd()
	return sm.input.Focus()
}

func (sm *summaryScreen) updateSaving(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, sm.s.keys.Confirm):
			f, path := *sm.saving, strings.TrimSpace(sm.input.Value())
			sm.saving = nil
			sm.input.Blur()
			if path == "" {
				return nil
			}
			sm.status, sm.isErr = "Saving…", false
			return saveReportCmd(sm.s.report(), path, f)
		case key.Matches(k, sm.s.keys.Cancel):
			sm.saving = nil
			sm.input.Blur()
			return nil
		}
	}
	var cmd tea.Cmd
	sm.input, cmd = sm.input.Update(msg)
	return cmd
}

// saved shows the result of saving.
func (sm *summaryScreen) saved(m savedMsg) {
	if m.err != nil {
		sm.status, sm.isErr = "Could not save: "+safe(m.err.Error()), true
		return
	}
	sm.status, sm.isErr = "Saved the report to "+safe(m.path)+". It has no passwords in it.", false
}

func (sm *summaryScreen) View() string {
	st := sm.s.styles
	var bottom string
	switch {
	case sm.saving != nil:
		bottom = sm.input.View()
	case sm.status != "" && sm.isErr:
		bottom = st.Error.Render(cut(sm.status, sm.w))
	case sm.status != "":
		bottom = st.Good.Render(cut(sm.status, sm.w))
	default:
		bottom = cut("Save a report to keep or share: j for JSON, m for Markdown, h for HTML.", sm.w)
	}
	return sm.vp.View() + "\n\n" + cut(bottom, sm.w)
}

func (sm *summaryScreen) ShortHelp() []key.Binding {
	k := sm.s.keys
	if sm.saving != nil {
		return []key.Binding{k.Confirm, k.Cancel}
	}
	return []key.Binding{k.SaveJSON, k.SaveMD, k.SaveHTML, k.Back, k.Quit, k.Help}
}

func (sm *summaryScreen) FullHelp() [][]key.Binding {
	k := sm.s.keys
	return [][]key.Binding{{k.SaveJSON, k.SaveMD, k.SaveHTML}, {k.PageUp, k.PageDown}, {k.Back, k.Quit}}
}
