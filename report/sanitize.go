package report

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/vendors"
)

// Caps on what one device may put into a rendered report. A saved report is
// a file anyone could have edited, so it is treated like device input.
const (
	maxServices = 64
	maxFindings = 64
	maxReasons  = 16
)

// sanitize returns a copy of d with every string cleaned of escapes and
// control characters, lengths capped, and any password masked. Renderers
// only ever see sanitized devices.
func sanitize(cat *vendors.Catalog, d scan.Device) scan.Device {
	s := func(v string) string { return clean.String(v, clean.Short) }
	out := scan.Device{
		Key: s(d.Key), IP: s(d.IP), MAC: s(d.MAC), MACVendor: s(d.MACVendor), RandomMAC: d.RandomMAC,
		Hostname: s(d.Hostname), Vendor: s(d.Vendor), Model: s(d.Model), Type: s(d.Type),
		Firmware: s(d.Firmware), Name: s(d.Name), MakerID: s(d.MakerID), ProductID: s(d.ProductID),
		UDN: s(d.UDN), Serial: s(d.Serial), MDNSName: s(d.MDNSName), Location: s(d.Location),
		Reasons: clean.Strings(capped(d.Reasons, maxReasons), clean.Short),
		Sources: clean.Strings(capped(d.Sources, maxReasons), 32),
		Support: scan.Support{Status: s(d.Support.Status), Until: s(d.Support.Until),
			Policy: s(d.Support.Policy), Source: s(d.Support.Source)},
		Disclosure: scan.Disclosure{URL: s(d.Disclosure.URL), Email: s(d.Disclosure.Email)},
		PSTI: scan.PSTI{Passwords: s(d.PSTI.Passwords), Reporting: s(d.PSTI.Reporting),
			Updates: s(d.PSTI.Updates), Reasons: cleanMap(d.PSTI.Reasons)},
		Checked: d.Checked,
	}
	for _, sv := range capped(d.Services, maxServices) {
		out.Services = append(out.Services, scan.Service{Port: sv.Port, Protocol: s(sv.Protocol),
			Banner: clean.String(sv.Banner, clean.Long), Auth: s(sv.Auth), Realm: s(sv.Realm), Title: s(sv.Title)})
	}
	mask := masker(cat, d)
	for _, f := range capped(d.Findings, maxFindings) {
		out.Findings = append(out.Findings, scan.Finding{ID: s(f.ID), Severity: s(f.Severity),
			Title: mask(s(f.Title)), Service: s(f.Service),
			Evidence: mask(clean.String(f.Evidence, clean.Long)), Detail: cleanMap(f.Detail)})
	}
	return out
}

// redacted is a copy of r for saving as JSON: findings have passwords
// masked and credential-like details dropped; nothing else changes, so the
// JSON round-trips.
func (r *Report) redacted() *Report {
	cp := *r
	cat := r.catalog()
	cp.Devices = make([]scan.Device, len(r.Devices))
	for i, d := range r.Devices {
		mask := masker(cat, d)
		fs := make([]scan.Finding, len(d.Findings))
		for j, f := range d.Findings {
			f.Title, f.Evidence = mask(f.Title), mask(f.Evidence)
			f.Detail = withoutSecrets(f.Detail)
			fs[j] = f
		}
		if d.Findings == nil {
			fs = nil
		}
		d.Findings = fs
		cp.Devices[i] = d
	}
	return &cp
}

// withoutSecrets copies m without credential-like keys.
func withoutSecrets(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if !secretKey.MatchString(k) {
			out[k] = v
		}
	}
	return out
}

func capped[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// secretKey matches detail keys that could carry a credential; they are dropped.
var secretKey = regexp.MustCompile(`(?i)pass|pwd|secret|cred|token|key`)

func cleanMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, min(len(m), maxReasons))
	for _, k := range capped(sortedKeys(m), maxReasons) {
		if secretKey.MatchString(k) {
			continue
		}
		out[clean.String(k, 64)] = clean.String(m[k], clean.Short)
	}
	return out
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// labelledSecret finds "password: x", "pwd=x", "password is x" and the like.
var labelledSecret = regexp.MustCompile(`(?i)\b(password|passwd|passcode|pwd|pass|pw)(\s*[:=]\s*|\s+is\s+|\s+)("[^"]*"|'[^']*'|[^\s()\[\]{},;]+)`)

// masker returns a function that masks passwords in text about d: values
// labelled as passwords, and the documented default logins the catalogue
// holds for d's product. Scan never puts a password in a finding; this is
// the second lock on the same door.
func masker(cat *vendors.Catalog, d scan.Device) func(string) string {
	var pairs []string
	var alone []string
	for _, l := range defaultLogins(cat, d) {
		if l.Password == "" {
			continue
		}
		for _, sep := range []string{"/", ":", " / "} {
			pairs = append(pairs, l.Username+sep+l.Password, l.Username+sep+"****")
		}
		// A password that is not a plain word ("12345", "xc3511") can be
		// masked wherever it stands; "admin" or "password" cannot, as prose.
		if len(l.Password) >= 4 && !isWord(strings.ToLower(l.Password)) {
			alone = append(alone, regexp.QuoteMeta(l.Password))
		}
	}
	known := strings.NewReplacer(pairs...)
	var bare *regexp.Regexp
	if len(alone) > 0 {
		bare = regexp.MustCompile(`\b(?:` + strings.Join(alone, "|") + `)\b`)
	}
	return func(s string) string {
		s = labelledSecret.ReplaceAllStringFunc(s, maskLabelled)
		s = known.Replace(s)
		if bare != nil {
			s = bare.ReplaceAllString(s, "****")
		}
		return s
	}
}

// maskLabelled masks the value in one labelledSecret match, unless it is
// already masked or is prose ("password was accepted").
func maskLabelled(m string) string {
	sub := labelledSecret.FindStringSubmatch(m)
	value := strings.Trim(sub[3], `"'`)
	if strings.Trim(value, "*") == "" || (strings.TrimSpace(sub[2]) == "" && isWord(sub[3])) {
		return m
	}
	return sub[1] + sub[2] + "****"
}

// isWord is true for plain lower-case words.
func isWord(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// defaultLogins are the product's documented logins (only the product's:
// the generic list holds words too common to mask in prose).
func defaultLogins(cat *vendors.Catalog, d scan.Device) []vendors.DefaultLogin {
	if cat == nil || d.MakerID == "" || d.ProductID == "" {
		return nil
	}
	if p := cat.Product(d.MakerID, d.ProductID); p != nil {
		return p.Logins
	}
	return nil
}
