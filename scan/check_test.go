package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/porchlight/porchlight/vendors"
)

// checkDevice is runChecks for tests that only look at the device.
func checkDevice(ctx context.Context, dev Device, env checkEnv) Device {
	dev, _ = runChecks(ctx, dev, env)
	return dev
}

// testCatalog is the real generic data plus two fictional makers from
// testdata/checks: Acme (published policy, dated products) and Quiet
// (publishes nothing).
func testCatalog(t *testing.T) *vendors.Catalog {
	t.Helper()
	fsys := fstest.MapFS{}
	for src, dst := range map[string]string{
		"../vendors/data/generic.json": "data/generic.json",
		"testdata/checks/acme.json":    "data/acme.json",
		"testdata/checks/quiet.json":   "data/quiet.json",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		fsys[dst] = &fstest.MapFile{Data: b}
	}
	cat, err := vendors.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func testEnv(t *testing.T, consent bool) (checkEnv, *[]Finding) {
	var mu sync.Mutex
	found := new([]Finding)
	env := checkEnv{
		opts:    Options{CheckPasswords: consent, LoginSpacing: time.Millisecond},
		catalog: testCatalog(t), now: testNow,
		found: func(f Finding) { mu.Lock(); *found = append(*found, f); mu.Unlock() },
	}
	return env, found
}

func ids(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	slices.Sort(out)
	return out
}

func TestCheckDataFindings(t *testing.T) {
	tests := []struct {
		name               string
		dev                Device
		want               []string
		updates, reporting string
		wantDetail         map[string]string
	}{
		{name: "current camera", dev: Device{MakerID: "acme", ProductID: "cam", Type: "camera", Firmware: "V2.0.0 build 240101"},
			updates: Pass, reporting: Pass},
		{name: "old camera firmware with a known exploited flaw",
			dev:  Device{MakerID: "acme", ProductID: "cam", Type: "camera", Firmware: "V1.2.0 build 190101"},
			want: []string{FindFirmwareOutdated, FindKnownExploited}, updates: Pass, reporting: Pass},
		{name: "firmware in another scheme says nothing", dev: Device{MakerID: "acme", ProductID: "cam", Type: "camera", Firmware: "build-x"},
			updates: Pass, reporting: Pass},
		{name: "support ended", dev: Device{MakerID: "acme", ProductID: "old-nas", Type: "nas"},
			want: []string{FindSupportEnded}, updates: Fail, reporting: Pass},
		{name: "support ending within a year", dev: Device{MakerID: "acme", ProductID: "plug", Type: "plug"},
			want: []string{FindSupportEndingSoon}, updates: Pass, reporting: Pass},
		{name: "policy without a date for the model", dev: Device{MakerID: "acme", ProductID: "router", Type: "router"},
			want: []string{FindSupportUnknown}, updates: Unknown, reporting: Pass},
		{name: "maker publishes nothing", dev: Device{MakerID: "quiet", ProductID: "hub", Type: "hub"},
			want: []string{FindNoDisclosure, FindSupportUnknown}, updates: Fail, reporting: Fail},
		{name: "unknown computer: no noise", dev: Device{Type: "computer"}, updates: Unknown, reporting: Unknown},
		{name: "unknown camera: support unknown", dev: Device{Type: "camera"},
			want: []string{FindSupportUnknown}, updates: Unknown, reporting: Unknown},
		{name: "telnet open", dev: Device{Type: "computer", Services: []Service{{Port: 2323, Protocol: "telnet"}}},
			want: []string{FindTelnetOpen}, updates: Unknown, reporting: Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, found := testEnv(t, false)
			tt.dev.IP = "192.0.2.1" // not private: nothing may be contacted
			got := checkDevice(t.Context(), tt.dev, env)
			if diff := cmp.Diff(tt.want, ids(got.Findings)); diff != "" {
				t.Errorf("finding ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(got.Findings, *found); diff != "" {
				t.Errorf("found callback differs from Findings:\n%s", diff)
			}
			if got.PSTI.Updates != tt.updates || got.PSTI.Reporting != tt.reporting || !got.Checked {
				t.Errorf("PSTI updates %q, reporting %q, checked %v; want %q, %q, true", got.PSTI.Updates, got.PSTI.Reporting, got.Checked, tt.updates, tt.reporting)
			}
			for _, line := range []string{"passwords", "reporting", "updates"} {
				if got.PSTI.Reasons[line] == "" || PSTIBasis(line) == "" {
					t.Errorf("PSTI %s line has no reason or basis", line)
				}
			}
			for _, f := range got.Findings {
				if f.Severity == "" || f.Title == "" || f.Evidence == "" {
					t.Errorf("finding %s lacks severity, title or evidence: %+v", f.ID, f)
				}
			}
		})
	}
}

func TestCheckFindingDetails(t *testing.T) {
	env, _ := testEnv(t, false)
	got := checkDevice(t.Context(), Device{IP: "192.0.2.1", MakerID: "acme", ProductID: "cam", Type: "camera", Firmware: "V1.2.0 build 190101"}, env)
	want := map[string]map[string]string{
		FindFirmwareOutdated: {"latest": "V2.0.0 build 240101", "level": "major", "behind": "1"},
		FindKnownExploited:   {"cve": "CVE-2020-0001", "fixed_in": "1.5.0"},
	}
	for _, f := range got.Findings {
		for k, v := range want[f.ID] {
			if f.Detail[k] != v {
				t.Errorf("%s detail %q = %q, want %q", f.ID, k, f.Detail[k], v)
			}
		}
	}
	if got.Support.Until != "2030-01-01" || got.Support.Status != "supported" || got.Disclosure.URL == "" {
		t.Errorf("support %+v, disclosure %+v", got.Support, got.Disclosure)
	}
}

// acmeCam is a real HTTP server with the Acme camera's Basic login; it
// counts requests that carry credentials.
type acmeCam struct {
	mu       sync.Mutex
	password string
	withAuth atomic.Int32
	srv      *httptest.Server
}

func newAcmeCam(t *testing.T, password string) *acmeCam {
	c := &acmeCam{password: password}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if r.Header.Get("Authorization") != "" {
			c.withAuth.Add(1)
		}
		c.mu.Lock()
		good := ok && u == "admin" && p == c.password
		c.mu.Unlock()
		if good {
			fmt.Fprint(w, "<title>AcmeCam</title> Status")
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="AcmeCam"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *acmeCam) device() Device {
	port := c.srv.Listener.Addr().(*net.TCPAddr).Port
	return Device{Key: "cam", IP: "127.0.0.1", MakerID: "acme", ProductID: "cam", Type: "camera", Firmware: "V2.0.0 build 240101",
		Services: []Service{{Port: port, Protocol: "http", Auth: "basic", Realm: "AcmeCam"}}}
}

func TestCheckDefaultPassword(t *testing.T) {
	tests := []struct {
		name          string
		consent       bool
		password      string
		wantIDs       []string
		wantPasswords string
		wantReason    string
		wantAttempts  int32
	}{
		{"no consent sends nothing", false, "acme-Def4ult", nil, Unknown, notTested, 0},
		{"default accepted", true, "acme-Def4ult", []string{FindDefaultPassword}, Fail, `account "admin" still has the factory default password`, 1},
		{"changed password refused", true, "a long new passphrase", nil, Pass, "the maker's documented default passwords were refused", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cam := newAcmeCam(t, tt.password)
			env, _ := testEnv(t, tt.consent)
			got := checkDevice(t.Context(), cam.device(), env)
			if diff := cmp.Diff(tt.wantIDs, ids(got.Findings)); diff != "" {
				t.Errorf("finding ids (-want +got):\n%s", diff)
			}
			if got.PSTI.Passwords != tt.wantPasswords || got.PSTI.Reasons["passwords"] != tt.wantReason {
				t.Errorf("PSTI passwords = %q (%q), want %q (%q)", got.PSTI.Passwords, got.PSTI.Reasons["passwords"], tt.wantPasswords, tt.wantReason)
			}
			if n := cam.withAuth.Load(); n != tt.wantAttempts {
				t.Errorf("camera saw %d requests with credentials, want %d", n, tt.wantAttempts)
			}
			b, _ := json.Marshal(got)
			if strings.Contains(string(b), "acme-Def4ult") {
				t.Errorf("the password appears in the device JSON: %s", b)
			}
		})
	}
}

// TestRecheckAfterFix checks the re-check's limits: a login that worked is
// tried once more, and a service proven changed is not tried again.
func TestRecheckAfterFix(t *testing.T) {
	cam := newAcmeCam(t, "acme-Def4ult")
	env, _ := testEnv(t, true)
	first := checkDevice(t.Context(), cam.device(), env)
	if !slices.Contains(ids(first.Findings), FindDefaultPassword) {
		t.Fatalf("first check found %v, want default-password", ids(first.Findings))
	}
	cam.mu.Lock()
	cam.password = "a long new passphrase"
	cam.mu.Unlock()
	before := cam.withAuth.Load()
	env.previous = &first
	second := checkDevice(t.Context(), first, env)
	if slices.Contains(ids(second.Findings), FindDefaultPassword) || second.PSTI.Passwords != Pass {
		t.Errorf("after the fix: findings %v, passwords %q; want no default-password and pass", ids(second.Findings), second.PSTI.Passwords)
	}
	if n := cam.withAuth.Load() - before; n != 1 {
		t.Errorf("re-check sent %d logins, want 1 (the account that worked before)", n)
	}
	env.previous = &second
	before = cam.withAuth.Load()
	third := checkDevice(t.Context(), second, env)
	if n := cam.withAuth.Load() - before; n != 0 || third.PSTI.Passwords != Pass {
		t.Errorf("re-check of a proven-changed service sent %d logins (passwords %q), want 0 and pass", n, third.PSTI.Passwords)
	}
}

func TestRecheckRefusesPublicAddress(t *testing.T) {
	for _, ip := range []string{"8.8.8.8", "2001:4860:4860::8888", "not an address"} {
		_, err := Recheck(t.Context(), Device{IP: ip}, Options{CheckPasswords: true})
		var te *TargetError
		if !errors.As(err, &te) || (!errors.Is(err, ErrPublicTarget) && !errors.Is(err, ErrBadTarget)) {
			t.Errorf("Recheck(%s) = %v, want a TargetError", ip, err)
		}
	}
}

func TestCheckOpenAdminPage(t *testing.T) {
	var withAuth atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			withAuth.Add(1)
		}
		if r.URL.Path == "/settings" {
			fmt.Fprint(w, `{"name":"nas","auth": false}`)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, consent := range []bool{false, true} {
		env, _ := testEnv(t, consent)
		got := checkDevice(t.Context(), Device{IP: "127.0.0.1", MakerID: "acme", ProductID: "old-nas", Type: "nas",
			Services: []Service{{Port: port, Protocol: "http"}}}, env)
		want := []string{FindAnonymousAccess, FindSupportEnded}
		if diff := cmp.Diff(want, ids(got.Findings)); diff != "" {
			t.Errorf("consent %v: finding ids (-want +got):\n%s", consent, diff)
		}
	}
	if withAuth.Load() != 0 {
		t.Errorf("%d requests carried credentials to an open admin page", withAuth.Load())
	}
}

// igd is a UPnP Internet Gateway Device with two port mappings.
func igd(t *testing.T, mappings [][2]string) *httptest.Server {
	t.Helper()
	const desc = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<URLBase>http://203.0.113.9:80/</URLBase>
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Router</friendlyName>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service>
<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>`
	idx := regexp.MustCompile(`<NewPortMappingIndex>(\d+)</NewPortMappingIndex>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rootDesc.xml" {
			fmt.Fprint(w, desc)
			return
		}
		body, _ := io.ReadAll(r.Body)
		m := idx.FindSubmatch(body)
		i := -1
		if m != nil {
			fmt.Sscan(string(m[1]), &i)
		}
		w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
		if i < 0 || i >= len(mappings) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>713</errorCode><errorDescription>SpecifiedArrayIndexInvalid</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`)
			return
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetGenericPortMappingEntryResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">
<NewRemoteHost></NewRemoteHost><NewExternalPort>%s</NewExternalPort><NewProtocol>TCP</NewProtocol><NewInternalPort>554</NewInternalPort>
<NewInternalClient>%s</NewInternalClient><NewEnabled>1</NewEnabled><NewPortMappingDescription>cam&#x202e;&#10;rtsp</NewPortMappingDescription><NewLeaseDuration>0</NewLeaseDuration>
</u:GetGenericPortMappingEntryResponse></s:Body></s:Envelope>`, mappings[i][0], mappings[i][1])
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCheckUPnPMappings(t *testing.T) {
	srv := igd(t, [][2]string{{"8554", "192.168.1.20"}, {"2121", "192.168.1.30"}})
	env, _ := testEnv(t, false)
	dev := Device{IP: "127.0.0.1", MakerID: "acme", ProductID: "router", Type: "router", Location: srv.URL + "/rootDesc.xml"}
	got := checkDevice(t.Context(), dev, env)
	var mappings []string
	for _, f := range got.Findings {
		if f.ID == FindUPnPPortMapping {
			mappings = append(mappings, f.Detail["mapping"])
			if strings.ContainsAny(f.Evidence, "\u202e\n") || f.Detail["description"] != "cam rtsp" {
				t.Errorf("device text not cleaned: evidence %q, description %q", f.Evidence, f.Detail["description"])
			}
		}
	}
	want := []string{"TCP 8554 -> 192.168.1.20:554", "TCP 2121 -> 192.168.1.30:554"}
	if diff := cmp.Diff(want, mappings); diff != "" {
		t.Errorf("mappings (-want +got):\n%s", diff)
	}
}

func TestCheckUPnPOnlyFromTheDevice(t *testing.T) {
	var hits atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	other := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })}}
	other.Start()
	defer other.Close()
	env, _ := testEnv(t, true)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	checkDevice(ctx, Device{IP: "127.0.0.1", Type: "router", Location: other.URL + "/rootDesc.xml"}, env)
	if hits.Load() != 0 {
		t.Errorf("a description on another host was fetched %d times", hits.Load())
	}
}
