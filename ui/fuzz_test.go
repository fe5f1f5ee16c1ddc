package ui

import (
	"strings"
	"testing"

	"github.com/porchlight/porchlight/scan"
)

// FuzzDeviceText puts arbitrary device text on every screen that shows it.
// With colour off, a frame is plain text: no byte below 0x20 but the line
// breaks, no DEL or C1 controls, no bidi overrides, and nothing wider than
// the terminal.
func FuzzDeviceText(f *testing.F) {
	for _, s := range []string{"Kitchen", hostile, "\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", "漢字カメラ📷", "\u2066\u2067\u2068\u2069\u200f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := testModel(t, 60, 24)
		d := scan.Device{Key: "k", IP: "192.168.1.9", Name: text, Vendor: text, Model: text, Firmware: text,
			Reasons: []string{text}, Type: "camera",
			Findings: []scan.Finding{{ID: scan.FindDefaultPassword, Severity: scan.Critical, Title: text}}}
		feedAll(m, []scan.Event{scan.DeviceFound{Device: d}, scan.Note{Key: "k", Text: text}, scan.Done{}})
		frames := []string{m.View()}
		deliver(m, openDeviceMsg{key: "k"})
		frames = append(frames, m.View())
		press(m, "enter")
		frames = append(frames, m.View())
		for _, fr := range frames {
			for _, r := range fr {
				if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
					t.Fatalf("frame has control rune %U for device text %q", r, text)
				}
			}
			if strings.Count(fr, "\n") != 23 {
				t.Fatalf("frame is %d lines, want 24", strings.Count(fr, "\n")+1)
			}
		}
	})
}
