//go:build linux

package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

// needNetns skips unless the test can make namespaces.
func needNetns(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("iproute2 (ip) is not installed")
	}
}

// startNetns starts a namespace lab and checks, when the test ends, that
// closing it removed every namespace it made.
func startNetns(t *testing.T, scenario string) *Lab {
	t.Helper()
	needNetns(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	l, err := StartNetns(ctx, Options{Scenario: scenario, MaxMXDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("StartNetns(%s): %v", scenario, err)
	}
	prefix := l.net.(*netnsEnv).prefix
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if left := namespacesWithPrefix(t, prefix); len(left) > 0 {
			t.Errorf("namespaces left after Close: %v", left)
		}
	})
	return l
}

func namespacesWithPrefix(t *testing.T, prefix string) []string {
	t.Helper()
	entries, err := os.ReadDir(netnsDir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestNetnsHomeMulticastSearch(t *testing.T) {
	l := startNetns(t, "home")
	if got, want := len(namespacesWithPrefix(t, l.net.(*netnsEnv).prefix)), len(l.devices)+2; got != want {
		t.Fatalf("%d namespaces, want %d (devices, bridge, scanner)", got, want)
	}
	// A real multicast M-SEARCH from the scanner namespace.
	conn := scannerMulticastConn(t, l)
	msg := []byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n")
	group := &net.UDPAddr{IP: net.IPv4(239, 255, 255, 250), Port: 1900}
	want := map[string]bool{}
	for _, d := range l.Devices() {
		if d.Port("ssdp") != 0 {
			want[d.Addr.String()] = true
		}
	}
	got := map[string]bool{}
	buf := make([]byte, 9000)
	deadline := time.Now().Add(testTimeout)
	search := &querier{c: conn, msg: msg, dst: group}
	for len(got) < len(want) {
		n, from, err := search.next(t, buf, deadline)
		if err != nil {
			t.Fatalf("replies from %d of %d SSDP devices: %v", len(got), len(want), err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(buf[:n])), nil)
		if err != nil || resp.Header.Get("ST") != "upnp:rootdevice" {
			t.Fatalf("bad reply from %v: %v %q", from, err, buf[:n])
		}
		got[from.(*net.UDPAddr).IP.String()] = true
	}
	for addr := range want {
		if !got[addr] {
			t.Errorf("no reply from %s", addr)
		}
	}

	// The scanner's neighbour table has learnt the devices' MACs.
	out, err := l.ExecInScanner(t.Context(), "ip", "neigh", "show", "dev", "eth0")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, d := range l.Devices() {
		if want[d.Addr.String()] && !strings.Contains(string(out), d.Addr.String()+" lladdr "+d.MAC) {
			t.Errorf("neighbour table lacks %s at %s:\n%s", d.MAC, d.Addr, out)
		}
	}
}

func TestNetnsAdminLoginAndMDNS(t *testing.T) {
	l := startNetns(t, "home")
	router := dev(t, l, "router")
	if router.Port("http") != 80 {
		t.Fatalf("router http port in a namespace = %d, want the real 80", router.Port("http"))
	}
	// HTTP from the scanner namespace: sockets dialled inside it.
	c := &http.Client{Timeout: testTimeout, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var conn net.Conn
			err := l.InScanner(func() (err error) {
				conn, err = (&net.Dialer{}).DialContext(ctx, network, addr)
				return err
			})
			return conn, err
		},
	}}
	req := newReq(t, "GET", router.AdminURL, nil)
	req.SetBasicAuth("admin", "admin")
	if status, _, body := do(t, c, req); status != 200 || !strings.Contains(body, router.Firmware) {
		t.Fatalf("router admin page from the scanner namespace = %d", status)
	}

	// A multicast mDNS query from port 5353; the answer comes on the group.
	var conn *net.UDPConn
	if err := l.InScanner(func() (err error) {
		conn, err = net.ListenUDP("udp4", &net.UDPAddr{Port: mdnsPort})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	pc := ipv4.NewPacketConn(conn)
	if err := pc.JoinGroup(l.ScannerInterface(), &net.UDPAddr{IP: mdnsGroup.AsSlice()}); err != nil {
		t.Fatal(err)
	}
	if err := pc.SetMulticastInterface(l.ScannerInterface()); err != nil {
		t.Fatal(err)
	}
	q := []byte("\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x0b_googlecast\x04_tcp\x05local\x00\x00\x0c\x00\x01")
	streamer := dev(t, l, "streamer")
	buf := make([]byte, 9000)
	deadline := time.Now().Add(testTimeout)
	ask := &querier{c: conn, msg: q, dst: &net.UDPAddr{IP: mdnsGroup.AsSlice(), Port: mdnsPort}}
	for {
		// Like a real querier, ask again each second until the deadline:
		// the first query can meet a bridge port that is still coming up.
		n, from, err := ask.next(t, buf, deadline)
		if err != nil {
			t.Fatalf("no multicast answer from the streamer: %v", err)
		}
		if from.(*net.UDPAddr).IP.String() == streamer.Addr.String() {
			if !bytes.Contains(buf[:n], []byte("md=Google TV Streamer")) {
				t.Errorf("answer lacks the model TXT: %q", buf[:n])
			}
			return
		}
	}
}

func TestCleanupStale(t *testing.T) {
	needNetns(t)
	dead := fmt.Sprintf("pl-%d-beef-br", 1<<30) // no such pid: above any pid_max
	live := fmt.Sprintf("pl-%d-beef-br", os.Getpid())
	other := "plain-not-ours"
	for _, n := range []string{dead, live, other} {
		if out, err := exec.Command("ip", "netns", "add", n).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add %s: %v %s", n, err, out)
		}
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", n).Run() })
	}
	if err := CleanupStale(); err != nil {
		t.Fatal(err)
	}
	exists := func(n string) bool { _, err := os.Stat(filepath.Join(netnsDir, n)); return err == nil }
	if exists(dead) {
		t.Error("CleanupStale left a dead lab's namespace")
	}
	if !exists(live) || !exists(other) {
		t.Error("CleanupStale removed a live lab's or a foreign namespace")
	}
}

func TestNetnsLargeStartsQuickly(t *testing.T) {
	if testing.Short() {
		t.Skip("250 namespaces")
	}
	needNetns(t)
	start := time.Now()
	l := startNetns(t, "large")
	t.Logf("250 devices in namespaces started in %v", time.Since(start).Round(time.Millisecond))
	if n := len(l.Devices()); n != 250 {
		t.Fatalf("%d devices, want 250", n)
	}
	names := namespacesWithPrefix(t, l.net.(*netnsEnv).prefix)
	if !slices.Contains(names, l.ScannerNetns()) || len(names) != 252 {
		t.Errorf("%d namespaces, want 252", len(names))
	}
}

// querier sends a query and re-sends it after each second of silence, as
// real SSDP and mDNS clients do.
// scannerMulticastConn opens a UDP socket inside the scanner namespace, bound
// to its address, whose multicast sends leave by the scanner's own eth0
// (IP_MULTICAST_IF), never the host's interfaces. It closes at test end.
func scannerMulticastConn(t *testing.T, l *Lab) *net.UDPConn {
	t.Helper()
	var conn *net.UDPConn
	if err := l.InScanner(func() (err error) {
		conn, err = net.ListenUDP("udp4", &net.UDPAddr{IP: l.ScannerAddr().AsSlice()})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := ipv4.NewPacketConn(conn).SetMulticastInterface(l.ScannerInterface()); err != nil {
		t.Fatal(err)
	}
	return conn
}

type querier struct {
	c    *net.UDPConn
	msg  []byte
	dst  net.Addr
	last time.Time
}

// next returns the next datagram, or an error at the deadline.
func (q *querier) next(t *testing.T, buf []byte, deadline time.Time) (int, net.Addr, error) {
	t.Helper()
	for {
		if time.Since(q.last) >= time.Second {
			if _, err := q.c.WriteTo(q.msg, q.dst); err != nil {
				t.Fatal(err)
			}
			q.last = time.Now()
		}
		wait := min(time.Until(deadline), time.Until(q.last.Add(time.Second)))
		_ = q.c.SetReadDeadline(time.Now().Add(wait))
		n, from, err := q.c.ReadFrom(buf)
		var ne net.Error
		if err != nil && errors.As(err, &ne) && ne.Timeout() && time.Now().Before(deadline) {
			continue
		}
		return n, from, err
	}
}
