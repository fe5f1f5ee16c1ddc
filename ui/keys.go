package ui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key the program answers to, with its help text. Screens
// pick the ones they use; the help overlay lists them.
type keyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Open, Back, Quit, Help     key.Binding
	Stop, ForceQuit            key.Binding
	Yes, No                    key.Binding
	Name, Summary, Done, Other key.Binding
	SaveJSON, SaveMD, SaveHTML key.Binding
	Confirm, Cancel            key.Binding
}

func newKeys() keyMap {
	return keyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", " ", "f"), key.WithHelp("pgdn", "page down")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:      key.NewBinding(key.WithKeys("esc", "backspace", "left"), key.WithHelp("esc", "back")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Stop:      key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "stop the check")),
		Yes:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "no")),
		Name:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "name it")),
		Summary:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "summary")),
		Done:      key.NewBinding(key.WithKeys("enter", "d"), key.WithHelp("enter", "I've done this")),
		Other:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "another password")),
		SaveJSON:  key.NewBinding(key.WithKeys("j"), key.WithHelp("j", "save JSON")),
		SaveMD:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "save Markdown")),
		SaveHTML:  key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "save HTML")),
		Confirm:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}
