package scan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/porchlight/porchlight/lab"
	"github.com/porchlight/porchlight/report"
	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/ui"
	"github.com/porchlight/porchlight/vendors"
)

// hostileTimeout is the scan's own bound in the hostile test. The scan must
// end by itself within it (Done, with the scanner's own timestamps), never by
// the test giving up.
const hostileTimeout = 20 * time.Second

// hostileConcurrency is the scan's host parallelism here. The default (256)
// starts about 2,000 connects at once; under -race on two busy cores the
// scheduler then runs some of them later than their 400 ms connect timeout
// and well-behaved devices are missed for reasons that have nothing to do
// with hostile ones. The default's speed is what scripts/bench.sh measures.
const hostileConcurrency = 32

// Heap bounds for the hostile scan. The hostile devices send 8 MiB bodies
// and descriptions on several connections at once and 5,000 SSDP answers;
// every reader is capped (256 KiB at most), so nothing near one body should
// ever be live. liveCap (the heap the GC found live) is below one body, so
// holding a single body whole fails; allocCap (live plus not yet collected
// garbage, from runtime.ReadMemStats) is generous, for GC timing.
const (
	liveCap  = 8 << 20
	allocCap = 32 << 20
)

// TestHostileLab runs a full scan with consent against the lab's hostile
// scenario on loopback: it must end within its own time bound, find and
// check every well-behaved device exactly as planted, keep its heap small,
// never contact the decoy another device pointed it at, refuse the public
// LOCATION before dialling, and let no control sequence from a device
// through to any report format.
func TestHostileLab(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*hostileTimeout)
	defer cancel()
	l, err := lab.StartLoopback(ctx, lab.Options{Scenario: "hostile", MaxMXDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })

	res := hostileScan(t, ctx, l)

	t.Run("bounded", func(t *testing.T) {
		took := res.done.Finished.Sub(res.done.Started)
		t.Logf("scan took %v (bound %v), ended with %v; heap growth: live %.1f MiB, allocated %.1f MiB",
			took, hostileTimeout, res.done.Err, float64(res.live)/(1<<20), float64(res.alloc)/(1<<20))
		if res.done.Err != nil && !errors.Is(res.done.Err, context.DeadlineExceeded) {
			t.Errorf("scan ended with %v; want nil or its own deadline", res.done.Err)
		}
		if ctx.Err() != nil {
			t.Errorf("the test's own deadline passed: the scan did not stop by itself")
		}
		if took > hostileTimeout+2*time.Second {
			t.Errorf("scan took %v, past its own bound %v", took, hostileTimeout)
		}
		if res.live > liveCap {
			t.Errorf("live heap grew by %d bytes during the scan; want under %d", res.live, liveCap)
		}
		if res.alloc > allocCap {
			t.Errorf("heap in use grew by %d bytes during the scan; want under %d", res.alloc, allocCap)
		}
	})
	t.Run("well-behaved", func(t *testing.T) { checkWellBehaved(t, l, res.report) })
	t.Run("decoy", func(t *testing.T) {
		if conns, creds := l.DecoyHits(); conns != 0 || creds != 0 {
			t.Errorf("the decoy at %s got %d connections, %d with credentials; want none", l.DecoyAddr(), conns, creds)
		}
		for _, id := range []string{"redirect-router", "redirect-dvr"} {
			d := deviceAt(t, l, res.report, id)
			if d != nil && slices.ContainsFunc(d.Findings, func(f scan.Finding) bool { return f.ID == scan.FindDefaultPassword }) {
				t.Errorf("%s: a redirect was counted as a login: %+v", id, d.Findings)
			}
		}
	})
	t.Run("public-location", func(t *testing.T) {
		info, err := l.Device("public-location")
		if err != nil {
			t.Fatal(err)
		}
		// Fetch refuses a LOCATION on any other host before it builds a
		// client, and the scanner says so in this note; it is the only way
		// the note can appear, so the refusal came before any dial.
		if !slices.ContainsFunc(res.notes[info.Addr.String()], func(n string) bool { return strings.Contains(n, "203.0.113.7") }) {
			t.Errorf("no refusal note for the public LOCATION; notes: %q", res.notes[info.Addr.String()])
		}
	})
	t.Run("reports", func(t *testing.T) { checkReports(t, res.report) })
	t.Run("screens", func(t *testing.T) { checkPlainScreens(t, ctx, l) })
}

