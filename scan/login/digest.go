package login

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
)

// Challenge is one WWW-Authenticate challenge: a scheme and its parameters.
type Challenge struct {
	Scheme string            // lower-cased: "basic", "digest", ...
	Params map[string]string // keys lower-cased
}

// maxChallenges caps what one header may make us parse.
const maxChallenges = 8

// ParseChallenges reads the challenges in WWW-Authenticate header values
// (RFC 9110 section 11.6.1): "Digest realm="x", nonce="y", Basic realm="x"".
// Malformed input ends the parse; what was read so far is returned.
func ParseChallenges(values []string) []Challenge {
	var out []Challenge
	for _, v := range values {
		if len(v) > 4096 {
			v = v[:4096]
		}
		p := &authParser{s: v}
		for len(out) < maxChallenges {
			c, ok := p.challenge()
			if !ok {
				break
			}
			out = append(out, c)
		}
	}
	return out
}

type authParser struct {
	s string
	i int
}

func (p *authParser) skip(chars string) {
	for p.i < len(p.s) && strings.IndexByte(chars, p.s[p.i]) >= 0 {
		p.i++
	}
}

func isTokenChar(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, rune(c))
}

func (p *authParser) token() string {
	start := p.i
	for p.i < len(p.s) && isTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *authParser) quoted() (string, bool) {
	var b strings.Builder
	for p.i++; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case '"':
			p.i++
			return b.String(), true
		case '\\':
			if p.i+1 < len(p.s) {
				p.i++
				b.WriteByte(p.s[p.i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), false
}

// challenge reads one scheme and its parameters, stopping before the next scheme.
func (p *authParser) challenge() (Challenge, bool) {
	p.skip(" \t,")
	scheme := p.token()
	if scheme == "" {
		return Challenge{}, false
	}
	c := Challenge{Scheme: strings.ToLower(scheme), Params: map[string]string{}}
	for {
		p.skip(" \t,")
		save := p.i
		key := p.token()
		p.skip(" \t")
		if key == "" || p.i >= len(p.s) || p.s[p.i] != '=' {
			p.i = save // the next scheme, or the end
			return c, true
		}
		p.i++
		p.skip(" \t")
		var val string
		if p.i < len(p.s) && p.s[p.i] == '"' {
			var ok bool
			if val, ok = p.quoted(); !ok {
				c.Params[strings.ToLower(key)] = val
				return c, true
			}
		} else {
			val = p.token()
			for p.i < len(p.s) && p.s[p.i] == '=' { // token68 padding
				p.i++
			}
		}
		c.Params[strings.ToLower(key)] = val
		if len(c.Params) > 32 {
			return c, true
		}
	}
}

// find returns the first challenge with the scheme, or nil.
func find(cs []Challenge, scheme string) *Challenge {
	for i := range cs {
		if cs[i].Scheme == scheme {
			return &cs[i]
		}
	}
	return nil
}

// digest computes RFC 7616 Authorization values for one challenge. It
// supports MD5 and SHA-256 (and their -sess forms), with qop "auth" or the
// RFC 2069 form without qop.
type digest struct {
	ch Challenge
	nc int
}

// pickDigest returns the strongest Digest challenge we can answer, or nil.
func pickDigest(cs []Challenge) *digest {
	var best *digest
	for _, c := range cs {
		if c.Scheme != "digest" || c.Params["nonce"] == "" {
			continue
		}
		if _, ok := digestHash(c.Params["algorithm"]); !ok {
			continue
		}
		if q, ok := c.Params["qop"]; ok && !hasToken(q, "auth") {
			continue
		}
		if best == nil || strings.HasPrefix(strings.ToUpper(c.Params["algorithm"]), "SHA-256") {
			best = &digest{ch: c}
		}
	}
	return best
}

func digestHash(alg string) (func() hash.Hash, bool) {
	switch strings.ToUpper(alg) {
	case "", "MD5", "MD5-SESS":
		return md5.New, true
	case "SHA-256", "SHA-256-SESS":
		return sha256.New, true
	}
	return nil, false
}

func hasToken(list, tok string) bool {
	for f := range strings.SplitSeq(list, ",") {
		if strings.EqualFold(strings.TrimSpace(f), tok) {
			return true
		}
	}
	return false
}

// authorization answers the challenge for method and uri.
func (d *digest) authorization(method, uri string, c Cred) string {
	d.nc++
	return d.answer(method, uri, c, fmt.Sprintf("%08x", d.nc), newCnonce())
}

func (d *digest) answer(method, uri string, c Cred, nc, cnonce string) string {
	p := d.ch.Params
	newHash, _ := digestHash(p["algorithm"])
	h := func(s string) string {
		x := newHash()
		x.Write([]byte(s))
		return hex.EncodeToString(x.Sum(nil))
	}
	ha1 := h(c.User + ":" + p["realm"] + ":" + c.Pass)
	if strings.HasSuffix(strings.ToUpper(p["algorithm"]), "-SESS") {
		ha1 = h(ha1 + ":" + p["nonce"] + ":" + cnonce)
	}
	ha2 := h(method + ":" + uri)
	fields := []string{
		kv("username", c.User), kv("realm", p["realm"]), kv("nonce", p["nonce"]), kv("uri", uri),
	}
	var resp string
	if _, ok := p["qop"]; ok {
		resp = h(ha1 + ":" + p["nonce"] + ":" + nc + ":" + cnonce + ":auth:" + ha2)
		fields = append(fields, "qop=auth", "nc="+nc, kv("cnonce", cnonce))
	} else {
		resp = h(ha1 + ":" + p["nonce"] + ":" + ha2)
	}
	fields = append(fields, kv("response", resp))
	if alg := p["algorithm"]; alg != "" {
		fields = append(fields, "algorithm="+alg)
	}
	if op, ok := p["opaque"]; ok {
		fields = append(fields, kv("opaque", op))
	}
	return "Digest " + strings.Join(fields, ", ")
}

// kv quotes a parameter. Control bytes are dropped: values come from the
// device, and a CR or LF must never split our request.
func kv(k, v string) string {
	v = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	return k + `="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

func newCnonce() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
