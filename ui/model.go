package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/porchlight/porchlight/advice"
	"github.com/porchlight/porchlight/scan"
)

// screen is one page of the program. The root model owns the shared session
// and routes messages to the screen on show.
type screen interface {
	Update(tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

type screenID int

const (
	screenConsent screenID = iota
	screenScan
	screenOverview
	screenDetail
	screenFix
	screenSummary
)

var screenTitles = map[screenID]string{
	screenConsent: "Welcome", screenScan: "Checking", screenOverview: "Your home",
	screenDetail: "Device", screenFix: "Fix it", screenSummary: "Summary",
}

// Navigation and requests from screens to the root.
type (
	consentMsg    struct{ allow bool }
	openDeviceMsg struct{ key string }
	openFixMsg    struct {
		key     string
		finding int
	}
	recheckRequestMsg struct {
		key     string
		finding scan.Finding
	}
	renameMsg   struct{ key, name string }
	backMsg     struct{}
	summaryMsg  struct{}
	quitMsg     struct{}
	stopScanMsg struct{}
)

// send queues a navigation message for the root, which handles it within
// the same Update. Navigating synchronously keeps keys in order: a key typed
// straight after another always reaches the screen the first one opened.
func (s *session) send(msg tea.Msg) tea.Cmd {
	s.pending = append(s.pending, msg)
	return nil
}

// Model is the root of the program: it routes messages to the screen on show,
// reads the scan's events and keeps the session.
type Model struct {
	ctx    context.Context
	s      *session
	help   help.Model
	active screenID
	// showHelp is the full-help overlay (?).
	showHelp bool
	w, h     int

	consent  *consentScreen
	scanning *scanScreen
	overview *overviewScreen
	detail   *detailScreen
	fix      *fixScreen
	summary  *summaryScreen

	// cancel stops the running scan; nil when none runs.
	cancel context.CancelFunc
	// feed holds the scan's events; consumed is how many the session has taken.
	feed     *feed
	consumed int
	quitting bool
}

// newModel builds the root model. ctx bounds every command it starts.
func newModel(ctx context.Context, s *session) *Model {
	h := help.New()
	h.Styles = s.styles.Help
	m := &Model{
		ctx: ctx, s: s, help: h,
		consent: newConsentScreen(s), scanning: newScanScreen(s), overview: newOverviewScreen(s),
		detail: newDetailScreen(s), fix: newFixScreen(s), summary: newSummaryScreen(s),
	}
	m.resize(80, 24)
	return m
}

func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) screen() screen {
	switch m.active {
	case screenScan:
		return m.scanning
	case screenOverview:
		return m.overview
	case screenDetail:
		return m.detail
	case screenFix:
		return m.fix
	case screenSummary:
		return m.summary
	}
	return m.consent
}

// chrome is the lines around a screen's body: the title bar and the key help.
const chrome = 2

func (m *Model) resize(w, h int) {
	m.w, m.h = max(w, 1), max(h, 1)
	m.help.Width = m.w
	for _, sc := range []screen{m.consent, m.scanning, m.overview, m.detail, m.fix, m.summary} {
		sc.SetSize(m.w, max(m.h-chrome, 1))
	}
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := []tea.Cmd{m.update(msg)}
	for len(m.s.pending) > 0 {
		next := m.s.pending[0]
		m.s.pending = m.s.pending[1:]
		cmds = append(cmds, m.update(next))
	}
	return m, tea.Batch(cmds...)
}

// update handles one message.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return nil
	case tea.KeyMsg:
		return m.key(msg)
	case consentMsg:
		return m.startScan(msg.allow)
	case scanStartedMsg:
		m.feed = msg.feed
		return nextEventsCmd(msg.feed, 0)
	case scanFailedMsg:
		return m.scanFailed(msg.err)
	case eventsMsg:
		return m.takeEvents(msg)
	case stopScanMsg:
		m.stopScan()
		return nil
	case openDeviceMsg:
		m.detail.show(msg.key)
		m.active = screenDetail
	case openFixMsg:
		m.fix.show(msg.key, msg.finding)
		m.active = screenFix
	case recheckRequestMsg:
		return m.recheck(msg)
	case recheckMsg:
		m.recheckDone(msg)
	case renameMsg:
		return m.rename(msg)
	case knownMsg:
		m.remembered(msg.names)
	case savedMsg:
		m.summary.saved(msg)
	case backMsg:
		m.back()
	case summaryMsg:
		m.summary.refresh()
		m.active = screenSummary
	case quitMsg:
		return m.quit()
	}
	return m.screen().Update(msg)
}

// key handles the keys that work everywhere, then passes the rest on.
func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	keys := m.s.keys
	typing := (m.active == screenDetail && m.detail.naming) || (m.active == screenSummary && m.summary.saving != nil)
	switch {
	case m.active == screenScan:
		return m.scanning.Update(k) // Esc and Ctrl-C stop the scan, never quit it
	case key.Matches(k, keys.ForceQuit):
		return m.quit()
	case m.showHelp:
		m.showHelp = false // any key closes the help
		return nil
	case key.Matches(k, keys.Help) && !typing:
		m.showHelp = true
		return nil
	}
	return m.screen().Update(k)
}

// startScan records consent and starts the scan.
func (m *Model) startScan(allow bool) tea.Cmd {
	opts := m.s.cfg.Scan
	opts.CheckPasswords = allow
	m.s.cfg.Scan = opts
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.active = screenScan
	return startScanCmd(ctx, m.s.runScan, opts)
}

