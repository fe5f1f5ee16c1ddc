package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/porchlight/porchlight/scan"
)

const cameraKey = "44:19:b6:33:44:02"

type builder func(t testing.TB, w, h int) *Model

// screenCases put the program in each state a person can see, from the home scenario.
var screenCases = []struct {
	name  string
	build builder
}{
	{"consent", testModel},
	{"scanning", buildScanning},
	{"stopping", then(buildScanning, "esc")},
	{"overview", scannedModel},
	{"overview-empty", buildEmpty},
	{"detail", buildDetail},
	{"detail-naming", then(buildDetail, "n", "kitchen camera")},
	{"detail-named", then(buildDetail, "n", "kitchen camera", "enter")},
	{"fix", then(buildDetail, "enter")},
	{"fix-still", buildFixStill},
	{"fix-fixed", buildFixFixed},
	{"summary", then(buildFixFixed, "esc", "esc", "s")},
	{"help", then(scannedModel, "?")},
}

// then is a builder followed by key presses.
func then(b builder, keys ...string) builder {
	return func(t testing.TB, w, h int) *Model {
		m := b(t, w, h)
		press(m, keys...)
		return m
	}
}

func buildScanning(t testing.TB, w, h int) *Model {
	m := testModel(t, w, h)
	evs := homeEvents(t)
	m.active = screenScan
	m.feed = &feed{wake: make(chan struct{}), done: make(chan struct{}), events: evs}
	m.Update(eventsMsg{events: evs[:16], from: 0, next: 16})
	return m
}

func buildEmpty(t testing.TB, w, h int) *Model {
	m := testModel(t, w, h)
	feedAll(m, []scan.Event{scan.Done{}})
	return m
}

func buildDetail(t testing.TB, w, h int) *Model {
	m := scannedModel(t, w, h)
	deliver(m, openDeviceMsg{key: cameraKey})
	return m
}

func buildFixStill(t testing.TB, w, h int) *Model {
	m := then(buildDetail, "enter")(t, w, h)
	dev := m.s.devices[cameraKey].dev
	deliver(m, recheckMsg{before: dev, after: dev, findingID: scan.FindDefaultPassword, service: "http:80"})
	return m
}

func buildFixFixed(t testing.TB, w, h int) *Model {
	m := then(buildDetail, "enter")(t, w, h)
	dev := m.s.devices[cameraKey].dev
	deliver(m, recheckMsg{before: dev, after: withoutFinding(dev, scan.FindDefaultPassword),
		findingID: scan.FindDefaultPassword, service: "http:80"})
	return m
}

// withoutFinding is the device as a re-check after a successful fix reports it.
func withoutFinding(d scan.Device, id string) scan.Device {
	var kept []scan.Finding
	for _, f := range d.Findings {
		if f.ID != id {
			kept = append(kept, f)
		}
	}
	d.Findings = kept
	d.PSTI.Passwords = scan.Pass
	return d
}

func TestScreens(t *testing.T) {
	for _, c := range screenCases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			name := fmt.Sprintf("%s-%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				golden(t, name, plainView(c.build(t, size[0], size[1])))
			})
		}
	}
}

// TestScreensFit sweeps widths: no line may be wider than the terminal, and
// the frame is exactly as tall as it.
func TestScreensFit(t *testing.T) {
	for _, c := range screenCases {
		for w := 40; w <= 120; w++ {
			for _, h := range []int{24, 40} {
				view := c.build(t, w, h).View()
				lines := strings.Split(view, "\n")
				if len(lines) != h {
					t.Errorf("%s at %dx%d: %d lines, want %d", c.name, w, h, len(lines), h)
				}
				for i, l := range lines {
					if got := ansi.StringWidth(l); got > w {
						t.Errorf("%s at %dx%d: line %d is %d wide: %q", c.name, w, h, i+1, got, ansi.Strip(l))
					}
				}
			}
		}
	}
}
