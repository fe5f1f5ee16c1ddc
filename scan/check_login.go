package scan

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"time"

	"github.com/porchlight/porchlight/scan/login"
	"github.com/porchlight/porchlight/vendors"
)

// notTested is the PSTI passwords reason when the user gave no consent.
const notTested = "not tested: you did not allow the password test"

// access runs the checks that talk to the device: an admin page, video
// stream or MQTT broker open with no password at all, and, only with the
// user's consent, anonymous FTP and the maker's documented default logins.
// Every connection goes through one gate: one at a time, spaced out, and
// only to this device. It returns the PSTI passwords line.
func (c *checker) access(ctx context.Context, ip netip.Addr) verdict {
	spacing := c.env.opts.LoginSpacing
	if spacing <= 0 {
		spacing = DefaultLoginSpacing
	}
	gate := login.NewGate(ip, spacing, nil)
	open := c.openAccess(ctx, gate)
	if !c.env.opts.CheckPasswords {
		return verdict{Unknown, notTested}
	}
	c.anonymousFTP(ctx, gate)
	v := c.defaultLogins(ctx, gate)
	if open && v.status != Fail {
		return verdict{Unknown, "its admin page has no password at all, so anyone on your network can change it"}
	}
	return v
}

// openAccess raises anonymous-access for what needs no credentials to show
// it is open; it sends none.
func (c *checker) openAccess(ctx context.Context, gate *login.Gate) bool {
	open := false
	if c.product != nil && c.product.Admin != nil {
		page := c.product.Admin
		for _, s := range c.services("http") {
			res, err := login.HTTPOpen(ctx, gate, c.target(login.Target{Port: s.Port, Path: page.Path, Success: pattern(page.Open)}))
			c.gaveUp(fmt.Sprintf("the admin page on port %d did not answer in time", s.Port), err)
			if err == nil && res.Open {
				c.anonymous(s, "The admin page has no password", res.Proof)
				open = true
				break
			}
		}
	}
	for _, s := range c.services("rtsp") {
		res, err := login.RTSPOpen(ctx, gate, c.target(login.Target{Port: s.Port, Path: c.rtspPath()}))
		c.gaveUp(fmt.Sprintf("the video stream on port %d did not answer in time", s.Port), err)
		if err == nil && res.Open {
			c.anonymous(s, "The video stream has no password", res.Proof)
		}
	}
	for _, s := range c.services("mqtt") {
		res, err := login.MQTTAnonymous(ctx, gate, c.target(login.Target{Port: s.Port}))
		c.gaveUp(fmt.Sprintf("the message service on port %d did not answer in time", s.Port), err)
		if err == nil && res.Open {
			c.anonymous(s, "Its messages are open to anyone", res.Proof)
		}
	}
	return open
}

// anonymousFTP uses the public "anonymous" account, so it waits for consent.
func (c *checker) anonymousFTP(ctx context.Context, gate *login.Gate) {
	for _, s := range c.services("ftp") {
		res, err := login.FTPAnonymous(ctx, gate, c.target(login.Target{Port: s.Port}))
		c.gaveUp(fmt.Sprintf("the file service on port %d did not answer in time", s.Port), err)
		if err == nil && res.Open {
			c.anonymous(s, "Its files are open to anyone", res.Proof)
		}
	}
}

func (c *checker) anonymous(s Service, title, proof string) {
	c.emit(Finding{ID: FindAnonymousAccess, Severity: High, Title: title, Service: serviceKey(s),
		Evidence: proof, Detail: map[string]string{"port": fmt.Sprint(s.Port), "protocol": s.Protocol}})
}

// target sets t's exchange timeout from the scan's estimate of how long
// answers take.
func (c *checker) target(t login.Target) login.Target {
	t.Timeout = c.timeout(login.DefaultTimeout)
	return t
}

func (c *checker) services(protocol string) []Service {
	var out []Service
	for _, s := range c.dev.Services {
		if s.Protocol == protocol {
			out = append(out, s)
		}
	}
	return out
}

