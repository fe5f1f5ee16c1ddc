package scan_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/lab"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/scan/clean"
)

// scanLab runs a full scan of l the way `porchlight scan --json` does (Run,
// then report.Collect) and returns the report with the time to the first
// DeviceFound and to Done.
func scanLab(t *testing.T, ctx context.Context, targets scan.Options) (*report.Report, time.Duration, time.Duration) {
	t.Helper()
	// Never let an empty or odd target list fall back to the real network.
	if len(targets.Targets) == 0 {
		t.Fatal("the lab gave no targets")
	}
	for _, p := range targets.Targets {
		if !p.Addr().IsLoopback() {
			t.Fatalf("target %s is not loopback", p)
		}
	}
	start := time.Now()
	ch, err := scan.Run(ctx, targets)
	if err != nil {
		t.Fatal(err)
	}
	var first, done time.Duration
	r := report.Collect(ctx, ch, func(ev scan.Event) {
		switch ev.(type) {
		case scan.DeviceFound:
			if first == 0 {
				first = time.Since(start)
			}
		case scan.Done:
			done = time.Since(start)
		}
	})
	if done == 0 {
		t.Fatal("the stream closed without Done")
	}
	if first == 0 {
		t.Fatal("no device found")
	}
	return r, first, done
}

func TestLabHomeLoopback(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	home, err := lab.StartLoopback(ctx, lab.Options{Scenario: "home"})
	if err != nil {
		t.Fatal(err)
	}
	defer home.Close()
	r, first, done := scanLab(t, ctx, scan.Options{Targets: home.Targets(), Timeout: 45 * time.Second})
	// Results stream: the first device must arrive well before the end (on
	// loopback the whole scan takes under a second, so the bound is loose).
	if first*2 > done {
		t.Errorf("first device after %v of a %v scan; want it in the first half", first, done)
	}
	byIP := map[string]scan.Device{}
	for _, d := range r.Devices {
		byIP[d.IP] = d
	}
	withFirmware := 0
	for _, want := range home.Devices() {
		t.Run(want.ID, func(t *testing.T) {
			got, ok := byIP[want.Addr.String()]
			if !ok {
				t.Fatalf("lab device %s (%s %s) at %s not found", want.ID, want.Maker, want.Model, want.Addr)
			}
			// Every device, the Matter-only thermostat too: loopback has no
			// link layer, but a Matter node's host name is its MAC, whose
			// registered maker the thermostat rule needs.
			if got.MakerID != want.MakerID || got.Type != want.Type {
				t.Errorf("%s: maker %q type %q, want %q %q (identified by %v)", want.ID, got.MakerID, got.Type, want.MakerID, want.Type, got.Reasons)
			}
			if got.Firmware != "" {
				withFirmware++
				if !strings.Contains(want.Firmware, got.Firmware) {
					t.Errorf("%s: firmware %q, lab runs %q", want.ID, got.Firmware, want.Firmware)
				}
			}
		})
	}
	if withFirmware < len(home.Devices())/2 {
		t.Errorf("firmware known for %d of %d devices; want at least half", withFirmware, len(home.Devices()))
	}
	if len(r.Devices) != len(home.Devices()) {
		t.Errorf("found %d devices, the lab has %d", len(r.Devices), len(home.Devices()))
	}
}

func TestLabHostileLoopback(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	hostile, err := lab.StartLoopback(ctx, lab.Options{Scenario: "hostile"})
	if err != nil {
		t.Skipf("no hostile scenario yet: %v", err)
	}
	defer hostile.Close()
	r, _, _ := scanLab(t, ctx, scan.Options{Targets: hostile.Targets(), Timeout: 45 * time.Second})
	if len(r.Devices) == 0 {
		t.Fatal("no devices found in the hostile scenario")
	}
	for _, d := range r.Devices {
		assertClean(t, d.IP, reflect.ValueOf(d))
	}
	// The JSON must round-trip: no invalid UTF-8 slipped through.
	b, err := json.Marshal(r)
	if err != nil || !json.Valid(b) {
		t.Fatalf("report does not encode: %v", err)
	}
}

// assertClean walks every string in v and fails on control bytes, escape
// sequences or over-long values.
func assertClean(t *testing.T, where string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); !clean.Safe(s) || len(s) > 16<<10 {
			t.Errorf("%s: unsafe or oversized string %q", where, s[:min(len(s), 80)])
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				assertClean(t, where+"."+v.Type().Field(i).Name, v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			assertClean(t, where, v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			assertClean(t, where, k)
			assertClean(t, where, v.MapIndex(k))
		}
	}
}
