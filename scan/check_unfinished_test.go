package scan

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hangingCam is the Acme camera's Basic login page, but a request with
// credentials gets no answer until the client gives up: a device that hangs
// (or a computer too busy to hear it). heard is closed at the first such
// request.
func hangingCam(t *testing.T) (Device, <-chan struct{}) {
	t.Helper()
	heard := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="AcmeCam"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		once.Do(func() { close(heard) })
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	srv.Config.SetKeepAlivesEnabled(false)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	return Device{Key: "cam", IP: "127.0.0.1", MakerID: "acme", ProductID: "cam", Type: "camera", Firmware: "V2.0.0 build 240101",
		Services: []Service{{Port: port, Protocol: "http", Auth: "basic", Realm: "AcmeCam"}}}, heard
}

// TestCheckCutShortIsNotAPass: a login test that never got its answer says
// nothing about the password. The device is not marked checked (history
// keys fixes on checked devices) and the PSTI line says why.
func TestCheckCutShortIsNotAPass(t *testing.T) {
	dev, heard := hangingCam(t)
	env, _ := testEnv(t, true)
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-heard; cancel() }()
	got := checkDevice(ctx, dev, env)
	if got.Checked {
		t.Error("Checked = true after a login test that did not finish")
	}
	if got.PSTI.Passwords != Unknown || !strings.HasPrefix(got.PSTI.Reasons["passwords"], couldNotFinish) {
		t.Errorf("PSTI passwords = %q (%q), want unknown, %q", got.PSTI.Passwords, got.PSTI.Reasons["passwords"], couldNotFinish)
	}
	if got.PSTI.Updates != Pass || got.Support.Until == "" {
		t.Errorf("the data checks still count: updates %q, support %+v", got.PSTI.Updates, got.Support)
	}
}

func TestRecheckCutShortIsAnError(t *testing.T) {
	dev, heard := hangingCam(t)
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-heard; cancel() }()
	port := dev.Services[0].Port
	before := dev
	got, err := Recheck(ctx, dev, Options{CheckPasswords: true, Catalog: testCatalog(t), Ports: []int{port}, LoginSpacing: time.Millisecond})
	if !errors.Is(err, ErrUnfinished) {
		t.Fatalf("Recheck = %v, want ErrUnfinished", err)
	}
	if got.Checked != before.Checked || len(got.Findings) != len(before.Findings) {
		t.Errorf("Recheck returned a changed device with its error: %+v", got)
	}
}

func TestCheckSecondRunKeepsTheAttemptLimit(t *testing.T) {
	tests := []struct {
		name      string
		spent     int
		wantSent  int32
		passwords string
	}{
		{"first run", 0, 1, Pass},
		{"every attempt already spent", 6, 0, Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cam := newAcmeCam(t, "a long new passphrase")
			dev := cam.device()
			env, _ := testEnv(t, true)
			env.spent = map[string]int{fmt.Sprintf("http:%d", dev.Services[0].Port): tt.spent}
			got, run := runChecks(t.Context(), dev, env)
			if n := cam.withAuth.Load(); n != tt.wantSent || got.PSTI.Passwords != tt.passwords {
				t.Errorf("sent %d credentials (passwords %q), want %d (%q)", n, got.PSTI.Passwords, tt.wantSent, tt.passwords)
			}
			if total := run.sent[serviceKeyOf(dev)]; total != tt.spent+int(tt.wantSent) {
				t.Errorf("run counts %d credentials on the service, want %d", total, tt.spent+int(tt.wantSent))
			}
		})
	}
}

func serviceKeyOf(d Device) string { return serviceKey(d.Services[0]) }

func TestCutShort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now())
	_, readErr := conn.Read(make([]byte, 1))
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"a read past its deadline", fmt.Errorf("http read from 127.0.0.1:80: %w", readErr), true},
		{"the scan's deadline", fmt.Errorf("login: %w", context.DeadlineExceeded), true},
		{"the scan stopped", context.Canceled, true},
		{"an os deadline", os.ErrDeadlineExceeded, true},
		{"refused: the service is gone, an answer", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, false},
		{"a protocol error", errors.New("login: no success signal"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutShort(tt.err); got != tt.want {
				t.Errorf("cutShort(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestLateEvidenceChecksAgain drives the merge loop's bookkeeping: evidence
// that changes a device's identity after its checks started earns one more
// run, and only one.
func TestLateEvidenceChecksAgain(t *testing.T) {
	ip := netip.MustParseAddr("127.0.0.9")
	out := make(chan Event, 256)
	opts, err := Options{Targets: []netip.Prefix{netip.PrefixFrom(ip, 32)}, Catalog: testCatalog(t)}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	s := newScanner(opts, out)
	s.mcastDone = true
	ctx := t.Context()
	web := evidence{ip: ip, source: "http", dev: Device{Services: []Service{{Port: 8080, Protocol: "http"}}}}
	s.handle(ctx, web)
	s.handle(ctx, evidence{ip: ip, hostDone: true})
	if len(s.queue) != 1 {
		t.Fatalf("queue %v after the host's probes ended, want the device", s.queue)
	}
	job := s.nextJob()
	s.started(job)
	st := s.devs[job.dev.Key]

	late := func(port int) {
		s.handle(ctx, evidence{ip: ip, source: "telnet", dev: Device{Services: []Service{{Port: port, Protocol: "telnet"}}}})
	}
	finish := func(unfinished ...string) {
		d := copyDevice(st.dev)
		d.Checked = len(unfinished) == 0
		s.handleCheck(ctx, checkMsg{key: st.dev.Key, dev: &d, run: checkRun{unfinished: unfinished}})
	}
	late(2323)
	if len(s.queue) != 0 {
		t.Fatalf("queued %v while its checks run; want it held until they end", s.queue)
	}
	finish()
	if len(s.queue) != 1 || st.runs != 1 {
		t.Fatalf("after checks that missed the telnet port: queue %v, runs %d; want one more run", s.queue, st.runs)
	}
	s.started(s.nextJob())
	finish("the login on port 8080 did not answer in time")
	late(23)
	if len(s.queue) != 0 || st.runs != maxCheckRuns {
		t.Errorf("queue %v after %d runs; want no third run", s.queue, st.runs)
	}
	if st.dev.Checked {
		t.Error("Checked after a run that did not finish")
	}
}

func TestUnfinishedChecksAreNotRepeated(t *testing.T) {
	ip := netip.MustParseAddr("127.0.0.9")
	opts, err := Options{Targets: []netip.Prefix{netip.PrefixFrom(ip, 32)}, Catalog: testCatalog(t)}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	s := newScanner(opts, make(chan Event, 64))
	s.mcastDone = true
	s.handle(t.Context(), evidence{ip: ip, source: "sweep", dev: Device{Services: []Service{{Port: 80}}}})
	s.handle(t.Context(), evidence{ip: ip, hostDone: true})
	s.started(s.nextJob())
	st := s.devs[ip.String()]
	d := copyDevice(st.dev)
	s.handleCheck(t.Context(), checkMsg{key: d.Key, dev: &d, run: checkRun{unfinished: []string{"the login on port 80 did not answer in time"}}})
	if len(s.queue) != 0 || st.dev.Checked {
		t.Errorf("queue %v, checked %v after checks that did not finish; want the device left unchecked, not run again", s.queue, st.dev.Checked)
	}
}