// rtspPath is the stream path the maker documents, else "/".
func (c *checker) rtspPath() string {
	for _, l := range c.logins() {
		if l.Service == "rtsp" && l.Path != "" {
			return l.Path
		}
	}
	return "/"
}

// logins are the documented defaults we may try: the identified product's,
// else those of the maker's products, else (maker unknown) the short generic
// list, never on a computer or phone.
func (c *checker) logins() []vendors.DefaultLogin {
	switch {
	case c.product != nil:
		return c.product.Logins
	case c.maker != nil:
		var all []vendors.DefaultLogin
		for _, p := range c.maker.Products {
			all = append(all, p.Logins...)
		}
		return all
	case c.dev.Type == "computer" || c.dev.Type == "phone" || c.env.catalog == nil:
		return nil
	}
	return c.env.catalog.Generic.Logins
}

// loginKinds maps a discovered protocol to the login services it can take.
var loginKinds = map[string][]string{
	"http": {"http-basic", "http-digest", "http-form"}, "https": {"http-basic", "http-digest", "http-form"},
	"telnet": {"telnet"}, "ssh": {"ssh"}, "ftp": {"ftp"}, "rtsp": {"rtsp"},
}

// loginRun tracks the default-login test across a device's services.
type loginRun struct {
	known    bool     // some documented login applies to a service found
	tested   bool     // a service demanded credentials and refused every default
	accounts []string // accounts proven to accept their default
}

// defaultLogins tries the documented defaults on each service, at most
// login.MaxAttempts per service, stopping at the first success; it returns
// the PSTI passwords line.
func (c *checker) defaultLogins(ctx context.Context, gate *login.Gate) verdict {
	run := &loginRun{}
	for _, s := range c.dev.Services {
		if ctx.Err() != nil {
			break
		}
		c.serviceLogins(ctx, gate, s, run)
	}
	switch {
	case len(run.accounts) > 0:
		return verdict{Fail, fmt.Sprintf("account %q still has the factory default password", run.accounts[0])}
	case run.tested:
		return verdict{Pass, "the maker's documented default passwords were refused"}
	case !run.known:
		return verdict{Unknown, "we know no factory password for this model to test"}
	}
	return verdict{Unknown, "no login page or prompt answered, so the factory password could not be tested"}
}

// group is the logins that share one login page on one service.
type group struct {
	kind, path string
	first      vendors.DefaultLogin
	creds      []login.Cred
}

func (c *checker) serviceLogins(ctx context.Context, gate *login.Gate, s Service, run *loginRun) {
	groups := c.groups(s, run)
	if len(groups) == 0 {
		return
	}
	run.known = true
	if c.provenChanged(s) {
		run.tested = true
		return
	}
	budget := login.MaxAttempts - c.sent[serviceKey(s)]
	for _, g := range groups {
		if budget <= 0 || ctx.Err() != nil {
			return
		}
		creds := c.recheckOnly(s, g.creds)
		if len(creds) > budget {
			creds = creds[:budget]
		}
		res, err := tryLogin(ctx, gate, s, g, c.timeout(login.DefaultTimeout), creds)
		c.gaveUp(fmt.Sprintf("the login on port %d did not answer in time", s.Port), err)
		budget -= res.Attempts
		c.sent[serviceKey(s)] += res.Attempts
		if err != nil || !res.Demanded || !res.Identified {
			continue
		}
		if res.Accepted < 0 {
			run.tested = run.tested || res.Attempts > 0
			continue
		}
		user := creds[res.Accepted].User
		run.accounts = append(run.accounts, user)
		c.emit(Finding{ID: FindDefaultPassword, Severity: Critical,
			Title:    "Still has its factory password",
			Service:  serviceKey(s),
			Evidence: fmt.Sprintf("account %q accepts the factory default password (%s on port %d); %s", user, g.kind, s.Port, res.Proof),
			Detail:   map[string]string{"account": user, "login": g.kind, "path": g.path}})
		return
	}
}

