package scan

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/porchlight/porchlight/lab"
)

// scanLab runs a full scan of a loopback lab and returns the last state of
// each device, keyed by IP.
func scanLab(t *testing.T, l *lab.Lab, consent bool) map[string]Device {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ch, err := Run(ctx, Options{Targets: l.Targets(), CheckPasswords: consent})
	if err != nil {
		t.Fatal(err)
	}
	devs := map[string]Device{}
	for ev := range ch {
		switch e := ev.(type) {
		case DeviceFound:
			devs[e.Device.IP] = e.Device
		case DeviceUpdated:
			devs[e.Device.IP] = e.Device
		case Done:
			if e.Err != nil {
				t.Errorf("scan ended with %v", e.Err)
			}
		}
	}
	return devs
}

func startHome(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.StartLoopback(t.Context(), lab.Options{Scenario: "home"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func uniqueIDs(fs []Finding) []string {
	out := ids(fs)
	return slices.Compact(out)
}

// TestHomeLabPlantedFindings is the done-when test: with consent, every
// planted problem is reported with its id, and nothing else is.
func TestHomeLabPlantedFindings(t *testing.T) {
	l := startHome(t)
	start := time.Now()
	devs := scanLab(t, l, true)
	t.Logf("full scan of the home lab with consent: %v", time.Since(start))
	for _, d := range l.Devices() {
		t.Run(d.ID, func(t *testing.T) {
			got, ok := devs[d.Addr.String()]
			if !ok {
				t.Fatalf("lab device %s at %s was not found", d.ID, d.Addr)
			}
			want := slices.Clone(d.Findings)
			slices.Sort(want)
			if diff := cmp.Diff(slices.Compact(want), uniqueIDs(got.Findings), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s (%s/%s, fw %q, identified as %s/%s fw %q): finding ids (-planted +reported):\n%s\nfindings: %+v",
					d.ID, d.MakerID, d.ProductID, d.Firmware, got.MakerID, got.ProductID, got.Firmware, diff, got.Findings)
			}
		})
	}
	// No password the lab uses appears anywhere in the JSON of the scan:
	// as a whole word, or (where it equals the account name, which evidence
	// does name) joined to it as "user:pass" or "user/pass".
	b, err := json.Marshal(devs)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range l.Devices() {
		for _, lg := range d.Logins {
			if lg.Password == "" {
				continue
			}
			word := `(^|[^A-Za-z0-9])` + regexp.QuoteMeta(lg.Password) + `($|[^A-Za-z0-9])`
			if lg.Password == lg.User {
				word = regexp.QuoteMeta(lg.User) + `[:/]` + regexp.QuoteMeta(lg.Password)
			}
			if loc := regexp.MustCompile(word).FindIndex(b); loc != nil {
				t.Errorf("password of %s account %q appears in the scan JSON: ...%s...", d.ID, lg.User, b[max(0, loc[0]-80):min(len(b), loc[1]+40)])
			}
		}
	}
}

// TestHomeLabRecheckAfterPasswordChange changes the camera's password
// through its own admin page, as a user would, and re-checks it.
func TestHomeLabRecheckAfterPasswordChange(t *testing.T) {
	l := startHome(t)
	devs := scanLab(t, l, true)
	cam, err := l.Device("camera")
	if err != nil {
		t.Fatal(err)
	}
	before, ok := devs[cam.Addr.String()]
	if !ok || !slices.Contains(uniqueIDs(before.Findings), FindDefaultPassword) {
		t.Fatalf("camera before the fix: %v, want default-password", uniqueIDs(before.Findings))
	}
	var old string
	for _, lg := range cam.Logins {
		if lg.User == "admin" {
			old = lg.Password
		}
	}
	form := url.Values{"new_password": {"correct horse battery staple"}, "confirm_password": {"correct horse battery staple"}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, strings.TrimSuffix(cam.AdminURL, "/")+"/password", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("admin", old)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("changing the password through the admin page: %s", resp.Status)
	}
	start := time.Now()
	after, err := Recheck(t.Context(), before, Options{CheckPasswords: true})
	took := time.Since(start)
	t.Logf("re-check of the camera took %v", took)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(uniqueIDs(after.Findings), FindDefaultPassword) || after.PSTI.Passwords != Pass {
		t.Errorf("after the fix: %v, passwords %q; want no default-password and pass", uniqueIDs(after.Findings), after.PSTI.Passwords)
	}
	if took > 3*time.Second {
		t.Errorf("re-check took %v; it should feel instant", took)
	}
}

// TestHomeLabWithoutConsent: with no consent, no login is tried, so no
// default password is reported and the PSTI passwords line says why.
func TestHomeLabWithoutConsent(t *testing.T) {
	l := startHome(t)
	for ip, d := range scanLab(t, l, false) {
		if slices.Contains(uniqueIDs(d.Findings), FindDefaultPassword) {
			t.Errorf("%s: default-password reported without consent", ip)
		}
		if d.Checked && d.PSTI.Reasons["passwords"] != notTested {
			t.Errorf("%s: passwords reason %q, want %q", ip, d.PSTI.Reasons["passwords"], notTested)
		}
	}
}
