package lab

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// These tests check from the outside that each hostile device really
// misbehaves, so a scanner test against the scenario means something.

func TestHostileScenarioShape(t *testing.T) {
	l := startLab(t, "hostile")
	well := 0
	for _, d := range l.Devices() {
		if !l.Misbehaving(d.ID) {
			well++
		}
	}
	if well < 5 || well == len(l.Devices()) {
		t.Errorf("%d of %d devices are well-behaved; want at least 5 and some hostile", well, len(l.Devices()))
	}
	if at := l.DecoyAddr(); !at.IsValid() || at.Addr() != dev(t, l, "router").Addr {
		t.Errorf("DecoyAddr() = %v, want on the router, the first well-behaved device", at)
	}
}

// searchRaw sends one unicast M-SEARCH and returns every datagram that
// arrives before quiet passes without one.
func searchRaw(t *testing.T, addr string, quiet time.Duration) [][]byte {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadBuffer(4 << 20)
	dst, _ := net.ResolveUDPAddr("udp4", addr)
	msg := "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n\r\n"
	if _, err := c.WriteTo([]byte(msg), dst); err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	buf := make([]byte, 70000)
	for {
		_ = c.SetReadDeadline(time.Now().Add(quiet))
		n, _, err := c.ReadFrom(buf)
		if err != nil {
			return out
		}
		out = append(out, bytes.Clone(buf[:n]))
	}
}

func locations(msgs [][]byte) []string {
	var out []string
	for _, m := range msgs {
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(m)), nil)
		if err == nil && resp.Header.Get("Location") != "" {
			out = append(out, resp.Header.Get("Location"))
		}
	}
	return out
}

func TestHostileSSDP(t *testing.T) {
	l := startLab(t, "hostile")
	cases := []struct {
		id    string
		check func(t *testing.T, msgs [][]byte)
	}{
		{"peer-location", func(t *testing.T, msgs [][]byte) {
			for _, loc := range locations(msgs) {
				if !strings.HasPrefix(loc, "http://"+l.DecoyAddr().String()+"/") {
					t.Errorf("LOCATION %q is not on the decoy %s", loc, l.DecoyAddr())
				}
			}
		}},
		{"public-location", func(t *testing.T, msgs [][]byte) {
			for _, loc := range locations(msgs) {
				if !strings.HasPrefix(loc, "http://203.0.113.7/") {
					t.Errorf("LOCATION %q is not on the public address", loc)
				}
			}
		}},
		{"flood-tv", func(t *testing.T, msgs [][]byte) {
			if len(msgs) < 1000 {
				t.Errorf("%d answers to one search; want a flood of thousands", len(msgs))
			}
		}},
		{"malformed-hub", func(t *testing.T, msgs [][]byte) {
			bad := 0
			for _, m := range msgs {
				if _, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(m)), nil); err != nil {
					bad++
				}
			}
			if bad < 5 {
				t.Errorf("%d of %d answers fail to parse; want most broken", bad, len(msgs))
			}
		}},
		{"text-camera", func(t *testing.T, msgs [][]byte) {
			if !bytes.Contains(bytes.Join(msgs, nil), []byte("\x1b]0;owned\x07")) || !bytes.Contains(bytes.Join(msgs, nil), []byte("\u202e")) {
				t.Errorf("no escape sequence or bidi override in SERVER")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			msgs := searchRaw(t, addrPort(dev(t, l, tc.id), "ssdp"), 300*time.Millisecond)
			if len(msgs) == 0 {
				t.Fatal("no answer")
			}
			tc.check(t, msgs)
		})
	}
}

