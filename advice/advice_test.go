package advice

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// scanDay is the date the home fixture was scanned.
var scanDay = time.Date(2026, 11, 20, 19, 0, 0, 0, time.UTC)

// homeDevices loads the home scenario as a scan reports it (testdata/home.json).
func homeDevices(t testing.TB) []scan.Device {
	t.Helper()
	data, err := os.ReadFile("testdata/home.json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Devices []scan.Device }
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("testdata/home.json: %v", err)
	}
	if len(r.Devices) != 11 {
		t.Fatalf("testdata/home.json has %d devices, want the 11 of the home scenario", len(r.Devices))
	}
	return r.Devices
}

func byIP(t *testing.T, devs []scan.Device, ip string) scan.Device {
	t.Helper()
	for _, d := range devs {
		if d.IP == ip {
			return d
		}
	}
	t.Fatalf("no device %s in fixture", ip)
	return scan.Device{}
}

// catalogs are the catalogues advice is checked against: none (built-in
// wording) and the embedded one (the makers' own guides, when loaded).
func catalogs(t *testing.T) map[string]*vendors.Catalog {
	cats := map[string]*vendors.Catalog{"none": nil}
	if c, err := vendors.Embedded(); err == nil {
		cats["embedded"] = c
	} else {
		t.Logf("embedded catalogue did not load (%v); checking built-in wording only", err)
	}
	return cats
}

// allFindingIDs are every finding id the scanner can report.
var allFindingIDs = []string{
	scan.FindDefaultPassword, scan.FindFirmwareOutdated, scan.FindSupportEnded, scan.FindSupportEndingSoon,
	scan.FindSupportUnknown, scan.FindNoDisclosure, scan.FindTelnetOpen, scan.FindAnonymousAccess,
	scan.FindUPnPPortMapping, scan.FindKnownExploited,
}

// maxGrade is the readability bar: Flesch-Kincaid grade 8 (reading age about 13)
// is the most we allow any one text; most are far lower.
const maxGrade = 8.0

func TestAdviceReadability(t *testing.T) {
	devs := homeDevices(t)
	// Every template, on every device: each device also gets each finding id,
	// including ones it was not found with, so no wording escapes the check.
	texts := map[string]string{"household": Household(devs)}
	for catName, cat := range catalogs(t) {
		for _, d := range devs {
			all := d
			all.Findings = nil
			for _, id := range allFindingIDs {
				all.Findings = append(all.Findings, scan.Finding{ID: id, Service: serviceFor(id),
					Detail: map[string]string{"cve": "CVE-2017-7921", "latest": "V5.5.0", "external_port": "8000", "internal_client": "192.168.1.20"}})
			}
			for _, dev := range []scan.Device{d, all} {
				collect(texts, catName+"/"+d.IP, Advise(cat, dev, scanDay))
			}
		}
	}
	texts["passphrase tip"] = PassphraseTip
	checked, worst, worstAt := 0, -100.0, ""
	for where, text := range texts {
		if strings.TrimSpace(text) == "" {
			continue
		}
		checked++
		g := Grade(text)
		if g > maxGrade {
			t.Errorf("%s: grade %.1f > %.0f: %q", where, g, maxGrade, text)
		}
		if g > worst {
			worst, worstAt = g, where
		}
	}
	t.Logf("hardest text: grade %.1f (%s)", worst, worstAt)
	if checked < 100 {
		t.Fatalf("checked %d texts, want every template (at least 100)", checked)
	}
	t.Logf("checked %d texts", checked)
}

func serviceFor(id string) string {
	switch id {
	case scan.FindTelnetOpen:
		return "telnet:23"
	case scan.FindAnonymousAccess:
		return "ftp:21"
	}
	return "http:80"
}

// collect records each text of an advised device under a name saying where it came from.
func collect(texts map[string]string, where string, a Device) {
	texts[where+"/support"] = a.Support
	texts[where+"/report maker"] = a.ReportMaker
	texts[where+"/report uk"] = a.ReportUK
	for _, l := range a.PSTI {
		texts[where+"/psti "+l.Rule] = l.Rule + ". " + l.Text
	}
	for _, f := range a.Findings {
		w := where + "/" + f.Finding.ID + "/" + f.Finding.Service
		texts[w+"/title"] = f.Title
		texts[w+"/what"] = f.What
		texts[w+"/why"] = f.Why
		texts[w+"/guide title"] = f.Guide.Title
		// A guide is read as a whole, step after step.
		texts[w+"/steps"] = sentences(f.Guide.Steps)
		texts[w+"/next try"] = sentences(f.Guide.NextTry)
	}
}

