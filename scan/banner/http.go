package banner

import (
	"context"
	"crypto/tls"
	"errors"
	"html"
	"io"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/scan/clean"
)

// probeHTTP fetches / and the configured paths. Redirects are never followed
// (a device must not send us to another host), bodies are capped.
func probeHTTP(ctx context.Context, ip netip.Addr, port int, useTLS bool, cfg Config, res *Result) {
	client := newHTTPClient(ip, port, cfg)
	defer client.CloseIdleConnections()
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	base := scheme + "://" + net.JoinHostPort(ip.String(), strconv.Itoa(port))
	page, err := fetch(ctx, client, base+"/")
	if err != nil && ctx.Err() == nil && !isDialError(err) {
		page, err = rawGet(ctx, ip, port, useTLS, "/", cfg)
	}
	if err != nil {
		return
	}
	res.Protocol = scheme
	res.Server = short(page.header.Get("Server"))
	res.Banner = res.Server
	res.Auth, res.Realm = ParseWWWAuthenticate(page.header.Values("Www-Authenticate"))
	res.Title = Title(page.body)
	if res.Auth == "" && page.status/100 == 2 {
		res.Auth = "none"
		if hasPasswordField(page.body) {
			res.Auth = "form"
		}
	}
	res.Bodies = map[string]string{}
	if page.status/100 == 2 {
		res.Bodies["/"] = clean.String(string(page.body), keepBody)
	}
	for _, path := range cfg.Paths {
		if !strings.HasPrefix(path, "/") || path == "/" {
			continue
		}
		p, err := fetch(ctx, client, base+path)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		if p.status/100 == 2 {
			res.Bodies[path] = clean.String(string(p.body), keepBody)
		}
	}
}

func newHTTPClient(ip netip.Addr, port int, cfg Config) *http.Client {
	addr := net.JoinHostPort(ip.String(), strconv.Itoa(port))
	var d net.Dialer
	tr := &http.Transport{
		// Whatever the URL says, only this address is ever dialled.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		// Devices use self-signed certificates; we read banners, never send secrets here.
		TLSClientConfig:        &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // banner read only
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: maxHeader,
		ResponseHeaderTimeout:  cfg.ReadTimeout,
		TLSHandshakeTimeout:    cfg.ReadTimeout,
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type page struct {
	status int
	header http.Header
	body   []byte
}

// fetch GETs url and reads at most maxBody bytes of the body.
func fetch(ctx context.Context, client *http.Client, url string) (page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return page{}, err
	}
	req.Header.Set("User-Agent", "porchlight")
	resp, err := client.Do(req)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && len(body) == 0 {
		return page{status: resp.StatusCode, header: resp.Header}, nil
	}
	return page{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// ParseWWWAuthenticate returns the strongest scheme offered (digest over
// basic; others lower-cased as given) and its realm, cleaned.
func ParseWWWAuthenticate(values []string) (scheme, realm string) {
	for _, v := range values {
		s, r := parseChallenge(v)
		if s == "" {
			continue
		}
		if scheme == "" || (s == "digest" && scheme != "digest") {
			scheme, realm = s, r
		}
	}
	return scheme, realm
}

// parseChallenge reads `Scheme realm="x", ...` from one header value.
func parseChallenge(v string) (scheme, realm string) {
	v = strings.TrimSpace(v)
	name, rest, _ := strings.Cut(v, " ")
	scheme = strings.ToLower(short(name))
	if scheme == "" || strings.ContainsAny(scheme, "=,\"") {
		return "", ""
	}
	for rest != "" {
		var key, val string
		rest = strings.TrimLeft(rest, " ,")
		key, rest, _ = strings.Cut(rest, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		rest = strings.TrimLeft(rest, " ")
		if strings.HasPrefix(rest, `"`) {
			end := closingQuote(rest[1:])
			val = strings.ReplaceAll(rest[1:1+end], `\"`, `"`)
			rest = rest[min(len(rest), end+2):]
		} else {
			val, rest, _ = strings.Cut(rest, ",")
		}
		if key == "realm" {
			return scheme, short(val)
		}
	}
	return scheme, ""
}

// closingQuote is the index of the first unescaped quote in s, or len(s).
func closingQuote(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(s)
}

var (
	titleRE    = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	passwordRE = regexp.MustCompile(`(?i)<input[^>]+type\s*=\s*["']?password`)
)

// Title returns the page's <title>, entity-decoded and cleaned.
func Title(body []byte) string {
	m := titleRE.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return clean.String(html.UnescapeString(string(m[1])), clean.Long)
}

func hasPasswordField(body []byte) bool { return passwordRE.Match(body) }

// isDialError reports whether err means nothing answered (no point retrying raw).
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
