package login

import (
	"bufio"
	"strings"
	"testing"
)

func FuzzParseChallenges(f *testing.F) {
	f.Add(`Digest qop="auth", realm="DS-2CD2042WD-I", nonce="4e6a45", stale="FALSE", Basic realm="x"`)
	f.Add(`Basic realm="TP-LINK Wireless Dual Band Gigabit Router Archer C7"`)
	f.Add(`Digest realm="a\"b", nonce=abc==, algorithm=SHA-256-sess, qop="auth,auth-int"`)
	f.Add(`Negotiate YII=, NTLM`)
	f.Fuzz(func(t *testing.T, h string) {
		cs := ParseChallenges([]string{h})
		if len(cs) > maxChallenges {
			t.Fatalf("%d challenges from one header", len(cs))
		}
		for _, c := range cs {
			if c.Scheme == "" || c.Scheme != strings.ToLower(c.Scheme) || len(c.Params) > 33 {
				t.Fatalf("bad challenge %+v", c)
			}
		}
		if d := pickDigest(cs); d != nil {
			a := d.authorization("GET", "/", Cred{"admin", "12345"})
			if strings.ContainsAny(a, "\r\n\x00") {
				t.Fatalf("authorization carries control bytes: %q", a)
			}
		}
	})
}

func FuzzReadFTPReply(f *testing.F) {
	f.Add("220-Welcome\r\n220 ready\r\n")
	f.Add("530 Login incorrect\r\n")
	f.Add("230-a\r\nb\r\n230 c")
	f.Fuzz(func(t *testing.T, in string) {
		code, text, err := ReadFTPReply(bufio.NewReader(strings.NewReader(in)))
		if err == nil && (code < 100 || code > 599) {
			t.Fatalf("code %d without an error", code)
		}
		if len(text) > maxReplyLines*(1024+1) {
			t.Fatalf("reply text of %d bytes", len(text))
		}
	})
}

func FuzzReadRTSPResponse(f *testing.F) {
	f.Add("RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm=\"IP Camera\", nonce=\"1\"\r\n\r\n")
	f.Add("RTSP/1.0 200 OK\r\n\r\n")
	f.Add("HTTP/1.1 200 OK\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ReadRTSPResponse(strings.NewReader(in))
		if err == nil && (r.Status < 100 || r.Status > 999) {
			t.Fatalf("status %d without an error", r.Status)
		}
	})
}

func FuzzParseConnack(f *testing.F) {
	f.Add([]byte{0x20, 2, 0, 0})
	f.Add([]byte{0x20, 2, 0, 5})
	f.Fuzz(func(t *testing.T, in []byte) {
		rc, err := ParseConnack(in)
		if err == nil && (len(in) < 4 || rc != int(in[3])) {
			t.Fatalf("ParseConnack(% x) = %d", in, rc)
		}
	})
}
