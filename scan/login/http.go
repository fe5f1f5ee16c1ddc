package login

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// maxBody caps what we read of any HTTP answer.
const maxBody = 64 << 10

// answer is one HTTP response, read and closed.
type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) shown(realm string) []string {
	return []string{realm, a.header.Get("Server"), title(a.body)}
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

func title(body string) string {
	if m := titleRE.FindStringSubmatch(body); m != nil {
		return Clean(m[1])
	}
	return ""
}

// client returns an HTTP client that dials only through the gate, never
// reuses a connection (so the gate sees each request), never follows a
// redirect, never uses a proxy, and gives up after the target's timeout.
func (g *Gate) client(t Target) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:            g.Dial,
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 16 << 10,
			ResponseHeaderTimeout:  t.timeout(),
			// Home devices use self-signed certificates; we send nothing
			// secret that the device doesn't already know.
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       t.timeout(),
	}
}

func (g *Gate) url(t Target) string {
	scheme := "http"
	if t.TLS {
		scheme = "https"
	}
	return scheme + "://" + g.addr(t.Port) + t.path()
}

// do sends one request and reads the capped answer.
func (g *Gate) do(ctx context.Context, t Target, method, auth, form string) (answer, error) {
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.url(t), body)
	if err != nil {
		return answer{}, fmt.Errorf("http request to %s: %w", g.addr(t.Port), err)
	}
	req.Header.Set("User-Agent", "porchlight")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := g.client(t).Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("http %s %s: %w", method, g.addr(t.Port), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, fmt.Errorf("http read from %s: %w", g.addr(t.Port), err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}, nil
}

// HTTP tests Basic or Digest logins on t.Path. The path must first refuse
// an unauthenticated request with 401 and a challenge we can answer; a login
// counts only when the same path then answers 200 (matching Success when
// set). A redirect is never followed and never counts.
func HTTP(ctx context.Context, g *Gate, t Target, creds []Cred) (Result, error) {
	res := Result{Accepted: -1}
	pre, err := g.do(ctx, t, http.MethodGet, "", "")
	if err != nil {
		return res, err
	}
	if pre.status != http.StatusUnauthorized {
		return res, nil
	}
	cs := ParseChallenges(pre.header.Values("WWW-Authenticate"))
	dg, basic := pickDigest(cs), find(cs, "basic")
	if dg == nil && basic == nil {
		return res, nil
	}
	realm := ""
	if basic != nil {
		realm = basic.Params["realm"]
	}
	if dg != nil {
		realm = dg.ch.Params["realm"]
	}
	res.Demanded = true
	res.Shown = Clean(strings.Join(pre.shown(realm), " "))
	if res.Identified = t.identified(append(pre.shown(realm), pre.body)...); !res.Identified {
		return res, nil
	}
	for i, c := range limit(creds, MaxAttempts) {
		auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(c.User+":"+c.Pass))
		if dg != nil {
			auth = dg.authorization(http.MethodGet, t.path(), c)
		}
		res.Attempts++
		a, err := g.do(ctx, t, http.MethodGet, auth, "")
		if err != nil {
			return res, err
		}
		if a.status == http.StatusOK && (t.Success == nil || t.Success.MatchString(a.body)) {
			res.Accepted = i
			res.Proof = "the page that refused us without a password (401) opened with it (200)"
			return res, nil
		}
		if next := pickDigest(ParseChallenges(a.header.Values("WWW-Authenticate"))); dg != nil && next != nil {
			dg = next // a fresh nonce for the next try
		}
	}
	return res, nil
}

// HTTPOpen checks whether the admin page at t.Path opens with no password
// at all: 200 and, when set, Success matching.
func HTTPOpen(ctx context.Context, g *Gate, t Target) (Result, error) {
	res := Result{Accepted: -1}
	a, err := g.do(ctx, t, http.MethodGet, "", "")
	if err != nil {
		return res, err
	}
	res.Shown = Clean(strings.Join(a.shown(""), " "))
	res.Identified = t.identified(append(a.shown(""), a.body)...)
	switch {
	case a.status == http.StatusUnauthorized:
		res.Demanded = true
	case a.status == http.StatusOK && res.Identified && (t.Success == nil || t.Success.MatchString(a.body)):
		res.Open = true
		res.Proof = "the admin page " + t.path() + " opened without asking for a password"
	}
	return res, nil
}

var passwordInput = regexp.MustCompile(`(?i)<input[^>]+type\s*=\s*["']?password`)

// HTTPForm tests an HTML form login. The login page must show a password
// field and not the Success signal; a login counts only when the answer
// (200, not a redirect) matches Success, and a wrong password, tried once
// after, does not. Success is required.
func HTTPForm(ctx context.Context, g *Gate, t Target, creds []Cred) (Result, error) {
	res := Result{Accepted: -1}
	if t.Form == nil || t.Success == nil {
		return res, fmt.Errorf("form login on %s: %w", g.addr(t.Port), errNoSuccessSignal)
	}
	pre, err := g.do(ctx, t, http.MethodGet, "", "")
	if err != nil {
		return res, err
	}
	res.Shown = Clean(strings.Join(pre.shown(""), " "))
	if pre.status != http.StatusOK {
		return res, nil
	}
	if t.Success.MatchString(pre.body) {
		res.Open = true
		res.Proof = "the admin page " + t.path() + " opened without asking for a password"
		return res, nil
	}
	if res.Demanded = passwordInput.MatchString(pre.body); !res.Demanded {
		return res, nil
	}
	if res.Identified = t.identified(append(pre.shown(""), pre.body)...); !res.Identified {
		return res, nil
	}
	// One attempt is kept back to prove that a wrong password fails.
	for i, c := range limit(creds, MaxAttempts-1) {
		res.Attempts++
		ok, err := g.postForm(ctx, t, c)
		if err != nil || !ok {
			if err != nil {
				return res, err
			}
			continue
		}
		res.Attempts++
		wrong, err := g.postForm(ctx, t, Cred{User: c.User, Pass: newCnonce()})
		if err != nil {
			return res, err
		}
		if wrong {
			res.Proof = "the page shows its success signal even for a wrong password, so the test proves nothing"
			return res, nil
		}
		res.Accepted = i
		res.Proof = "the login form accepted it, and refused a wrong password"
		return res, nil
	}
	return res, nil
}

var errNoSuccessSignal = fmt.Errorf("no success signal to recognise a login")

func (g *Gate) postForm(ctx context.Context, t Target, c Cred) (bool, error) {
	v := url.Values{}
	v.Set(t.Form.UserField, c.User)
	v.Set(t.Form.PassField, c.Pass)
	form := v.Encode()
	if t.Form.Extra != "" {
		form += "&" + t.Form.Extra
	}
	method := strings.ToUpper(t.Form.Method)
	if method == "" {
		method = http.MethodPost
	}
	tt := t
	if method == http.MethodGet {
		tt.Path = t.path() + "?" + form
		form = ""
	}
	a, err := g.do(ctx, tt, method, "", form)
	if err != nil {
		return false, err
	}
	return a.status == http.StatusOK && t.Success.MatchString(a.body), nil
}
