package vendors

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Limits the data must keep to.
const (
	// MaxProductLogins is the most default logins one product may list: a
	// login test tries a handful at most, never a password list.
	MaxProductLogins = 6
	// MaxGenericLogins is the most logins tried when the maker is unknown.
	MaxGenericLogins = 5
	// maxStep is the longest guide step, in bytes; short sentences read better.
	maxStep = 200
	// maxErrors stops a hopeless file from producing thousands of lines.
	maxErrors = 50
)

// Types is every device type the data and Identify use.
var Types = []string{
	"router", "camera", "doorbell", "tv", "speaker", "plug", "light", "hub",
	"printer", "nas", "thermostat", "computer", "phone", "streamer", "unknown",
}

// Services is every login service a DefaultLogin may name.
var Services = []string{"http-basic", "http-digest", "http-form", "telnet", "ssh", "ftp", "rtsp"}

// firmwareFroms are the fields a rule may read a firmware or model from;
// "txt:" and "body:" take a key or path after the colon.
var firmwareFroms = []string{"server", "model_number", "model_name", "friendly_name", "title", "banner", "body"}

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	ouiPattern = regexp.MustCompile(`^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$`)
	cvePattern = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
)

// ValidationError is one problem in the data, with where it is:
// "data/acme.json: products[3].support.until: want YYYY-MM-DD, got \"soon\"".
type ValidationError struct {
	File string // "data/acme.json"
	Path string // "products[3].support.until"
	Msg  string
}

