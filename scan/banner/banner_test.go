package banner

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/telnet"
)

var lo = netip.MustParseAddr("127.0.0.1")

// serve runs handle for every connection to a fresh loopback listener and
// returns its port. The listener and handlers stop with the test.
func serve(t *testing.T, handle func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			handle(c)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().(*net.TCPAddr).Port
}

func httpPort(t *testing.T, h http.Handler) int {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().(*net.TCPAddr).Port
}

func TestProbeHTTP(t *testing.T) {
	var elsewhere atomic.Int32
	other := httpPort(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "App-webs/\x1b[2J")
		w.Header().Add("WWW-Authenticate", `Basic realm="TP-LINK Wireless Dual Band Gigabit Router Archer C7"`)
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "<html><title>401 Unauthorized</title></html>")
	})
	mux.HandleFunc("/shelly", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"type":"SHSW-25","fw":"20210115-102725/v1.9.4@e2732e05"}`)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+strconv.Itoa(other)+"/steal", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("A"), 1<<20))
	})
	port := httpPort(t, mux)
	res := ProbeAs(t.Context(), lo, port, "http", Config{Paths: []string{"/shelly", "/away", "/big", "/missing"}})
	want := Result{Port: port, Protocol: "http", Server: "App-webs/", Banner: "App-webs/", Auth: "basic",
		Realm: "TP-LINK Wireless Dual Band Gigabit Router Archer C7", Title: "401 Unauthorized"}
	got := res
	got.Bodies = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ProbeAs(http) = %+v\nwant %+v", got, want)
	}
	if !strings.Contains(res.Bodies["/shelly"], "v1.9.4") {
		t.Errorf("Bodies[/shelly] = %q, want the JSON", res.Bodies["/shelly"])
	}
	if _, ok := res.Bodies["/missing"]; ok {
		t.Error("a 404 path was kept")
	}
	if len(res.Bodies["/big"]) > keepBody {
		t.Errorf("Bodies[/big] is %d bytes, over the %d cap", len(res.Bodies["/big"]), keepBody)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("a redirect to another address was followed %d times", n)
	}
}

func TestProbeHTTPForm(t *testing.T) {
	port := httpPort(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<title>WD My Cloud</title><form><input name=u><input type="password" name=p></form>`)
	}))
	res := ProbeAs(t.Context(), lo, port, "http", Config{})
	if res.Auth != "form" || res.Title != "WD My Cloud" {
		t.Errorf("form page: auth %q title %q, want form, WD My Cloud", res.Auth, res.Title)
	}
}

func TestParseWWWAuthenticate(t *testing.T) {
	tests := []struct {
		name          string
		in            []string
		scheme, realm string
	}{
		{"basic", []string{`Basic realm="Archer C7"`}, "basic", "Archer C7"},
		{"digest preferred", []string{`Basic realm="a"`, `Digest realm="IP Camera", qop="auth", nonce="x"`}, "digest", "IP Camera"},
		{"realm not first", []string{`Digest qop="auth", realm="DS-2CD2042WD-I"`}, "digest", "DS-2CD2042WD-I"},
		{"escaped quote", []string{`Basic realm="say \"hi\""`}, "basic", `say "hi"`},
		{"unquoted", []string{`Basic realm=router`}, "basic", "router"},
		{"escape in realm", []string{"Basic realm=\"\x1b]0;x\x07evil\""}, "basic", "evil"},
		{"no realm", []string{`Bearer`}, "bearer", ""},
		{"garbage", []string{`="`, ``}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, r := ParseWWWAuthenticate(tt.in)
			if s != tt.scheme || r != tt.realm {
				t.Errorf("ParseWWWAuthenticate(%q) = %q, %q, want %q, %q", tt.in, s, r, tt.scheme, tt.realm)
			}
		})
	}
}

