package lab

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testTimeout bounds every network wait in these tests.
const testTimeout = 5 * time.Second

// startLab starts a scenario on loopback and closes it when the test ends.
func startLab(t *testing.T, scenario string, opts ...func(*Options)) *Lab {
	t.Helper()
	o := Options{Scenario: scenario, MaxMXDelay: 10 * time.Millisecond}
	for _, f := range opts {
		f(&o)
	}
	l, err := StartLoopback(t.Context(), o)
	if err != nil {
		t.Fatalf("StartLoopback(%s): %v", scenario, err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func dev(t *testing.T, l *Lab, id string) DeviceInfo {
	t.Helper()
	d, err := l.Device(id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func addrPort(d DeviceInfo, proto string) string {
	return netip.AddrPortFrom(d.Addr, uint16(d.Port(proto))).String()
}

// client is an HTTP client that never follows redirects (so tests see them)
// and keeps cookies (for form logins).
func client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Timeout: testTimeout, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// get fetches a URL and returns the status and (capped) body.
func do(t *testing.T, c *http.Client, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, string(b)
}

func newReq(t *testing.T, method, u string, form url.Values) *http.Request {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// digestAuth answers a Digest challenge the way a browser does (RFC 7616,
// MD5, qop=auth), written independently of the lab's verifier.
func digestAuth(challenge, method, uri, user, pass string) string {
	params := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(challenge, "Digest "), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[k] = strings.Trim(v, `"`)
	}
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	ha1 := h(user + ":" + params["realm"] + ":" + pass)
	ha2 := h(method + ":" + uri)
	if params["qop"] == "" {
		return fmt.Sprintf(`Digest username=%q, realm=%q, nonce=%q, uri=%q, response=%q`,
			user, params["realm"], params["nonce"], uri, h(ha1+":"+params["nonce"]+":"+ha2))
	}
	cnonce, nc := "0a4f113b", "00000001"
	resp := h(ha1 + ":" + params["nonce"] + ":" + nc + ":" + cnonce + ":auth:" + ha2)
	return fmt.Sprintf(`Digest username=%q, realm=%q, nonce=%q, uri=%q, qop=auth, nc=%s, cnonce=%q, response=%q, opaque=%q, algorithm=MD5`,
		user, params["realm"], params["nonce"], uri, nc, cnonce, resp, params["opaque"])
}

// digestChallenge returns the Digest WWW-Authenticate value of a response.
func digestChallenge(h http.Header) string {
	for _, v := range h.Values("WWW-Authenticate") {
		if strings.HasPrefix(v, "Digest ") {
			return v
		}
	}
	return ""
}

// dial opens a TCP connection with the test deadline.
func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, testTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	return c, bufio.NewReader(c)
}

// readUntil reads until the text contains want, or fails the test.
func readUntil(t *testing.T, r *bufio.Reader, want string) string {
	t.Helper()
	var got []byte
	for !strings.Contains(string(got), want) {
		b, err := r.ReadByte()
		if err != nil {
			t.Fatalf("waiting for %q: %v; got %q", want, err, got)
		}
		got = append(got, b)
	}
	return string(got)
}
