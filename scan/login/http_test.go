package login

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
)

// device is a real HTTP server on 127.0.0.1 with a password-protected page.
type device struct {
	srv        *httptest.Server
	withAuth   atomic.Int32 // requests that carried an Authorization header
	without    atomic.Int32
	concurrent atomic.Int32
}

func (d *device) port() int { return d.srv.Listener.Addr().(*net.TCPAddr).Port }

func newDevice(t *testing.T, h func(d *device, w http.ResponseWriter, r *http.Request)) *device {
	t.Helper()
	d := &device{}
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.concurrent.Add(1) > 1 {
			t.Errorf("two requests at once to one device")
		}
		defer d.concurrent.Add(-1)
		if r.Header.Get("Authorization") != "" {
			d.withAuth.Add(1)
		} else {
			d.without.Add(1)
		}
		h(d, w, r)
	}))
	t.Cleanup(d.srv.Close)
	return d
}

// counter is another host's web server that counts every request it gets.
func counter(t *testing.T) (url string, hits *atomic.Int32) {
	t.Helper()
	hits = new(atomic.Int32)
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("Status"))
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/", hits
}

const archerRealm = `Basic realm="TP-LINK Wireless Dual Band Gigabit Router Archer C7"`

func basicRouter(d *device, w http.ResponseWriter, r *http.Request) {
	if u, p, ok := r.BasicAuth(); ok && u == "admin" && p == "admin" {
		w.Write([]byte("<title>Archer C7</title> Status"))
		return
	}
	w.Header().Set("WWW-Authenticate", archerRealm)
	w.WriteHeader(http.StatusUnauthorized)
}

func TestHTTPBasic(t *testing.T) {
	other, hits := counter(t)
	tests := []struct {
		name         string
		handler      func(d *device, w http.ResponseWriter, r *http.Request)
		identify     string
		success      string
		creds        []Cred
		wantAccepted int
		wantAttempts int
		wantDemanded bool
	}{
		{name: "stops at first success", handler: basicRouter, identify: "Archer", success: "Status",
			creds: creds("admin/1234", "admin/admin", "root/root"), wantAccepted: 1, wantAttempts: 2, wantDemanded: true},
		{name: "at most six tries", handler: basicRouter,
			creds: creds("a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7", "a/8", "admin/admin"), wantAccepted: -1, wantAttempts: 6, wantDemanded: true},
		{name: "other maker's device gets nothing", handler: basicRouter, identify: "Hikvision|App-webs",
			creds: creds("admin/admin"), wantAccepted: -1, wantAttempts: 0, wantDemanded: true},
		{name: "page that never asked gets nothing", handler: func(d *device, w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<form><input type=password></form>"))
		}, creds: creds("admin/admin"), wantAccepted: -1, wantAttempts: 0},
		{name: "redirect after login is not success and not followed", handler: func(d *device, w http.ResponseWriter, r *http.Request) {
			if _, _, ok := r.BasicAuth(); ok {
				http.Redirect(w, r, other, http.StatusFound)
				return
			}
			w.Header().Set("WWW-Authenticate", archerRealm)
			w.WriteHeader(http.StatusUnauthorized)
		}, creds: creds("admin/admin", "admin/password"), wantAccepted: -1, wantAttempts: 2, wantDemanded: true},
		{name: "redirect before login gets nothing", handler: func(d *device, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other, http.StatusFound)
		}, creds: creds("admin/admin"), wantAccepted: -1, wantAttempts: 0},
		{name: "200 without the success signal is not success", handler: func(d *device, w http.ResponseWriter, r *http.Request) {
			if _, _, ok := r.BasicAuth(); ok {
				w.Write([]byte("<title>Login</title> please log in"))
				return
			}
			w.Header().Set("WWW-Authenticate", archerRealm)
			w.WriteHeader(http.StatusUnauthorized)
		}, success: "Status", creds: creds("admin/admin"), wantAccepted: -1, wantAttempts: 1, wantDemanded: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDevice(t, tt.handler)
			target := Target{Port: d.port(), Identify: re(tt.identify), Success: re(tt.success)}
			res, err := HTTP(t.Context(), newGate(t), target, tt.creds)
			if err != nil {
				t.Fatal(err)
			}
			if res.Accepted != tt.wantAccepted || res.Attempts != tt.wantAttempts || res.Demanded != tt.wantDemanded {
				t.Errorf("HTTP() = accepted %d, attempts %d, demanded %v; want %d, %d, %v",
					res.Accepted, res.Attempts, res.Demanded, tt.wantAccepted, tt.wantAttempts, tt.wantDemanded)
			}
			if got := int(d.withAuth.Load()); got != tt.wantAttempts {
				t.Errorf("device saw %d requests with credentials, want %d", got, tt.wantAttempts)
			}
		})
	}
	if hits.Load() != 0 {
		t.Errorf("another host got %d requests", hits.Load())
	}
}