// TestProbeTelnet talks to a one-session telnet server (as many cameras
// are) on its own port and on a port that names no protocol: one connection
// each, options refused, the greeting read up to its prompt.
func TestProbeTelnet(t *testing.T) {
	for _, tt := range []struct{ name, protocol string }{{"telnet port", "telnet"}, {"unknown port", ""}} {
		t.Run(tt.name, func(t *testing.T) {
			replies := make(chan []byte, 2)
			var conns atomic.Int32
			port := serve(t, func(c net.Conn) {
				conns.Add(1)
				c.Write([]byte{telnet.IAC, telnet.WILL, 1, telnet.IAC, telnet.DO, 31, telnet.IAC, telnet.SB, 24, 1, telnet.IAC, telnet.SE})
				got := make([]byte, 6)
				io.ReadFull(c, got)
				replies <- got
				io.WriteString(c, "\r\nBusyBox on (none)\r\n\x1b[1m(none) login: ")
				io.ReadAll(c) // hold the line until the prober hangs up
			})
			res := ProbeAs(t.Context(), lo, port, tt.protocol, Config{ReadTimeout: 2 * time.Second})
			if res.Protocol != "telnet" || res.Auth != "prompt" || res.Banner != "BusyBox on (none) (none) login:" {
				t.Errorf("telnet = %+v", res)
			}
			want := []byte{telnet.IAC, telnet.DONT, 1, telnet.IAC, telnet.WONT, 31}
			if got := <-replies; !bytes.Equal(got, want) {
				t.Errorf("telnet replies = %v, want refusals %v", got, want)
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("%d connections, want 1", n)
			}
		})
	}
}

func TestProbeGreetings(t *testing.T) {
	tests := []struct {
		name     string
		protocol string
		greet    string
		want     Result
	}{
		{"ssh", "ssh", "SSH-2.0-dropbear_2019.78\r\n", Result{Protocol: "ssh", Banner: "SSH-2.0-dropbear_2019.78"}},
		{"ssh after lines", "", "hello\r\nSSH-2.0-OpenSSH_8.4\r\n", Result{Protocol: "ssh", Banner: "SSH-2.0-OpenSSH_8.4"}},
		{"ftp multi-line", "ftp", "220-Welcome\r\n220 My Cloud FTP\r\n", Result{Protocol: "ftp", Banner: "Welcome My Cloud FTP", Auth: "prompt"}},
		{"unknown ftp", "", "220 (vsFTPd 3.0.3)\r\n", Result{Protocol: "ftp", Banner: "220 (vsFTPd 3.0.3)"}},
		{"silent", "", "", Result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := serve(t, func(c net.Conn) {
				io.WriteString(c, tt.greet)
				c.SetReadDeadline(time.Now().Add(time.Second))
				io.ReadAll(c)
			})
			got := ProbeAs(t.Context(), lo, port, tt.protocol, Config{ReadTimeout: 500 * time.Millisecond})
			tt.want.Port = port
			if got.Port != tt.want.Port || got.Protocol != tt.want.Protocol || got.Banner != tt.want.Banner || got.Auth != tt.want.Auth {
				t.Errorf("ProbeAs(%q) = %+v, want %+v", tt.protocol, got, tt.want)
			}
		})
	}
}

func TestProbeRTSP(t *testing.T) {
	port := serve(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for cseq := 1; cseq <= 2; cseq++ {
			var method string
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				if method == "" {
					method, _, _ = strings.Cut(line, " ")
				}
				if line == "\r\n" {
					break
				}
			}
			if method == "OPTIONS" {
				io.WriteString(c, "RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: HIK-RTSP/1.0\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n")
			} else {
				io.WriteString(c, "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm=\"IP Camera(C1234)\", nonce=\"abc\"\r\n\r\n")
			}
		}
	})
	res := ProbeAs(t.Context(), lo, port, "rtsp", Config{})
	if res.Protocol != "rtsp" || res.Server != "HIK-RTSP/1.0" || res.Auth != "digest" || res.Realm != "IP Camera(C1234)" {
		t.Errorf("rtsp = %+v", res)
	}
}