// groups collects the applicable logins for s by login page, skipping
// accounts already proven on another service of this device.
func (c *checker) groups(s Service, run *loginRun) []*group {
	kinds := loginKinds[s.Protocol]
	var out []*group
	for _, l := range c.logins() {
		if !slices.Contains(kinds, l.Service) || slices.Contains(run.accounts, l.Username) {
			continue
		}
		kind := l.Service
		if kind == "http-digest" {
			kind = "http-basic" // the tester answers whichever challenge the page sends
		}
		i := slices.IndexFunc(out, func(g *group) bool { return g.kind == kind && g.path == l.Path })
		if i < 0 {
			out = append(out, &group{kind: kind, path: l.Path, first: l})
			i = len(out) - 1
		}
		cred := login.Cred{User: l.Username, Pass: l.Password}
		if !slices.Contains(out[i].creds, cred) {
			out[i].creds = append(out[i].creds, cred)
		}
	}
	return out
}

// tryLogin sends creds to s's login page g, each exchange within timeout.
func tryLogin(ctx context.Context, gate *login.Gate, s Service, g *group, timeout time.Duration, creds []login.Cred) (login.Result, error) {
	t := login.Target{Port: s.Port, Path: g.path, TLS: s.Protocol == "https",
		Identify: pattern(g.first.Identify), Success: pattern(g.first.Success), Timeout: timeout}
	switch g.kind {
	case "http-basic":
		return login.HTTP(ctx, gate, t, creds)
	case "http-form":
		f := g.first.Form
		t.Form = &login.Form{Method: f.Method, UserField: f.UserField, PassField: f.PassField, Extra: f.Extra}
		return login.HTTPForm(ctx, gate, t, creds)
	case "telnet":
		return login.Telnet(ctx, gate, t, creds)
	case "ssh":
		return login.SSH(ctx, gate, t, creds)
	case "ftp":
		return login.FTP(ctx, gate, t, creds)
	case "rtsp":
		return login.RTSP(ctx, gate, t, creds)
	}
	return login.Result{Accepted: -1}, nil
}

// previouslyTested reports whether the previous check ran the login test
// to a verdict (every service it could test was refused, or one accepted).
func (c *checker) previouslyTested() bool {
	p := c.env.previous
	return p != nil && p.Checked && (p.PSTI.Passwords == Pass || p.PSTI.Passwords == Fail)
}

// previousAccount is the account that accepted its default on s last time.
func (c *checker) previousAccount(s Service) (string, bool) {
	if !c.previouslyTested() {
		return "", false
	}
	for _, f := range c.env.previous.Findings {
		if f.ID == FindDefaultPassword && f.Service == serviceKey(s) {
			return f.Detail["account"], true
		}
	}
	return "", false
}

// provenChanged is true on a re-check when the last check tried s and its
// defaults were refused: trying them again would only add attempts.
func (c *checker) provenChanged(s Service) bool {
	if !c.previouslyTested() {
		return false
	}
	_, had := c.previousAccount(s)
	return !had && slices.ContainsFunc(c.env.previous.Services, func(o Service) bool {
		return o.Protocol == s.Protocol && o.Port == s.Port
	})
}

// recheckOnly narrows a re-check to the account that worked last time.
func (c *checker) recheckOnly(s Service, creds []login.Cred) []login.Cred {
	account, ok := c.previousAccount(s)
	if !ok {
		return creds
	}
	var out []login.Cred
	for _, cr := range creds {
		if cr.User == account {
			out = append(out, cr)
		}
	}
	return out
}

// pattern compiles a vendor-data pattern case-insensitively; the catalogue
// has validated it, so a failure only means "no pattern".
func pattern(re string) *regexp.Regexp {
	if re == "" {
		return nil
	}
	p, err := regexp.Compile("(?i)" + re)
	if err != nil {
		return nil
	}
	return p
}