func TestHostileDescriptions(t *testing.T) {
	l := startLab(t, "hostile")
	cases := []struct {
		id, path string
		check    func(t *testing.T, n int64, head string)
	}{
		{"huge-tv", "/smp_7_", func(t *testing.T, n int64, _ string) {
			if n < hugeXMLLen {
				t.Errorf("description is %d bytes; want at least %d", n, hugeXMLLen)
			}
		}},
		{"nested-speaker", "/xml/device_description.xml", func(t *testing.T, n int64, head string) {
			if !strings.Contains(head, "<!ENTITY lol9") || n < 2*nestDepth*3 {
				t.Errorf("description of %d bytes has no entity bomb or deep nesting", n)
			}
		}},
		{"malformed-hub", "/description.xml", func(t *testing.T, _ int64, head string) {
			if strings.HasSuffix(strings.TrimSpace(head), "</root>") || !strings.Contains(head, "\xff") {
				t.Errorf("description is well formed:\n%s", head)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			d := dev(t, l, tc.id)
			port := d.Port("upnp")
			if port == 0 {
				port = d.Port("http")
			}
			resp, err := client(t).Get("http://" + net.JoinHostPort(d.Addr.String(), strconv.Itoa(port)) + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			head := make([]byte, 64<<10)
			k, _ := io.ReadFull(resp.Body, head)
			rest, _ := io.Copy(io.Discard, resp.Body)
			tc.check(t, int64(k)+rest, string(head[:k]))
		})
	}
}

func TestHostileRedirectsReachDecoy(t *testing.T) {
	l := startLab(t, "hostile")
	// A careless client that follows redirects: what a scanner must not be.
	careless := &http.Client{Timeout: testTimeout}
	router := dev(t, l, "redirect-router")
	req := newReq(t, http.MethodGet, "http://"+addrPort(router, "http")+"/", nil)
	if _, err := careless.Do(req); err != nil {
		t.Fatalf("unauthenticated GET: %v", err)
	}
	if conns, _ := l.DecoyHits(); conns != 0 {
		t.Fatalf("the decoy was reached without a login attempt (%d)", conns)
	}
	req = newReq(t, http.MethodGet, "http://"+addrPort(router, "http")+"/", nil)
	req.SetBasicAuth("admin", "admin")
	if _, err := careless.Do(req); err != nil {
		t.Fatalf("GET with a login: %v", err)
	}
	dvr := dev(t, l, "redirect-dvr")
	req = newReq(t, http.MethodPost, "http://"+addrPort(dvr, "http")+"/Login.htm", url.Values{"username": {"admin"}, "password": {"secret"}})
	if _, err := careless.Do(req); err != nil {
		t.Fatalf("POST login: %v", err)
	}
	if conns, creds := l.DecoyHits(); conns != 2 || creds != 1 {
		t.Errorf("decoy hits = %d connections, %d with credentials; want 2 and 1 (the 307 carries the form)", conns, creds)
	}
}

func TestHostileMDNS(t *testing.T) {
	l := startLab(t, "hostile")
	d := dev(t, l, "malformed-hub")
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	name, _ := dnsmessage.NewName("_hue._tcp.local.")
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: 7})
	_ = b.StartQuestions()
	_ = b.Question(dnsmessage.Question{Name: name, Type: dnsmessage.TypePTR, Class: dnsmessage.ClassINET})
	q, _ := b.Finish()
	dst, _ := net.ResolveUDPAddr("udp4", addrPort(d, "mdns"))
	if _, err := c.WriteTo(q, dst); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 9000)
	bad, total := 0, 0
	for {
		_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, _, err := c.ReadFrom(buf)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		total++
		var m dnsmessage.Message
		if m.Unpack(buf[:n]) != nil {
			bad++
		}
	}
	if total == 0 || bad != total {
		t.Errorf("%d of %d answers fail to unpack; want all broken", bad, total)
	}
}

func TestHostileText(t *testing.T) {
	l := startLab(t, "hostile")
	cam := dev(t, l, "text-camera")
	_, r := dial(t, addrPort(cam, "telnet"))
	banner := readUntil(t, r, "login: ")
	for _, want := range []string{"\x1b[2J", "\u202e", "\u009b", strings.Repeat("long-", 100)} {
		if !strings.Contains(banner, want) {
			t.Errorf("telnet banner lacks %q", want)
		}
	}
	// Raw HTTP: Go's client refuses a header with control characters (as a
	// scanner must not, so it falls back to reading the bytes itself).
	hc, hr := dial(t, addrPort(cam, "http"))
	if _, err := io.WriteString(hc, "GET / HTTP/1.0\r\nHost: camera\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	head := readUntil(t, hr, "\r\n\r\n")
	if !strings.Contains(head, "Server: \x1b]0;owned\x07") || !strings.Contains(head, "\u202e") || len(head) < longPad {
		t.Errorf("HTTP head %q... has no escapes, bidi override or padding", head[:min(len(head), 60)])
	}
}