func sentences(steps []string) string {
	var b strings.Builder
	for _, s := range steps {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.ContainsAny(s[len(s)-1:], ".!?") {
			s += "."
		}
		b.WriteString(s + " ")
	}
	return b.String()
}

func TestDeviceVerdict(t *testing.T) {
	devs := homeDevices(t)
	tests := []struct {
		ip   string
		want Verdict
	}{
		{"192.168.1.1", AtRisk},          // factory password
		{"192.168.1.20", AtRisk},         // factory password, known exploited
		{"192.168.1.30", NeedsAttention}, // support unknown only
		{"192.168.1.32", AtRisk},         // open admin page
		{"192.168.1.40", AtRisk},         // support ended, anonymous FTP
		{"192.168.1.50", OK},             // nothing wrong
		{"192.168.1.51", OK},
		{"192.168.1.60", AtRisk}, // telnet, factory password
	}
	for _, tt := range tests {
		if got := DeviceVerdict(byIP(t, devs, tt.ip)); got != tt.want {
			t.Errorf("DeviceVerdict(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestSeverityDefault(t *testing.T) {
	// A finding without a severity must not make a device look safe.
	d := scan.Device{Findings: []scan.Finding{{ID: scan.FindDefaultPassword}}}
	if got := DeviceVerdict(d); got != AtRisk {
		t.Errorf("DeviceVerdict(default-password, no severity) = %v, want at risk", got)
	}
	if got := FindingVerdict(scan.Finding{ID: "something-new"}); got != NeedsAttention {
		t.Errorf("FindingVerdict(unknown id) = %v, want needs attention", got)
	}
	if got := FindingVerdict(scan.Finding{ID: "x", Severity: scan.Info}); got != OK {
		t.Errorf("FindingVerdict(info) = %v, want ok", got)
	}
}

func TestWorseOrdersHome(t *testing.T) {
	devs := homeDevices(t)
	for i := range devs {
		for j := range devs {
			if Worse(devs[i], devs[j]) && Worse(devs[j], devs[i]) {
				t.Errorf("Worse is not antisymmetric for %s and %s", devs[i].IP, devs[j].IP)
			}
			if DeviceVerdict(devs[i]) > DeviceVerdict(devs[j]) && !Worse(devs[i], devs[j]) {
				t.Errorf("%s (%v) should sort before %s (%v)", devs[i].IP, DeviceVerdict(devs[i]), devs[j].IP, DeviceVerdict(devs[j]))
			}
		}
	}
}

func TestHousehold(t *testing.T) {
	risky := scan.Device{Findings: []scan.Finding{{ID: scan.FindDefaultPassword, Severity: scan.Critical}}}
	look := scan.Device{Findings: []scan.Finding{{ID: scan.FindSupportUnknown, Severity: scan.Low}}}
	fine := scan.Device{}
	tests := []struct {
		name string
		devs []scan.Device
		want string
	}{
		{"none", nil, "We did not find any devices yet."},
		{"all fine", []scan.Device{fine, fine}, "We found 2 devices. All of them look fine."},
		{"one fine", []scan.Device{fine}, "We found 1 device. All of them look fine."},
		{"look only", []scan.Device{look, fine}, "We found 2 devices. 1 needs a look, but none is at risk."},
		{"mixed", []scan.Device{risky, risky, look, fine}, "We found 4 devices. 2 are at risk and 1 needs a look. Fix the ones at risk first."},
		{"risk only", []scan.Device{risky, fine}, "We found 2 devices. 1 is at risk. Fix the ones at risk first."},
	}
	for _, tt := range tests {
		if got := Household(tt.devs); got != tt.want {
			t.Errorf("%s: Household = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSupportWords(t *testing.T) {
	tests := []struct {
		name string
		s    scan.Support
		want string
	}{
		{"month", scan.Support{Status: "supported", Until: "2027-03"}, "The maker will send updates until March 2027."},
		{"day", scan.Support{Status: "supported", Until: "2027-03-31"}, "The maker will send updates until March 2027."},
		{"year", scan.Support{Status: "supported", Until: "2028"}, "The maker will send updates until December 2028."},
		{"ended", scan.Support{Status: "ended", Until: "2022-04-15"}, "The maker stopped sending updates in April 2022."},
		// The scan said supported, but the date has passed by now: say so.
		{"lapsed", scan.Support{Status: "supported", Until: "2026-10"}, "The maker stopped sending updates in October 2026."},
		{"last day still promised", scan.Support{Status: "ending-soon", Until: "2026-11-20"}, "The maker will send updates until November 2026."},
		{"unknown", scan.Support{Status: "unknown"}, "The maker has not said how long it will send updates."},
		{"ended without date", scan.Support{Status: "ended"}, "The maker has stopped sending updates for this model."},
		{"bad date", scan.Support{Status: "supported", Until: "soon"}, "The maker has not said how long it will send updates."},
	}
	for _, tt := range tests {
		if got := SupportWords(tt.s, scanDay); got != tt.want {
			t.Errorf("%s: SupportWords(%+v) = %q, want %q", tt.name, tt.s, got, tt.want)
		}
	}
}

func TestSettingsURL(t *testing.T) {
	tests := []struct {
		name string
		d    scan.Device
		want string
	}{
		{"port 80", scan.Device{IP: "192.168.1.20", Services: []scan.Service{{Port: 554, Protocol: "rtsp"}, {Port: 80, Protocol: "http"}}}, "http://192.168.1.20/"},
		{"lab port", scan.Device{IP: "127.0.0.2", Services: []scan.Service{{Port: 8080, Protocol: "http"}}}, "http://127.0.0.2:8080/"},
		{"https", scan.Device{IP: "10.0.0.2", Services: []scan.Service{{Port: 443, Protocol: "https"}}}, "https://10.0.0.2/"},
		{"ipv6", scan.Device{IP: "fd00::1", Services: []scan.Service{{Port: 8080, Protocol: "http"}}}, "http://[fd00::1]:8080/"},
		{"no web", scan.Device{IP: "10.0.0.3"}, "http://10.0.0.3/"},
		{"web port from a finding", scan.Device{IP: "127.0.0.9", Findings: []scan.Finding{{ID: scan.FindDefaultPassword, Service: "http:8080"}}}, "http://127.0.0.9:8080/"},
	}
	for _, tt := range tests {
		if got := SettingsURL(tt.d); got != tt.want {
			t.Errorf("%s: SettingsURL = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFixFillsAddress(t *testing.T) {
	cam := byIP(t, homeDevices(t), "192.168.1.20")
	cat := &vendors.Catalog{Generic: vendors.Generic{Guides: vendors.Guides{
		ChangePassword: []string{"Go to {url} and log in.", "Pick a new password for {address}."},
	}}}
	makerAddr := &vendors.Catalog{Generic: vendors.Generic{Guides: vendors.Guides{
		ChangePassword: []string{"Open a web browser and go to 192.168.0.1 or 192.168.100.1.", "Type the address, such as 192.168.1.64, and log in."},
	}}}
	tests := []struct {
		name      string
		cat       *vendors.Catalog
		finding   string
		wantStep0 string
		wantAny   string
	}{
		{"catalogue placeholders", cat, scan.FindDefaultPassword, "Go to http://192.168.1.20/ and log in.", "Pick a new password for 192.168.1.20."},
		{"built-in", nil, scan.FindDefaultPassword, "Open a web browser and go to http://192.168.1.20/", ""},
		{"maker's usual address", makerAddr, scan.FindDefaultPassword, "Open a web browser and go to http://192.168.1.20/.", "Type the address, which is http://192.168.1.20/, and log in."},
		{"no placeholder gets an address step", nil, scan.FindSupportEnded, "Its settings page is at http://192.168.1.20/. Open that in a web browser on a phone or computer at home.", ""},
	}
	for _, tt := range tests {
		g := Fix(tt.cat, cam, scan.Finding{ID: tt.finding}, scanDay)
		if len(g.Steps) == 0 || g.Steps[0] != tt.wantStep0 {
			t.Errorf("%s: first step = %q, want %q", tt.name, first(g.Steps), tt.wantStep0)
		}
		if tt.wantAny != "" && !contains(g.Steps, tt.wantAny) {
			t.Errorf("%s: steps %q lack %q", tt.name, g.Steps, tt.wantAny)
		}
		for _, s := range g.Steps {
			if strings.ContainsAny(s, "{}") {
				t.Errorf("%s: step %q has an unfilled placeholder", tt.name, s)
			}
		}
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFixKinds(t *testing.T) {
	nas := byIP(t, homeDevices(t), "192.168.1.40")
	tests := []struct {
		id, service string
		passphrase  bool
		recheck     bool
		mentions    string
	}{
		{scan.FindDefaultPassword, "http:80", true, true, "password"},
		{scan.FindAnonymousAccess, "ftp:21", true, true, "FTP"},
		{scan.FindAnonymousAccess, "http:80", true, true, "password"},
		{scan.FindSupportEnded, "", false, false, "guest network"},
		{scan.FindSupportUnknown, "", false, false, "website"},
		{scan.FindTelnetOpen, "telnet:23", false, true, "Telnet"},
		{scan.FindUPnPPortMapping, "", false, true, "UPnP"},
		{scan.FindFirmwareOutdated, "", false, true, "update"},
		{scan.FindNoDisclosure, "", false, false, "UK rules"},
	}
	for _, tt := range tests {
		g := Fix(nil, nas, scan.Finding{ID: tt.id, Service: tt.service}, scanDay)
		if g.Passphrase != tt.passphrase || g.Recheck != tt.recheck {
			t.Errorf("Fix(%s %s): passphrase=%v recheck=%v, want %v %v", tt.id, tt.service, g.Passphrase, g.Recheck, tt.passphrase, tt.recheck)
		}
		if !strings.Contains(strings.Join(g.Steps, " "), tt.mentions) {
			t.Errorf("Fix(%s %s) steps do not mention %q: %q", tt.id, tt.service, tt.mentions, g.Steps)
		}
		if g.Recheck && len(g.NextTry) == 0 {
			t.Errorf("Fix(%s): re-checkable but nothing to try next", tt.id)
		}
	}
}

func TestPSTILines(t *testing.T) {
	plug := byIP(t, homeDevices(t), "192.168.1.32")
	lines := PSTILines(plug, scanDay)
	if len(lines) != 3 {
		t.Fatalf("PSTILines gave %d lines, want 3", len(lines))
	}
	want := []string{scan.Fail, scan.Fail, scan.Fail}
	for i, l := range lines {
		if l.Result != want[i] {
			t.Errorf("line %d (%s) = %s, want %s", i, l.Rule, l.Result, want[i])
		}
	}
	if got := PSTILines(scan.Device{}, scanDay)[0].Result; got != scan.Unknown {
		t.Errorf("empty PSTI result = %q, want unknown", got)
	}
}

func TestReportMaker(t *testing.T) {
	devs := homeDevices(t)
	if got := ReportMaker(nil, byIP(t, devs, "192.168.1.20")); !strings.Contains(got, "hsrc@hikvision.com") || !strings.Contains(got, "https://www.hikvision.com/") {
		t.Errorf("ReportMaker(camera) = %q, want the URL and the email", got)
	}
	if got := ReportMaker(nil, byIP(t, devs, "192.168.1.32")); !strings.HasPrefix(got, "We could not find") {
		t.Errorf("ReportMaker(plug without contact) = %q", got)
	}
	cat := &vendors.Catalog{Generic: vendors.Generic{ReportUK: vendors.Fact{Source: vendors.Source{URL: "https://example.gov.uk/report"}}}}
	if got := ReportUK(cat); !strings.Contains(got, "https://example.gov.uk/report") {
		t.Errorf("ReportUK(catalogue) = %q, want the catalogue's route", got)
	}
	if got := ReportUK(nil); !strings.Contains(got, "Trading Standards") {
		t.Errorf("ReportUK(nil) = %q, want the built-in route", got)
	}
}

func TestPassphrase(t *testing.T) {
	list := wordList()
	if len(list) < 350 {
		t.Errorf("word list has %d words, want at least 350", len(list))
	}
	seen := map[string]bool{}
	plain := regexp.MustCompile(`^[a-z]{3,8}$`)
	for _, w := range list {
		if !plain.MatchString(w) {
			t.Errorf("word %q is not a short plain lower-case word", w)
		}
		if seen[w] {
			t.Errorf("word %q is in the list twice", w)
		}
		seen[w] = true
	}
	p := NewPassphrase(rand.New(rand.NewPCG(1, 2)))
	if len(p.Words) != 3 {
		t.Fatalf("NewPassphrase gave %d words, want 3", len(p.Words))
	}
	for _, w := range p.Words {
		if !seen[w] {
			t.Errorf("word %q is not from the list", w)
		}
	}
	again := NewPassphrase(rand.New(rand.NewPCG(1, 2)))
	if p.String() != again.String() {
		t.Errorf("same seed gave %q and %q", p, again)
	}
	if !regexp.MustCompile(`^([A-Z][a-z]+){3}$`).MatchString(p.String()) {
		t.Errorf("String() = %q, want three capitalised words joined", p.String())
	}
	if got := strings.Fields(p.Spoken()); len(got) != 3 {
		t.Errorf("Spoken() = %q, want three words", p.Spoken())
	}
	// Different seeds spread over the list: 200 draws give many different words.
	r := rand.New(rand.NewPCG(3, 4))
	distinct := map[string]bool{}
	for range 200 {
		for _, w := range NewPassphrase(r).Words {
			distinct[w] = true
		}
	}
	if len(distinct) < 200 {
		t.Errorf("600 draws gave only %d distinct words", len(distinct))
	}
}
