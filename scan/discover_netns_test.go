//go:build linux

package scan_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/porchlight/porchlight/lab"
	"github.com/porchlight/porchlight/report"
)

// labNet is the only network the namespace tests may give the scanner: the
// lab's own subnet, which exists only inside its namespaces.
var labNet = netip.MustParsePrefix("10.77.0.0/16")

// buildPorchlight builds the command once into a temporary directory.
func buildPorchlight(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "porchlight")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/porchlight/porchlight")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build porchlight: %v\n%s", err, out)
	}
	return bin
}

// startNetnsLab starts a namespace lab or skips when this machine cannot.
func startNetnsLab(t *testing.T, ctx context.Context, scenario string) *lab.Lab {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("namespace lab needs root")
	}
	l, err := lab.StartNetns(ctx, lab.Options{Scenario: scenario})
	if errors.Is(err, lab.ErrNeedRoot) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, p := range l.Targets() {
		if !labNet.Contains(p.Addr()) || p.Bits() < 16 {
			t.Fatalf("lab target %s is outside the lab network %s", p, labNet)
		}
	}
	return l
}

// TestLabHomeNetns runs `porchlight scan --json` inside the lab's scanner
// namespace: SSDP and mDNS go multicast on the lab bridge, MACs come from
// the neighbour table. Every device must be found with the right maker and
// type (the thermostat too: here its MAC names the maker) and a MAC.
func TestLabHomeNetns(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	bin := buildPorchlight(t)
	home := startNetnsLab(t, ctx, "home")
	targets := home.Targets()[0].String()
	out, err := home.ExecInScanner(ctx, bin, "scan", "--targets", targets, "--json", "--no-history", "--timeout", "60s")
	if err != nil {
		t.Fatalf("scan in the scanner namespace: %v\n%s", err, out)
	}
	var r report.Report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("decode report: %v\n%s", err, out)
	}
	byIP := map[string]int{}
	for i, d := range r.Devices {
		byIP[d.IP] = i
	}
	for _, want := range home.Devices() {
		t.Run(want.ID, func(t *testing.T) {
			i, ok := byIP[want.Addr.String()]
			if !ok {
				t.Fatalf("lab device %s at %s not found", want.ID, want.Addr)
			}
			got := r.Devices[i]
			if got.MakerID != want.MakerID || got.Type != want.Type {
				t.Errorf("maker %q type %q, want %q %q (identified by %v)", got.MakerID, got.Type, want.MakerID, want.Type, got.Reasons)
			}
			if got.MAC != want.MAC || !slices.Contains(got.Sources, "neighbour") {
				t.Errorf("MAC %q sources %v, want %s from the neighbour table", got.MAC, got.Sources, want.MAC)
			}
			for proto, source := range map[string]string{"ssdp": "ssdp", "mdns": "mdns"} {
				if want.Port(proto) != 0 && !slices.Contains(got.Sources, source) {
					t.Errorf("serves %s but sources are %v: the multicast path missed it", proto, got.Sources)
				}
			}
		})
	}
	if len(r.Devices) != len(home.Devices()) {
		t.Errorf("found %d devices, the lab has %d: %+v", len(r.Devices), len(home.Devices()), r.Devices)
	}
}