// ippResponse encodes a Get-Printer-Attributes answer as a printer sends it.
func ippResponse(attrs [][3]string) []byte {
	var b bytes.Buffer
	b.Write([]byte{1, 1, 0, 0, 0, 0, 0, 1, 0x01})
	ippAttr(&b, 0x47, "attributes-charset", "utf-8")
	b.WriteByte(0x04) // printer-attributes-tag
	for _, a := range attrs {
		tag := byte(0x41)
		if a[2] == "name" {
			tag = 0x42
		}
		ippAttr(&b, tag, a[0], a[1])
	}
	b.WriteByte(0x03)
	return b.Bytes()
}

func TestProbeIPP(t *testing.T) {
	var got []byte
	port := httpPort(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/ipp")
		w.Write(ippResponse([][3]string{
			{"printer-make-and-model", "HP OfficeJet Pro 9010 series", ""},
			{"printer-firmware-string-version", "2406048_\x1b[31m035563", ""},
			{"", "second", ""},
			{"printer-name", "HP9010", "name"},
		}))
	}))
	res := ProbeAs(t.Context(), lo, port, "ipp", Config{})
	if res.Protocol != "ipp" || res.MakeModel != "HP OfficeJet Pro 9010 series" || res.Firmware != "2406048_035563; second" || res.Name != "HP9010" {
		t.Errorf("ipp = %+v", res)
	}
	if len(got) < 9 || binary.BigEndian.Uint16(got[2:4]) != 0x000b {
		t.Errorf("request is not Get-Printer-Attributes: % x", got)
	}
}

func TestProbeBinaryPortsSendNothing(t *testing.T) {
	for _, proto := range []string{"mqtt", "cast", "kasa"} {
		res := ProbeAs(t.Context(), lo, 1, proto, Config{})
		if res.Protocol != proto {
			t.Errorf("ProbeAs(%s) = %+v", proto, res)
		}
	}
}

func FuzzParseWWWAuthenticate(f *testing.F) {
	f.Add(`Digest realm="IP Camera", qop="auth"`)
	f.Add(`Basic realm="a\"b`)
	f.Fuzz(func(t *testing.T, s string) {
		scheme, realm := ParseWWWAuthenticate([]string{s})
		if !clean.Safe(scheme) || !clean.Safe(realm) || len(realm) > clean.Short || len(scheme) > clean.Short {
			t.Fatalf("unsafe result %q %q", scheme, realm)
		}
	})
}

func FuzzTitle(f *testing.F) {
	f.Add([]byte("<title>Hi &amp; \x1b[0m</title>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if s := Title(b); !clean.Safe(s) || len(s) > clean.Long {
			t.Fatalf("Title = %q", s)
		}
	})
}

func FuzzClassifyGreeting(f *testing.F) {
	f.Add([]byte("SSH-2.0-dropbear\r\n"))
	f.Add([]byte("220 ftp\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, s := ClassifyGreeting(b)
		if !clean.Safe(s) || len(s) > clean.Long {
			t.Fatalf("greeting = %q", s)
		}
	})
}

func FuzzReadRTSPResponse(f *testing.F) {
	f.Add([]byte("RTSP/1.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"x\"\r\nContent-Length: 3\r\n\r\nabc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ReadRTSPResponse(bufio.NewReader(bytes.NewReader(b)))
	})
}

func FuzzParseIPPAttributes(f *testing.F) {
	f.Add(ippResponse([][3]string{{"printer-make-and-model", "HP", ""}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := ParseIPPAttributes(b)
		if len(m) > 256 {
			t.Fatalf("%d attributes", len(m))
		}
		for k, v := range m {
			if !clean.Safe(k) || !clean.Safe(v) || len(v) > clean.Short {
				t.Fatalf("unsafe %q=%q", k, v)
			}
		}
	})
}

func FuzzParseRawResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\x1b[2J\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n<title>t</title>"))
	f.Add([]byte("HTTP/1.0 200\n\nbody"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseRawResponse(b)
		if err == nil && (len(p.body) > maxBody || len(p.header) > 100) {
			t.Fatalf("caps exceeded: %d body, %d headers", len(p.body), len(p.header))
		}
	})
}
