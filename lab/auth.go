package lab

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Auth schemes an admin page can use.
const (
	authNone   = "none"   // admin page open to anyone (Shelly out of the box)
	authBasic  = "basic"  // RFC 7617
	authDigest = "digest" // RFC 7616, MD5, qop=auth
	authBoth   = "digest+basic"
	authForm   = "form" // HTML form, then a session cookie
)

// nonceLife is how long a Digest nonce stays valid; long enough for a slow
// classroom, short enough that a captured one soon expires.
const nonceLife = 10 * time.Minute

// authKeys signs Digest nonces and session tokens, so the lab keeps no
// per-client state for them beyond the sessions map.
type authKeys struct {
	key []byte

	mu       sync.Mutex        // guards sessions
	sessions map[string]string // session token -> user
}

func newAuthKeys() *authKeys {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return &authKeys{key: k, sessions: map[string]string{}}
}

// nonce makes a Digest nonce: a timestamp and its HMAC, base64.
func (k *authKeys) nonce(now time.Time) string {
	var b [8 + 16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.Unix()))
	m := hmac.New(sha256.New, k.key)
	m.Write(b[:8])
	copy(b[8:], m.Sum(nil))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// validNonce checks a nonce's signature and age.
func (k *authKeys) validNonce(n string, now time.Time) bool {
	b, err := base64.RawURLEncoding.DecodeString(n)
	if err != nil || len(b) != 24 {
		return false
	}
	m := hmac.New(sha256.New, k.key)
	m.Write(b[:8])
	if !hmac.Equal(m.Sum(nil)[:16], b[8:]) {
		return false
	}
	age := now.Sub(time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0))
	return age >= -time.Minute && age < nonceLife
}

// newSession records a logged-in user and returns the cookie value.
func (k *authKeys) newSession(user string) string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	k.mu.Lock()
	k.sessions[tok] = user
	k.mu.Unlock()
	return tok
}

func (k *authKeys) session(tok string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	u, ok := k.sessions[tok]
	return u, ok
}

// dropSessions forgets every session of user except keep (after a password
// change, other logged-in browsers must log in again).
func (k *authKeys) dropSessions(user, keep string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for t, u := range k.sessions {
		if u == user && t != keep {
			delete(k.sessions, t)
		}
	}
}

// challenges are the WWW-Authenticate values for a scheme.
func challenges(scheme, realm, nonce string) []string {
	basic := fmt.Sprintf("Basic realm=%q", realm)
	digest := fmt.Sprintf("Digest realm=%q, qop=\"auth\", nonce=%q, opaque=%q, algorithm=MD5, stale=FALSE",
		realm, nonce, md5Hex(realm)[:16])
	switch scheme {
	case authBasic:
		return []string{basic}
	case authDigest:
		return []string{digest}
	case authBoth:
		return []string{digest, basic}
	}
	return nil
}

// credentials are what a request's Authorization header claims.
type credentials struct {
	scheme string // basic or digest
	user   string
	pass   string            // basic only
	params map[string]string // digest only
}

// parseAuthorization reads a Basic or Digest Authorization header. It never
// fails loudly: anything it cannot read is simply not a credential.
func parseAuthorization(h string) (credentials, bool) {
	if len(h) > 4096 {
		return credentials{}, false
	}
	scheme, rest, _ := strings.Cut(h, " ")
	switch strings.ToLower(scheme) {
	case "basic":
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if err != nil {
			return credentials{}, false
		}
		u, p, ok := strings.Cut(string(b), ":")
		return credentials{scheme: authBasic, user: u, pass: p}, ok
	case "digest":
		params := parseParams(rest)
		if params["username"] == "" || params["response"] == "" {
			return credentials{}, false
		}
		return credentials{scheme: authDigest, user: params["username"], params: params}, true
	}
	return credentials{}, false
}

// parseParams splits `k=v, k="quoted, v"` auth parameters (RFC 7235 §2.1).
func parseParams(s string) map[string]string {
	out := map[string]string{}
	for len(out) < 32 {
		s = strings.TrimLeft(s, " \t,")
		k, rest, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return out
		}
		k = strings.ToLower(strings.TrimSpace(k))
		var v string
		if strings.HasPrefix(rest, `"`) {
			v, rest = unquote(rest[1:])
		} else {
			v, rest, _ = strings.Cut(rest, ",")
			v = strings.TrimSpace(v)
		}
		out[k] = v
		s = rest
	}
	return out
}

// unquote reads a quoted-string body up to its closing quote, honouring
// backslash escapes, and returns it with the text after the quote.
func unquote(s string) (string, string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// checkDigest verifies an RFC 7616 MD5 qop=auth response against password.
func checkDigest(c credentials, method, realm, password string) bool {
	p := c.params
	if p["realm"] != realm || (p["algorithm"] != "" && !strings.EqualFold(p["algorithm"], "MD5")) {
		return false
	}
	ha1 := md5Hex(c.user + ":" + realm + ":" + password)
	ha2 := md5Hex(method + ":" + p["uri"])
	var want string
	if p["qop"] == "auth" {
		want = md5Hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	} else {
		want = md5Hex(ha1 + ":" + p["nonce"] + ":" + ha2) // RFC 2069 clients
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(p["response"]))) == 1
}

func md5Sum(s string) [16]byte { return md5.Sum([]byte(s)) }

func md5Hex(s string) string {
	h := md5Sum(s)
	return hex.EncodeToString(h[:])
}

// authorize checks a request against d's accounts for service, using scheme.
// It returns the user on success.
func (d *device) authorize(r *http.Request, service, scheme, realm string, keys *authKeys) (string, bool) {
	return d.authorizeHeader(r.Header.Get("Authorization"), r.Method, service, scheme, realm, keys)
}

// authorizeHeader checks an Authorization header value (HTTP or RTSP).
func (d *device) authorizeHeader(h, method, service, scheme, realm string, keys *authKeys) (string, bool) {
	c, ok := parseAuthorization(h)
	if !ok {
		return "", false
	}
	switch {
	case c.scheme == authBasic && (scheme == authBasic || scheme == authBoth):
		return c.user, d.checkLogin(service, c.user, c.pass)
	case c.scheme == authDigest && (scheme == authDigest || scheme == authBoth):
		if !keys.validNonce(c.params["nonce"], time.Now()) {
			return "", false
		}
		pw, ok := d.password(service, c.user)
		return c.user, ok && checkDigest(c, method, realm, pw)
	}
	return "", false
}
