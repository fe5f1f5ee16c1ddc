package history

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/porchlight/porchlight/scan"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "porchlight", "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func save(t *testing.T, s *Store, rec ScanRecord) Changes {
	t.Helper()
	ch, err := s.SaveScan(t.Context(), rec)
	if err != nil {
		t.Fatalf("SaveScan(%s) = %v", rec.Finished, err)
	}
	return ch
}

// changeList is a Changes list as comparable strings: "label finding".
func changeList(cs []FindingChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Device.Display()+" "+c.Finding)
	}
	return out
}

func joinedList(cs []DeviceChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Device.Display())
	}
	return out
}

// TestThreeScans follows a household over three scans: a device added, a
// problem fixed, a device renamed, a problem that came back, and a phone
// whose randomised MAC changes every scan.
func TestThreeScans(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()

	first := save(t, s, record(1, router(), camera(), phone("da:a1:19:00:00:01")))
	if !first.First {
		t.Errorf("first scan: First = false, want true")
	}
	if got, want := joinedList(first.Joined), []string{"TP-Link Archer C7", "Hikvision DS-2CD2042WD-I", "Pixel-7"}; !cmp.Equal(got, want) {
		t.Errorf("first scan joined = %q, want %q", got, want)
	}
	if len(first.Opened)+len(first.Fixed)+len(first.CameBack) != 0 {
		t.Errorf("first scan reported changes to findings: %+v", first)
	}

	if _, err := s.Rename(ctx, camera(), "  kitchen\tcamera\x1b[31m "); err != nil {
		t.Fatalf("Rename = %v", err)
	}

	second := save(t, s, record(2, router(), cameraFixed(), plug(), phone("ee:01:02:03:04:05")))
	if second.First {
		t.Errorf("second scan: First = true")
	}
	if got, want := joinedList(second.Joined), []string{"Shelly Plug S"}; !cmp.Equal(got, want) {
		t.Errorf("second scan joined = %q, want %q (the phone must be recognised by its mDNS name)", got, want)
	}
	if got, want := changeList(second.Fixed), []string{"kitchen camera default-password"}; !cmp.Equal(got, want) {
		t.Errorf("second scan fixed = %q, want %q", got, want)
	}
	if !second.Fixed[0].Opened.Equal(day(1)) || !second.Fixed[0].FixedAt.Equal(day(2)) {
		t.Errorf("fixed dates = %v .. %v, want %v .. %v", second.Fixed[0].Opened, second.Fixed[0].FixedAt, day(1), day(2))
	}

	third := save(t, s, record(3, router(), camera(), plug(), phone("3a:99:88:77:66:55")))
	if len(third.Joined) != 0 {
		t.Errorf("third scan joined = %q, want none", joinedList(third.Joined))
	}
	if got, want := changeList(third.CameBack), []string{"kitchen camera default-password"}; !cmp.Equal(got, want) {
		t.Errorf("third scan came back = %q, want %q", got, want)
	}
	if !third.CameBack[0].FixedAt.Equal(day(2)) {
		t.Errorf("came back: FixedAt = %v, want the earlier fix %v", third.CameBack[0].FixedAt, day(2))
	}

	if ids := distinct(first, second, third, "Pixel-7"); ids != 1 {
		t.Errorf("the phone became %d devices, want 1", ids)
	}
	checkScans(t, s)
	checkTimeline(t, s, third.Devices["44:19:b6:aa:bb:cc"].ID)
}

// distinct counts the history devices a label was given across scans.
func distinct(chs ...any) int {
	label := chs[len(chs)-1].(string)
	ids := map[DeviceID]bool{}
	for _, c := range chs[:len(chs)-1] {
		for _, k := range c.(Changes).Devices {
			if k.Label == label {
				ids[k.ID] = true
			}
		}
	}
	return len(ids)
}

