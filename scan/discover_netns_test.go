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
	"strconv"
	"strings"
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
// namespace: SSDP, mDNS and SADP go multicast on the lab bridge, MACs come from
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
			for proto, source := range map[string]string{"ssdp": "ssdp", "mdns": "mdns", "sadp": "sadp"} {
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

// TestBenchDiscovery is the measurement behind scripts/bench-discovery.sh:
// a full scan and `nmap -sn` of the same namespace lab, each under
// /usr/bin/time -v in the scanner namespace, with wall time, peak memory
// and their ratios. It runs only when PORCHLIGHT_BENCH names a scenario.
func TestBenchDiscovery(t *testing.T) {
	scenario := os.Getenv("PORCHLIGHT_BENCH")
	if scenario == "" {
		t.Skip("set PORCHLIGHT_BENCH=large (see scripts/bench-discovery.sh)")
	}
	for _, tool := range []string{"/usr/bin/time", "nmap"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	bin := buildPorchlight(t)
	l := startNetnsLab(t, ctx, scenario)
	target := l.Targets()[0].String()
	scanRun := measure(t, ctx, l, bin, "scan", "--targets", target, "--json", "--no-history", "--timeout", "300s")
	var r report.Report
	if err := json.Unmarshal(scanRun.stdout, &r); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	nmapRun := measure(t, ctx, l, "nmap", "-sn", "-n", target)
	t.Logf("scenario %s: %d lab devices, target %s", scenario, len(l.Devices()), target)
	t.Logf("porchlight scan: %d devices, %v wall, %d KiB peak RSS", len(r.Devices), scanRun.wall, scanRun.rssKiB)
	t.Logf("nmap -sn:        %d hosts up, %v wall, %d KiB peak RSS", nmapUp(nmapRun.stdout), nmapRun.wall, nmapRun.rssKiB)
	t.Logf("ratio porchlight/nmap: wall %.2f, memory %.2f",
		scanRun.wall.Seconds()/nmapRun.wall.Seconds(), float64(scanRun.rssKiB)/float64(nmapRun.rssKiB))
}

type run struct {
	stdout []byte
	wall   time.Duration
	rssKiB int
}

// measure runs a command under /usr/bin/time -v in the scanner namespace.
func measure(t *testing.T, ctx context.Context, l *lab.Lab, name string, args ...string) run {
	t.Helper()
	cmd, err := l.ScannerCommand(ctx, "/usr/bin/time", append([]string{"-v", name}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, stderr.String())
	}
	res := run{stdout: out}
	for _, line := range strings.Split(stderr.String(), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ": ")
		switch k {
		case "Maximum resident set size (kbytes)":
			res.rssKiB, _ = strconv.Atoi(v)
		case "Elapsed (wall clock) time (h:mm:ss or m:ss)":
			res.wall = parseClock(v)
		}
	}
	return res
}

// parseClock reads GNU time's "m:ss.cc" or "h:mm:ss".
func parseClock(s string) time.Duration {
	var total float64
	for _, part := range strings.Split(s, ":") {
		f, _ := strconv.ParseFloat(part, 64)
		total = total*60 + f
	}
	return time.Duration(total * float64(time.Second))
}

// nmapUp reads "(N hosts up)" from nmap's summary.
func nmapUp(out []byte) int {
	s := string(out)
	i := strings.Index(s, " hosts up)")
	if i < 0 {
		i = strings.Index(s, " host up)")
	}
	j := strings.LastIndex(s[:max(i, 0)], "(")
	if i < 0 || j < 0 {
		return 0
	}
	n, _ := strconv.Atoi(s[j+1 : i])
	return n
}