func (e *ValidationError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// checker collects validation errors for one file.
type checker struct {
	file     string
	dataDate time.Time
	errs     *[]error
	patterns patternCache // compiled once here, reused by compile
}

func (k checker) failf(path, format string, a ...any) {
	if len(*k.errs) < maxErrors {
		*k.errs = append(*k.errs, &ValidationError{File: k.file, Path: path, Msg: fmt.Sprintf(format, a...)})
	}
}

// validate checks every rule the data must keep; it returns all problems
// joined, or nil.
func validate(c *Catalog, cache patternCache) error {
	var errs []error
	g := checker{file: "data/" + genericFile, errs: &errs, patterns: cache}
	dd, ok := parseDay(c.DataDate)
	if !ok {
		g.failf("data_date", "want YYYY-MM-DD, got %q", c.DataDate)
	}
	g.dataDate = dd
	g.generic(&c.Generic)
	seen := map[string]string{}
	for i := range c.Makers {
		k := checker{file: c.files[i], dataDate: dd, errs: &errs, patterns: cache}
		m := &c.Makers[i]
		if prev, dup := seen[m.ID]; dup {
			k.failf("id", "maker id %q is also used in %s", m.ID, prev)
		}
		seen[m.ID] = k.file
		k.maker(m)
	}
	return errors.Join(errs...)
}

func (k checker) generic(g *Generic) {
	k.fact("report_uk", &g.ReportUK)
	k.guides("guides", &g.Guides)
	if len(g.Logins) > MaxGenericLogins {
		k.failf("default_logins", "at most %d generic logins, got %d", MaxGenericLogins, len(g.Logins))
	}
	for i := range g.Logins {
		k.login(fmt.Sprintf("default_logins[%d]", i), &g.Logins[i])
	}
}

func (k checker) maker(m *Maker) {
	if !idPattern.MatchString(m.ID) {
		k.failf("id", "want lower-case letters, digits and single hyphens, got %q", m.ID)
	}
	if strings.TrimSpace(m.Name) == "" {
		k.failf("name", "missing")
	}
	if m.Type != "" && !oneOf(m.Type, Types) {
		k.failf("type", "want one of %s, got %q", strings.Join(Types, ", "), m.Type)
	}
	for i, o := range m.OUIs {
		if !ouiPattern.MatchString(o) {
			k.failf(fmt.Sprintf("ouis[%d]", i), "want XX:XX:XX in upper-case hex, got %q", o)
		}
	}
	k.pattern("oui_name", m.OUIName)
	k.policy(&m.Support)
	k.disclosure(&m.Disclosure)
	if m.UniquePasswords != nil {
		k.fact("unique_passwords", m.UniquePasswords)
	}
	for i := range m.Match {
		k.rule(fmt.Sprintf("match[%d]", i), &m.Match[i])
	}
	if len(m.Products) == 0 {
		k.failf("products", "a maker needs at least one product")
	}
	ids := map[string]bool{}
	for i := range m.Products {
		p := &m.Products[i]
		at := fmt.Sprintf("products[%d]", i)
		if ids[p.ID] {
			k.failf(at+".id", "product id %q is used twice", p.ID)
		}
		ids[p.ID] = true
		k.product(at, p)
	}
	k.guides("guides", &m.Guides)
}

func (k checker) policy(s *SupportPolicy) {
	k.source("support.source", &s.Source)
	switch {
	case s.Published && strings.TrimSpace(s.Policy) == "":
		k.failf("support.policy", "published is true but the policy is empty")
	case !s.Published && s.Policy != "":
		k.failf("support.published", "a policy is given, so published must be true")
	}
}

func (k checker) disclosure(d *Disclosure) {
	k.source("disclosure.source", &d.Source)
	has := d.URL != "" || d.Email != ""
	switch {
	case d.NonePublished && has:
		k.failf("disclosure.none_published", "true, but a url or email is given")
	case !d.NonePublished && !has:
		k.failf("disclosure", "want a url or email, or none_published with the source searched")
	}
	if d.URL != "" {
		k.url("disclosure.url", d.URL)
	}
	if d.Email != "" && !strings.Contains(d.Email, "@") {
		k.failf("disclosure.email", "want an address, got %q", d.Email)
	}
}

func (k checker) product(at string, p *Product) {
	if !idPattern.MatchString(p.ID) {
		k.failf(at+".id", "want lower-case letters, digits and single hyphens, got %q", p.ID)
	}
	if strings.TrimSpace(p.Name) == "" {
		k.failf(at+".name", "missing")
	}
	if !oneOf(p.Type, Types) || p.Type == "unknown" {
		k.failf(at+".type", "want one of %s, got %q", strings.Join(Types[:len(Types)-1], ", "), p.Type)
	}
	for i := range p.Match {
		k.rule(fmt.Sprintf("%s.match[%d]", at, i), &p.Match[i])
	}
	released, hasReleased := time.Time{}, false
	if p.Released != "" {
		if _, last, ok := parsePeriod(p.Released); ok {
			released, hasReleased = last, true
		} else {
			k.failf(at+".released", "want YYYY, YYYY-MM or YYYY-MM-DD, got %q", p.Released)
		}
		if p.ReleasedSource == nil {
			k.failf(at+".released_source", "missing: a release date needs its source")
		} else {
			k.source(at+".released_source", p.ReleasedSource)
		}
	}
	if s := p.Support; s != nil {
		k.source(at+".support.source", &s.Source)
		first, _, ok := parsePeriod(s.Until)
		switch {
		case !ok:
			k.failf(at+".support.until", "want YYYY-MM-DD, got %q", s.Until)
		case hasReleased && !first.After(released):
			k.failf(at+".support.until", "%s is not after the release date %s", s.Until, p.Released)
		}
	}
	if f := p.Latest; f != nil {
		if strings.TrimSpace(f.Version) == "" {
			k.failf(at+".latest_firmware.version", "missing")
		}
		if f.Date != "" {
			if _, _, ok := parsePeriod(f.Date); !ok {
				k.failf(at+".latest_firmware.date", "want YYYY-MM-DD, got %q", f.Date)
			}
		}
		k.source(at+".latest_firmware.source", &f.Source)
	}
	if len(p.Logins) > MaxProductLogins {
		k.failf(at+".default_logins", "at most %d per product, got %d", MaxProductLogins, len(p.Logins))
	}
	for i := range p.Logins {
		k.login(fmt.Sprintf("%s.default_logins[%d]", at, i), &p.Logins[i])
	}
	for i := range p.Exploits {
		x := &p.Exploits[i]
		xat := fmt.Sprintf("%s.known_exploited[%d]", at, i)
		if !cvePattern.MatchString(x.CVE) {
			k.failf(xat+".cve", "want CVE-YYYY-NNNN, got %q", x.CVE)
		}
		if strings.TrimSpace(x.Title) == "" {
			k.failf(xat+".title", "missing")
		}
		k.source(xat+".source", &x.Source)
	}
}

func (k checker) login(at string, l *DefaultLogin) {
	if !oneOf(l.Service, Services) {
		k.failf(at+".service", "want one of %s, got %q", strings.Join(Services, ", "), l.Service)
	}
	if l.Service == "http-form" && (l.Form == nil || l.Form.PassField == "" || (l.Username != "" && l.Form.UserField == "")) {
		k.failf(at+".form", "an http-form login needs form.pass_field, and form.user_field when it has a username")
	}
	if l.Service != "http-form" && l.Form != nil {
		k.failf(at+".form", "only an http-form login has a form")
	}
	if l.Path != "" && !strings.HasPrefix(l.Path, "/") {
		k.failf(at+".path", "want a path starting with /, got %q", l.Path)
	}
	k.pattern(at+".identify", l.Identify)
	k.pattern(at+".success", l.Success)
	k.source(at+".source", &l.Source)
}

func (k checker) rule(at string, r *Rule) {
	fields := r.patterns()
	found := false
	for _, f := range fields {
		k.pattern(at+"."+f.name, f.re)
		if f.re != "" && f.name != "oui_name" {
			found = true
		}
	}
	if !found {
		k.failf(at, "a rule needs at least one field besides oui_name")
	}
	if r.TXT != "" {
		if key, _, ok := strings.Cut(r.TXT, "="); !ok || key == "" {
			k.failf(at+".txt", "want key=pattern, got %q", r.TXT)
		}
	}
	if (r.Body == "") != (r.HTTPPath == "") {
		k.failf(at+".http_path", "http_path and body go together")
	}
	if r.HTTPPath != "" && !strings.HasPrefix(r.HTTPPath, "/") {
		k.failf(at+".http_path", "want a path starting with /, got %q", r.HTTPPath)
	}
	k.capture(at+".firmware", r.Firmware, r.FirmwareFrom, r.HTTPPath)
	k.capture(at+".model", r.Model, r.ModelFrom, r.HTTPPath)
}

// capture checks an extraction pattern and the field it reads.
func (k checker) capture(at, re, from, httpPath string) {
	if re == "" && from == "" {
		return
	}
	if re == "" || from == "" {
		k.failf(at, "the pattern and its _from field go together")
		return
	}
	if compiled, err := k.patterns.get(re); err == nil && compiled.NumSubexp() < 1 {
		k.failf(at, "want a pattern with a capture group, got %q", re)
	}
	switch {
	case oneOf(from, firmwareFroms):
		if from == "body" && httpPath == "" {
			k.failf(at+"_from", "body needs the rule's http_path; use body:/path otherwise")
		}
	case strings.HasPrefix(from, "txt:") && len(from) > 4:
	case strings.HasPrefix(from, "body:/"):
	default:
		k.failf(at+"_from", "want one of %s, txt:<key> or body:/path, got %q", strings.Join(firmwareFroms, ", "), from)
	}
}

func (k checker) pattern(at, re string) {
	if re == "" {
		return
	}
	if _, err := k.patterns.get(re); err != nil {
		k.failf(at, "pattern does not compile: %v", err)
	}
}

func (k checker) guides(at string, g *Guides) {
	if len(g.ChangePassword) == 0 {
		k.failf(at+".change_password", "missing: every maker needs a password guide")
	}
	if len(g.Update) == 0 {
		k.failf(at+".update", "missing: every maker needs an update guide")
	}
	if len(g.Replace) == 0 {
		k.failf(at+".replace", "missing: every maker needs a guide for when updates end")
	}
	for name, steps := range map[string][]string{"change_password": g.ChangePassword, "update": g.Update, "replace": g.Replace} {
		for i, s := range steps {
			if strings.TrimSpace(s) == "" || len(s) > maxStep {
				k.failf(fmt.Sprintf("%s.%s[%d]", at, name, i), "want a short step of 1 to %d bytes, got %d", maxStep, len(s))
			}
		}
	}
	k.source(at+".source", &g.Source)
}

func (k checker) fact(at string, f *Fact) {
	if strings.TrimSpace(f.Text) == "" {
		k.failf(at+".text", "missing")
	}
	k.source(at+".source", &f.Source)
}

// source checks that a fact says where it comes from and when it was checked,
// and that the check is not dated after the data set itself.
func (k checker) source(at string, s *Source) {
	k.url(at+".url", s.URL)
	first, _, ok := parseChecked(s.Checked)
	switch {
	case !ok:
		k.failf(at+".checked", "want YYYY-MM-DD, got %q", s.Checked)
	case !k.dataDate.IsZero() && first.After(k.dataDate):
		k.failf(at+".checked", "%s is after the data date %s", s.Checked, k.dataDate.Format(time.DateOnly))
	}
}

func (k checker) url(at, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		k.failf(at, "want an http or https address, got %q", raw)
	}
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}