func (m *Model) scanFailed(err error) tea.Cmd {
	m.s.notes = append(m.s.notes, "The check could not start: "+err.Error())
	m.s.scanDone = true
	m.active = screenOverview
	return nil
}

// takeEvents applies a batch and re-arms the reader until the stream closes.
func (m *Model) takeEvents(msg eventsMsg) tea.Cmd {
	if msg.from != m.consumed {
		return nil // a stale batch; cannot happen with one reader, but never apply twice
	}
	m.consumed = msg.next
	sel := m.overview.selected()
	changed := false
	for _, ev := range msg.events {
		changed = m.s.apply(ev) || changed
	}
	if changed {
		m.s.resort()
		m.overview.follow(sel)
		m.refreshOpen()
	}
	if !msg.closed {
		return nextEventsCmd(m.feed, m.consumed)
	}
	m.s.scanDone = true
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if m.active == screenScan {
		m.active = screenOverview
		m.overview.cursor, m.overview.offset = 0, 0
		m.overview.clamp()
	}
	if st := m.s.cfg.History; st != nil {
		return lookupNamesCmd(m.ctx, st, m.s.deviceList())
	}
	return nil
}

// refreshOpen redraws the content of an open device page after new data.
func (m *Model) refreshOpen() {
	if m.active == screenDetail {
		m.detail.refresh()
	}
}

// stopScan cancels the scan; events keep being read until the channel
// closes, so everything already found is kept.
func (m *Model) stopScan() {
	if m.cancel != nil {
		m.cancel()
	}
}

func (m *Model) recheck(r recheckRequestMsg) tea.Cmd {
	d, ok := m.s.devices[r.key]
	if !ok {
		return nil
	}
	return recheckCmd(m.ctx, m.s.recheck, d.dev, m.s.cfg.Scan, r.finding.ID, r.finding.Service)
}

func (m *Model) recheckDone(r recheckMsg) {
	if r.err != nil {
		m.fix.result(false, r.err)
		return
	}
	sel := m.overview.selected()
	fixed := m.s.recheckResult(r.before, r.after, r.findingID, r.service)
	m.overview.follow(sel)
	m.detail.refresh()
	m.fix.result(fixed, nil)
}

func (m *Model) rename(r renameMsg) tea.Cmd {
	m.s.rename(r.key, r.name)
	m.detail.refresh()
	if st := m.s.cfg.History; st != nil {
		return renameCmd(m.ctx, st, m.s.devices[r.key].dev, r.name)
	}
	return nil
}

// remembered applies names history knows, unless the person named the device now.
func (m *Model) remembered(names map[string]string) {
	for k, n := range names {
		if d, ok := m.s.devices[k]; ok && d.name == "" {
			m.s.rename(k, n)
		}
	}
	m.s.resort()
}

func (m *Model) back() {
	switch m.active {
	case screenFix:
		m.detail.refresh()
		m.active = screenDetail
	case screenDetail, screenSummary:
		m.active = screenOverview
	}
}

// quit ends the program; a running scan is stopped first. Run saves what
// was found after the program ends, so quitting never loses results.
func (m *Model) quit() tea.Cmd {
	m.stopScan()
	m.quitting = true
	return tea.Quit
}

func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	title := " Porchlight · " + screenTitles[m.active] + " "
	if m.s.cfg.Demo {
		title += "· demo household "
	}
	header := m.s.styles.Title.Render(pad(title, m.w))
	bodyH := max(m.h-chrome, 1)
	var body, foot string
	if m.showHelp {
		body = m.helpView()
		foot = m.s.styles.Muted.Render("Press any key to close the help.")
	} else {
		body = m.screen().View()
		foot = m.help.ShortHelpView(m.screen().ShortHelp())
	}
	return fit(header+"\n"+fit(body, m.w, bodyH)+"\n"+foot, m.w, m.h)
}

// helpView is the full help for the screen on show, with what the badges mean.
func (m *Model) helpView() string {
	st := m.s.styles
	lines := []string{st.Heading.Render("Keys on this screen"), m.help.FullHelpView(m.screen().FullHelp()), "",
		st.Heading.Render("Keys everywhere"), "  ? help   ctrl+c quit (what was found is kept)", "",
		st.Heading.Render("What the badges mean"),
		"  " + pad(st.Badge(advice.AtRisk), badgeWidth) + "  fix this first: someone could get in",
		"  " + pad(st.Badge(advice.NeedsAttention), badgeWidth) + "  worth a look when you have time",
		"  " + pad(st.Badge(advice.OK), badgeWidth) + "  we found nothing wrong",
	}
	return strings.Join(lines, "\n")
}

// viewportKeys lets scrolling views page without taking the arrow keys,
// which move the selection.
func viewportKeys() viewport.KeyMap {
	km := viewport.DefaultKeyMap()
	km.Up = key.NewBinding(key.WithKeys("ctrl+p"))
	km.Down = key.NewBinding(key.WithKeys("ctrl+n"))
	km.HalfPageUp = key.NewBinding(key.WithKeys("ctrl+u"))
	km.HalfPageDown = key.NewBinding(key.WithKeys("ctrl+d"))
	km.PageDown = key.NewBinding(key.WithKeys("pgdown", " ", "f"))
	km.PageUp = key.NewBinding(key.WithKeys("pgup", "b"))
	km.Left = key.NewBinding(key.WithDisabled())
	km.Right = key.NewBinding(key.WithDisabled())
	return km
}