// hostileResult is what one scan of the hostile lab gave.
type hostileResult struct {
	report *report.Report
	done   scan.Done
	notes  map[string][]string // by device IP
	live   uint64              // peak growth of the heap the GC marked live
	alloc  uint64              // peak growth of HeapAlloc
}

// hostileScan runs the scan while a sampler records the heap's peaks.
func hostileScan(t *testing.T, ctx context.Context, l *lab.Lab) hostileResult {
	t.Helper()
	runtime.GC()
	base := readHeap()
	stop := make(chan struct{})
	var peak heap
	var wg sync.WaitGroup
	wg.Go(func() { peak = heapPeak(stop) })

	ch, err := scan.Run(ctx, scan.Options{Targets: l.Targets(), CheckPasswords: true, Timeout: hostileTimeout, Concurrency: hostileConcurrency})
	if err != nil {
		t.Fatal(err)
	}
	res := hostileResult{notes: map[string][]string{}}
	keyIP := map[string]string{}
	res.report = report.Collect(ctx, ch, func(ev scan.Event) {
		switch e := ev.(type) {
		case scan.DeviceFound:
			keyIP[e.Device.Key] = e.Device.IP
		case scan.Note:
			res.notes[keyIP[e.Key]] = append(res.notes[keyIP[e.Key]], e.Text)
		case scan.Done:
			res.done = e
		}
	})
	close(stop)
	wg.Wait()
	if res.done.Finished.IsZero() {
		t.Fatal("the event stream closed without Done")
	}
	res.live = peak.live - min(peak.live, base.live)
	res.alloc = peak.alloc - min(peak.alloc, base.alloc)
	return res
}

// heap is one reading of the heap's size.
type heap struct{ live, alloc uint64 }

// readHeap reads the live heap as of the last GC mark (runtime/metrics) and
// HeapAlloc (runtime.ReadMemStats).
func readHeap() heap {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return heap{live: s[0].Value.Uint64(), alloc: ms.HeapAlloc}
}

// heapPeak samples the heap until stop closes and returns the peaks.
func heapPeak(stop <-chan struct{}) heap {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var peak heap
	for {
		h := readHeap()
		peak.live, peak.alloc = max(peak.live, h.live), max(peak.alloc, h.alloc)
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

// checkWellBehaved compares every device without misbehaviours with what the
// lab planted: found at its address, the right maker and type, and exactly
// the planted finding ids.
func checkWellBehaved(t *testing.T, l *lab.Lab, r *report.Report) {
	n := 0
	for _, want := range l.Devices() {
		if l.Misbehaving(want.ID) {
			continue
		}
		n++
		t.Run(want.ID, func(t *testing.T) {
			got := deviceAt(t, l, r, want.ID)
			if got == nil {
				t.Fatalf("%s (%s %s) at %s was not found", want.ID, want.Maker, want.Model, want.Addr)
			}
			if !got.Checked {
				t.Errorf("%s: not checked", want.ID)
			}
			if got.MakerID != want.MakerID || got.Type != want.Type {
				t.Errorf("%s: maker %q type %q, want %q %q", want.ID, got.MakerID, got.Type, want.MakerID, want.Type)
			}
			var gotIDs []string
			for _, f := range got.Findings {
				gotIDs = append(gotIDs, f.ID)
			}
			slices.Sort(gotIDs)
			wantIDs := slices.Sorted(slices.Values(want.Findings))
			if diff := cmp.Diff(slices.Compact(wantIDs), slices.Compact(gotIDs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: finding ids (-planted +reported):\n%s", want.ID, diff)
			}
		})
	}
	if n < 5 {
		t.Errorf("the scenario has %d well-behaved devices; the test needs at least 5 to mean much", n)
	}
}

// deviceAt finds the reported device at the address of lab device id.
func deviceAt(t *testing.T, l *lab.Lab, r *report.Report, id string) *scan.Device {
	t.Helper()
	info, err := l.Device(id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Devices {
		if r.Devices[i].IP == info.Addr.String() {
			return &r.Devices[i]
		}
	}
	return nil
}

// checkReports renders every report format and looks for any control
// character or bidi override in what a reader would see.
func checkReports(t *testing.T, r *report.Report) {
	writers := map[string]func(io.Writer) error{
		"json": r.WriteJSON, "markdown": r.WriteMarkdown, "html": r.WriteHTML, "text": r.WriteText,
	}
	for name, write := range writers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			text := b.String()
			if name == "json" {
				text = jsonStrings(t, b.Bytes())
			}
			if bad := unsafeRune(text); bad != "" {
				t.Errorf("%s report: %s", name, bad)
			}
		})
	}
}

// jsonStrings decodes a JSON document and joins every string in it, so the
// check sees what a reader of the report would (an escaped \u001b is an ESC).
func jsonStrings(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("report JSON does not decode: %v", err)
	}
	var sb strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			sb.WriteString(v)
			sb.WriteByte('\n')
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				walk(k)
				walk(e)
			}
		}
	}
	walk(v)
	return sb.String()
}

