package main

import (
	"context"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/history"
	"github.com/porchlight/porchlight/lab"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
)

// TestHistoryAcrossLabScans scans the loopback home lab three times, the
// way `porchlight scan --check-passwords` does, saving each scan through
// saveHistory's path: the first scan misses one device (switched off),
// which then joins; the camera's factory password is changed on the device
// and the problem shows as fixed; the name the household gave the camera
// holds; a third scan of the unchanged lab changes nothing.
func TestHistoryAcrossLabScans(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the loopback lab three times; skipped with -short")
	}
	path := privateConfig(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	home, err := lab.StartLoopback(ctx, lab.Options{Scenario: "home", MaxMXDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("start the home lab: %v", err)
	}
	defer home.Close()
	devices := home.Devices()
	camera := labCamera(t, devices)
	late := devices[len(devices)-1] // switched off for the first scan
	var first []netip.Prefix
	for _, d := range devices {
		if d.ID != late.ID {
			first = append(first, netip.PrefixFrom(d.Addr, 32))
		}
	}

	ch1, r1 := labScan(t, ctx, first)
	if !ch1.First || len(ch1.Joined) != len(devices)-1 {
		t.Fatalf("scan 1: first %v, %d joined; want true, %d", ch1.First, len(ch1.Joined), len(devices)-1)
	}
	store, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	named, err := store.Rename(ctx, deviceAt(t, r1, camera.Addr), "front door camera")
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	changeFactoryPassword(t, home, camera)

	ch2, _ := labScan(t, ctx, home.Targets())
	if len(ch2.Joined) != 1 || ch2.Joined[0].Device.LastIP != late.Addr.String() {
		t.Errorf("scan 2 joined %v, want only %s at %s", joined(ch2), late.ID, late.Addr)
	}
	if got := findings(ch2.Fixed); !strings.Contains(got, "front door camera: "+scan.FindDefaultPassword) {
		t.Errorf("scan 2 fixed [%s], want the camera's default password", got)
	}

	ch3, r3 := labScan(t, ctx, home.Targets())
	if n := len(ch3.Joined) + len(ch3.Opened) + len(ch3.CameBack) + len(ch3.Fixed); n != 0 {
		t.Errorf("scan 3 of an unchanged lab: joined %v; opened [%s]; back [%s]; fixed [%s]",
			joined(ch3), findings(ch3.Opened), findings(ch3.CameBack), findings(ch3.Fixed))
	}
	if k := ch3.Devices[deviceAt(t, r3, camera.Addr).Key]; k.ID != named.ID || k.Name != "front door camera" {
		t.Errorf("scan 3 camera = %+v, want device %d named front door camera", k, named.ID)
	}
	if len(ch3.Devices) != len(devices) {
		t.Errorf("scan 3 matched %d remembered devices, the lab has %d", len(ch3.Devices), len(devices))
	}

	code, out, _ := runCLI(t, "history")
	if code != exitOK || strings.Count(out, home.Targets()[0].String()) != 2 {
		t.Errorf("porchlight history = %d:\n%s\nwant three scans, two of the whole lab", code, out)
	}
	fitsTerminal(t, "history", out)
}

// labScan scans targets with consent to the login test and saves the scan
// as the scan command does, returning what history saw change.
func labScan(t *testing.T, ctx context.Context, targets []netip.Prefix) (history.Changes, *report.Report) {
	t.Helper()
	for _, p := range targets {
		if !p.Addr().IsLoopback() {
			t.Fatalf("target %s is not loopback", p)
		}
	}
	// The scan's own defaults: a device or finding it missed on a loaded
	// machine would read as a change in the history, so this test also
	// guards the scan's pacing and its rule that an unfinished test is not
	// a pass.
	events, err := scan.Run(ctx, scan.Options{Targets: targets, CheckPasswords: true, Timeout: 45 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := report.Collect(ctx, events, nil)
	if r.Interrupted {
		t.Fatalf("the lab scan stopped early: %v", r.Notes)
	}
	var errOut strings.Builder
	e := &env{stdout: &strings.Builder{}, stderr: &errOut, getenv: os.Getenv}
	ch, err := recordScan(ctx, e, false, r)
	if err != nil || ch == nil {
		t.Fatalf("recordScan = %v, %v", ch, err)
	}
	t.Logf("%d devices; %s", len(r.Devices), strings.TrimSpace(errOut.String()))
	return *ch, r
}

func labCamera(t *testing.T, devices []lab.DeviceInfo) lab.DeviceInfo {
	t.Helper()
	for _, d := range devices {
		if d.Type == "camera" && d.MakerID == "hikvision" {
			return d
		}
	}
	t.Fatal("the home lab has no Hikvision camera")
	return lab.DeviceInfo{}
}

// changeFactoryPassword sets a new password on every account of d that
// still has its factory one, as the household would on the camera's page.
func changeFactoryPassword(t *testing.T, home *lab.Lab, d lab.DeviceInfo) {
	t.Helper()
	changed := 0
	for _, l := range d.Logins {
		if l.Default {
			if err := home.SetPassword(d.ID, l.User, "correct-horse-battery-7"); err != nil {
				t.Fatal(err)
			}
			changed++
		}
	}
	if changed == 0 {
		t.Fatalf("lab device %s has no factory password to change", d.ID)
	}
}

func deviceAt(t *testing.T, r *report.Report, addr netip.Addr) scan.Device {
	t.Helper()
	for _, d := range r.Devices {
		if d.IP == addr.String() {
			return d
		}
	}
	t.Fatalf("the scan did not find the device at %s", addr)
	return scan.Device{}
}

func joined(ch history.Changes) []string {
	var out []string
	for _, j := range ch.Joined {
		out = append(out, j.Device.Display())
	}
	return out
}

func findings(fs []history.FindingChange) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Device.Display()+": "+f.Finding)
	}
	return strings.Join(out, "; ")
}
