package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/porchlight/porchlight/scan"
)

// hostile is a device name built to attack the terminal: clear the screen,
// write the clipboard (OSC 52), reverse the text (bidi override), ring the
// bell, move the cursor, and set the window title.
const hostile = "\x1b[2J\x1b[H\x1b]52;c;cm0gLXJmIH4=\x07\u202Eevil\u202C\x07\x1b]0;pwned\x1b\\\x9b31mred\x00\r\nname"

// dangerous are byte sequences that must never reach the terminal from data.
var dangerous = []string{"\x1b[2J", "\x1b[H", "\x1b]52", "\x1b]0", "\x07", "\u202E", "\u202C", "\x9b", "\x00", "\r"}

func TestHostileNamesRenderAsText(t *testing.T) {
	for _, colour := range []bool{false, true} {
		t.Run(fmt.Sprintf("colour=%v", colour), func(t *testing.T) {
			m := testModel(t, 80, 24)
			if colour {
				// Colour on: our own styles emit SGR sequences, which are
				// fine; nothing from the device may.
				r := lipgloss.NewRenderer(os.Stdout)
				r.SetColorProfile(termenv.TrueColor)
				m.s.styles = NewStyles(r, false)
			}
			evil := scan.Device{Key: "evil", IP: "192.168.1.66", Name: hostile, Vendor: hostile, Model: hostile,
				Firmware: hostile, Reasons: []string{hostile}, Type: "camera",
				Findings: []scan.Finding{{ID: scan.FindDefaultPassword, Severity: scan.Critical, Title: hostile, Evidence: hostile}}}
			feedAll(m, []scan.Event{scan.DeviceFound{Device: evil}, scan.Note{Key: "evil", Text: hostile}, scan.Done{}})
			views := map[string]string{"overview": m.View()}
			deliver(m, openDeviceMsg{key: "evil"})
			views["detail"] = m.View()
			press(m, "n", hostile, "enter") // a typed name is cleaned too
			views["detail renamed"] = m.View()
			press(m, "enter")
			views["fix"] = m.View()
			for where, v := range views {
				for _, bad := range dangerous {
					if strings.Contains(v, bad) {
						t.Errorf("%s: frame contains %q", where, bad)
					}
				}
				if !strings.Contains(v, "evil") {
					t.Errorf("%s: the harmless text of the name is not shown:\n%s", where, v)
				}
			}
			if d := m.s.devices["evil"]; strings.ContainsAny(d.name, "\x1b\x07\u202e") {
				t.Errorf("stored typed name %q still has control characters", d.name)
			}
		})
	}
}

// BenchmarkOverview500 draws the household overview with 500 devices.
func BenchmarkOverview500(b *testing.B) {
	m := testModel(b, 120, 40)
	base := homeReport(b).Devices
	var evs []scan.Event
	for i := range 500 {
		d := base[i%len(base)]
		d.Key = fmt.Sprintf("dev-%03d", i)
		d.IP = fmt.Sprintf("10.0.%d.%d", i/250, i%250+1)
		evs = append(evs, scan.DeviceUpdated{Device: d})
	}
	feedAll(m, append(evs, scan.Done{}))
	if len(m.s.order) != 500 {
		b.Fatalf("%d devices, want 500", len(m.s.order))
	}
	press(m, "down", "down", "down")
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}