// unsafeRune describes the first character in s that must never reach a
// terminal or a report from a device: C0 controls other than newline and tab
// (ESC among them), DEL, C1 controls, bidi embeddings, overrides and
// isolates, and invalid UTF-8. It returns "" when there is none.
func unsafeRune(s string) string {
	for i, r := range s {
		bad := r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") ||
			r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f ||
			r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
		if bad {
			return fmt.Sprintf("%U at byte %d: ...%q...", r, i, s[max(0, i-60):min(len(s), i+20)])
		}
	}
	return ""
}

// checkPlainScreens scans the lab again through the interactive program's
// public entry point in plain mode (the linear screen-reader mode, which
// draws the same overview, device pages and summary as the full-screen one)
// and opens every device page.
func checkPlainScreens(t *testing.T, ctx context.Context, l *lab.Lab) {
	cat, err := vendors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	script.WriteString("yes\n")
	for i := range len(l.Devices()) {
		fmt.Fprintf(&script, "%d\nb\n", i+1)
	}
	script.WriteString("s\n" + filepath.Join(t.TempDir(), "hostile.md") + "\n")
	var out bytes.Buffer
	err = ui.Run(ctx, ui.Config{
		Scan:    scan.Options{Targets: l.Targets(), Timeout: hostileTimeout, Concurrency: hostileConcurrency, Catalog: cat},
		Network: l.Targets()[0].String(), Plain: true, NoColor: true, Catalog: cat,
		In: strings.NewReader(script.String()), Out: &out,
	})
	if err != nil {
		t.Fatalf("plain run: %v", err)
	}
	screens := out.String()
	for _, want := range []string{"Escape camera", "Archer"} {
		if !strings.Contains(screens, want) {
			t.Errorf("the screens never show %q: the check would be empty", want)
		}
	}
	if bad := unsafeRune(screens); bad != "" {
		t.Errorf("plain screens: %s", bad)
	}
}

// TestDiscoverOnly: Options.DiscoverOnly (what the benchmark compares with
// nmap -sn) still finds every device of the home lab, and checks none.
func TestDiscoverOnly(t *testing.T) {
	l, err := lab.StartLoopback(t.Context(), lab.Options{Scenario: "home", MaxMXDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ch, err := scan.Run(t.Context(), scan.Options{Targets: l.Targets(), DiscoverOnly: true, Concurrency: hostileConcurrency, Timeout: hostileTimeout})
	if err != nil {
		t.Fatal(err)
	}
	r := report.Collect(t.Context(), ch, nil)
	found := map[string]bool{}
	for _, d := range r.Devices {
		found[d.IP] = true
		if d.Checked || len(d.Findings) > 0 || d.Location != "" {
			t.Errorf("%s: checked %v, %d findings, description %q; discovery only should do none of these", d.IP, d.Checked, len(d.Findings), d.Location)
		}
	}
	for _, want := range l.Devices() {
		if !found[want.Addr.String()] {
			t.Errorf("%s at %s not found", want.ID, want.Addr)
		}
	}
}