func re(s string) *regexp.Regexp {
	if s == "" {
		return nil
	}
	return regexp.MustCompile(s)
}

// TestDigestRFC7616 checks the response computation against the worked
// examples in RFC 7616 section 3.9.1.
func TestDigestRFC7616(t *testing.T) {
	for _, tt := range []struct{ alg, want string }{
		{"MD5", "8ca523f5e9506fed4657c9700eebdbec"},
		{"SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
	} {
		t.Run(tt.alg, func(t *testing.T) {
			hdr := `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=` + tt.alg +
				`, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
			d := pickDigest(ParseChallenges([]string{hdr}))
			if d == nil {
				t.Fatalf("no digest challenge in %q", hdr)
			}
			got := d.answer("GET", "/dir/index.html", Cred{"Mufasa", "Circle of Life"}, "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
			params := ParseChallenges([]string{got})[0].Params
			if params["response"] != tt.want {
				t.Errorf("response = %q, want %q (header %s)", params["response"], tt.want, got)
			}
		})
	}
}

// digestCamera verifies Digest answers the way a camera would, with its
// own (test-side) computation; the password is 12345.
func digestCamera(alg string, newHash func() hash.Hash) func(d *device, w http.ResponseWriter, r *http.Request) {
	h := func(s string) string { x := newHash(); x.Write([]byte(s)); return hex.EncodeToString(x.Sum(nil)) }
	var nonce atomic.Int32
	return func(d *device, w http.ResponseWriter, r *http.Request) {
		if cs := ParseChallenges(r.Header.Values("Authorization")); len(cs) == 1 && cs[0].Scheme == "digest" {
			p := cs[0].Params
			ha1 := h(p["username"] + ":" + p["realm"] + ":12345")
			want := h(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":" + p["qop"] + ":" + h(r.Method+":"+p["uri"]))
			if p["response"] == want && p["nonce"] == "n"+strconv.Itoa(int(nonce.Load())) && p["uri"] == r.URL.RequestURI() {
				w.Write([]byte("<DeviceInfo><model>DS-2CD2042WD-I</model></DeviceInfo>"))
				return
			}
		}
		w.Header().Set("Server", "App-webs/")
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Digest qop="auth", realm="DS-2CD2042WD-I", nonce="n%d", algorithm=%s, stale="FALSE"`, nonce.Add(1), alg))
		w.Header().Add("WWW-Authenticate", `Basic realm="DS-2CD2042WD-I"`)
		w.WriteHeader(http.StatusUnauthorized)
	}
}

func TestHTTPDigest(t *testing.T) {
	for _, tt := range []struct {
		alg     string
		newHash func() hash.Hash
	}{{"MD5", md5.New}, {"SHA-256", sha256.New}} {
		t.Run(tt.alg, func(t *testing.T) {
			d := newDevice(t, digestCamera(tt.alg, tt.newHash))
			target := Target{Port: d.port(), Path: "/ISAPI/System/deviceInfo", Identify: re("App-webs"), Success: re("<DeviceInfo")}
			res, err := HTTP(t.Context(), newGate(t), target, creds("admin/admin", "admin/12345"))
			if err != nil {
				t.Fatal(err)
			}
			if res.Accepted != 1 || res.Attempts != 2 || d.withAuth.Load() != 2 {
				t.Errorf("accepted %d after %d attempts (device saw %d), want 1 after 2", res.Accepted, res.Attempts, d.withAuth.Load())
			}
		})
	}
}

func TestHTTPOpen(t *testing.T) {
	tests := []struct {
		name         string
		handler      func(d *device, w http.ResponseWriter, r *http.Request)
		success      string
		wantOpen     bool
		wantDemanded bool
	}{
		{"shelly settings open", func(d *device, w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"device":{"type":"SHPLG-S"},"login":{"enabled":false}}`))
		}, `"login":\{"enabled":false`, true, false},
		{"login enabled", basicRouter, `"login"`, false, true},
		{"public page without the admin signal", func(d *device, w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<title>Welcome</title>`))
		}, `"login"`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDevice(t, tt.handler)
			res, err := HTTPOpen(t.Context(), newGate(t), Target{Port: d.port(), Path: "/settings", Success: re(tt.success)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Open != tt.wantOpen || res.Demanded != tt.wantDemanded || res.Attempts != 0 || d.withAuth.Load() != 0 {
				t.Errorf("HTTPOpen() = open %v, demanded %v, attempts %d; want %v, %v, 0", res.Open, res.Demanded, res.Attempts, tt.wantOpen, tt.wantDemanded)
			}
		})
	}
}