func checkScans(t *testing.T, s *Store) {
	t.Helper()
	scans, err := s.Scans(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Devices, Joined, Open, Fixed, CameBack int }
	var got []row
	for _, sc := range scans {
		got = append(got, row{sc.Devices, sc.Joined, sc.Open, sc.Fixed, sc.CameBack})
		if !slices.Equal(sc.Targets, []string{"192.168.1.0/24"}) || sc.ToolVersion != "0.1.0-test" {
			t.Errorf("scan %d: targets %q, version %q", sc.ID, sc.Targets, sc.ToolVersion)
		}
	}
	want := []row{
		{Devices: 4, Joined: 0, Open: 7, Fixed: 0, CameBack: 1}, // newest first
		{Devices: 4, Joined: 1, Open: 6, Fixed: 1, CameBack: 0},
		{Devices: 3, Joined: 3, Open: 6, Fixed: 0, CameBack: 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scans() mismatch (-want +got):\n%s", diff)
	}
	if !scans[0].Finished.Equal(day(3)) {
		t.Errorf("newest scan finished %v, want %v", scans[0].Finished, day(3))
	}
}

func checkTimeline(t *testing.T, s *Store, id DeviceID) {
	t.Helper()
	tl, err := s.Timeline(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range tl {
		if r.Finding == scan.FindDefaultPassword {
			got = append(got, r.Opened.Format("Jan 2")+" to "+r.Fixed.Format("Jan 2"))
		}
	}
	want := []string{"Mar 1 to Mar 2", "Mar 3 to Jan 1"} // the second is still open (zero time)
	if !cmp.Equal(got, want) {
		t.Errorf("default-password timeline = %q, want %q", got, want)
	}
}

// TestNamesAndLookup: a name holds across scans and is found for a device
// whose randomised MAC has changed.
func TestNamesAndLookup(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	save(t, s, record(1, router(), phone("da:a1:19:00:00:01")))
	if _, err := s.Rename(ctx, phone("da:a1:19:00:00:01"), "Sam's phone"); err != nil {
		t.Fatal(err)
	}
	// Named before any scan has seen it: joins with its name on the next scan.
	if _, err := s.Rename(ctx, plug(), "kettle plug"); err != nil {
		t.Fatal(err)
	}
	names, err := s.Names(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range names {
		got = append(got, k.Name)
	}
	if want := []string{"kettle plug", "Sam's phone"}; !cmp.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	later := phone("12:34:56:78:9a:bc")
	found, err := s.Lookup(ctx, []scan.Device{later, camera()})
	if err != nil {
		t.Fatal(err)
	}
	if found[later.Key].Name != "Sam's phone" {
		t.Errorf("Lookup(phone with new MAC) = %+v, want Sam's phone", found[later.Key])
	}
	if _, ok := found[camera().Key]; ok {
		t.Errorf("Lookup found the camera, which no scan has seen")
	}
	ch := save(t, s, record(2, plug()))
	if got := joinedList(ch.Joined); !cmp.Equal(got, []string{"kettle plug"}) {
		t.Errorf("joined = %q, want the plug under its name", got)
	}
}

// TestDefaultPasswordNeedsConsent: a scan that did not test logins cannot
// say the password was changed.
func TestDefaultPasswordNeedsConsent(t *testing.T) {
	s, _ := openTemp(t)
	save(t, s, record(1, camera()))
	noConsent := camera()
	noConsent.PSTI.Passwords = scan.Unknown
	noConsent.Findings = noConsent.Findings[1:]
	unchecked := camera()
	unchecked.Checked = false
	unchecked.Findings = nil
	for _, d := range []scan.Device{noConsent, unchecked} {
		if ch := save(t, s, record(2, d)); len(ch.Fixed) != 0 {
			t.Errorf("Fixed = %q, want nothing fixed", changeList(ch.Fixed))
		}
	}
}

func TestCompareSavesNothing(t *testing.T) {
	s, _ := openTemp(t)
	save(t, s, record(1, camera()))
	ch, err := s.Compare(t.Context(), []scan.Device{cameraFixed(), plug()})
	if err != nil {
		t.Fatal(err)
	}
	if got := changeList(ch.Fixed); !cmp.Equal(got, []string{"Hikvision DS-2CD2042WD-I default-password"}) {
		t.Errorf("Compare fixed = %q", got)
	}
	if got := joinedList(ch.Joined); !cmp.Equal(got, []string{"Shelly Plug S"}) {
		t.Errorf("Compare joined = %q", got)
	}
	scans, err := s.Scans(t.Context())
	if err != nil || len(scans) != 1 {
		t.Errorf("after Compare: %d scans (err %v), want 1", len(scans), err)
	}
	again := save(t, s, record(2, cameraFixed(), plug()))
	if len(again.Fixed) != 1 || len(again.Joined) != 1 {
		t.Errorf("save after Compare: fixed %d joined %d, want 1 and 1", len(again.Fixed), len(again.Joined))
	}
}

// TestIdentifiers: which evidence recognises a device, and in what order.
func TestIdentifiers(t *testing.T) {
	tests := []struct {
		name string
		d    scan.Device
		want []identifier
	}{
		{"real MAC first", scan.Device{MAC: "44:19:B6:AA:BB:CC", IP: "10.0.0.2", Type: "camera"},
			[]identifier{{kindMAC, "44:19:b6:aa:bb:cc"}, {kindHost, "10.0.0.2"}}},
		{"random MAC after names", scan.Device{MAC: "da:a1:19:00:00:01", MDNSName: "Pixel-7.local"},
			[]identifier{{kindMDNS, "pixel-7.local"}, {kindRMAC, "da:a1:19:00:00:01"}}},
		{"locally administered bit without the flag", scan.Device{MAC: "02:00:00:00:00:01"},
			[]identifier{{kindRMAC, "02:00:00:00:00:01"}}},
		{"UDN without prefix", scan.Device{UDN: "uuid:RINCON_48A6B8000001400"},
			[]identifier{{kindUDN, "rincon_48a6b8000001400"}}},
		{"placeholder serial ignored", scan.Device{Serial: "000000"}, nil},
		{"real serial", scan.Device{Serial: "SN12345"}, []identifier{{kindSerial, "sn12345"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, identifiers(tt.d), cmp.AllowUnexported(identifier{})); diff != "" {
				t.Errorf("identifiers(%+v) mismatch (-want +got):\n%s", tt.d, diff)
			}
		})
	}
}

// TestConcurrentWriters: two processes' worth of stores on one file; the
// busy timeout lets every scan land.
func TestConcurrentWriters(t *testing.T) {
	_, path := openTemp(t)
	const each = 8
	errs := make(chan error, 2)
	for w := range 2 {
		go func() {
			s, err := Open(path)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			for i := range each {
				if _, err := s.SaveScan(context.Background(), record(1+w*each+i, router(), camera())); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("writer: %v", err)
		}
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scans, err := s.Scans(t.Context())
	if err != nil || len(scans) != 2*each {
		t.Fatalf("Scans() = %d scans, %v; want %d", len(scans), err, 2*each)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	t.Setenv("HOME", "/tmp/home-test")
	got, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := os.UserConfigDir()
	if want := filepath.Join(dir, "porchlight", "history.db"); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
}

// TestWeakMatchesYieldToMACs: a new device on an old device's address, or
// with its mDNS name, is a new device when their MACs differ; a device seen
// without a MAC is still recognised by its address.
func TestWeakMatchesYieldToMACs(t *testing.T) {
	s, _ := openTemp(t)
	save(t, s, record(1, camera(), plug()))
	newCam := camera()
	newCam.MAC, newCam.Key, newCam.Serial = "44:19:b6:00:00:99", "44:19:b6:00:00:99", ""
	samePlugName := plug()
	samePlugName.MAC, samePlugName.Key, samePlugName.IP = "a4:cf:12:00:00:02", "a4:cf:12:00:00:02", "192.168.1.99"
	ch := save(t, s, record(2, newCam, samePlugName))
	if got := joinedList(ch.Joined); len(got) != 2 {
		t.Errorf("joined = %q, want both replacements as new devices", got)
	}
	noMAC := router()
	noMAC.MAC, noMAC.Key, noMAC.UDN, noMAC.Vendor, noMAC.Model = "", noMAC.IP, "", "", ""
	save(t, s, record(3, router()))
	ch = save(t, s, record(4, noMAC))
	if len(ch.Joined) != 0 {
		t.Errorf("a router seen without MAC or UDN (identification lost) joined as new: %q", joinedList(ch.Joined))
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		name string
		d    scan.Device
		want string
	}{
		{"maker and model", scan.Device{Vendor: "Hikvision", Model: "DS-2CD2042WD-I"}, "Hikvision DS-2CD2042WD-I"},
		{"model repeats the maker", scan.Device{Vendor: "Google", Model: "Google TV Streamer"}, "Google TV Streamer"},
		{"own name", scan.Device{Name: "Living Room", IP: "10.0.0.2"}, "Living Room"},
		{"host name", scan.Device{Hostname: "Pixel-7", IP: "10.0.0.3"}, "Pixel-7"},
		{"address only", scan.Device{IP: "10.0.0.4"}, "10.0.0.4"},
		{"escapes stripped", scan.Device{Vendor: "Evil\x1b[2J", Model: "X"}, "Evil X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := label(tt.d); got != tt.want {
				t.Errorf("label(%+v) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}