func formDevice(acceptAny bool) func(d *device, w http.ResponseWriter, r *http.Request) {
	return func(d *device, w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/login" {
			r.ParseForm()
			if acceptAny || (r.PostForm.Get("username") == "admin" && r.PostForm.Get("pwd") == "") {
				w.Write([]byte("<title>WD My Cloud</title><div id=dashboard>Welcome</div>"))
				return
			}
		}
		w.Write([]byte(`<title>WD My Cloud</title><form method=post><input name=username><input type="password" name=pwd></form>`))
	}
}

func TestHTTPForm(t *testing.T) {
	form := &Form{UserField: "username", PassField: "pwd"}
	tests := []struct {
		name         string
		handler      func(d *device, w http.ResponseWriter, r *http.Request)
		creds        []Cred
		wantAccepted int
		wantAttempts int
	}{
		{"blank admin password accepted", formDevice(false), creds("admin/password", "admin/"), 1, 3},
		{"a page that welcomes anyone proves nothing", formDevice(true), creds("admin/"), -1, 2},
		{"at most six posts", formDevice(false), creds("a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7"), -1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDevice(t, tt.handler)
			target := Target{Port: d.port(), Path: "/login", Form: form, Success: re(`id=dashboard`), Identify: re("My Cloud")}
			res, err := HTTPForm(t.Context(), newGate(t), target, tt.creds)
			if err != nil {
				t.Fatal(err)
			}
			if res.Accepted != tt.wantAccepted || res.Attempts != tt.wantAttempts {
				t.Errorf("HTTPForm() = accepted %d after %d attempts, want %d after %d", res.Accepted, res.Attempts, tt.wantAccepted, tt.wantAttempts)
			}
			if posts := int(d.without.Load()) - 1; posts != tt.wantAttempts {
				t.Errorf("device saw %d posts, want %d", posts, tt.wantAttempts)
			}
		})
	}
}

func TestHTTPFormNeedsSuccessSignal(t *testing.T) {
	d := newDevice(t, formDevice(false))
	_, err := HTTPForm(t.Context(), newGate(t), Target{Port: d.port(), Form: &Form{UserField: "u", PassField: "p"}}, creds("admin/"))
	if err == nil || d.without.Load() != 0 {
		t.Errorf("HTTPForm without Success = %v after %d requests, want an error and no request", err, d.without.Load())
	}
}
