//go:build linux

package lab

import (
	"encoding/xml"
	"net"
	"strings"
	"testing"
	"time"
)

// TestNetnsSADPMulticast probes 239.255.255.250:37020 from the scanner
// namespace, out of its own interface, as SADP Tool does: the camera (and
// only the camera) answers, from its own address, straight to the sender.
func TestNetnsSADPMulticast(t *testing.T) {
	l := startNetns(t, "home")
	conn := scannerMulticastConn(t, l)
	cam := dev(t, l, "camera")
	q := &querier{c: conn, msg: []byte(strings.Replace(testProbe, "%s", "NS-1", 1)), dst: &net.UDPAddr{IP: net.IPv4(239, 255, 255, 250), Port: sadpPort}}
	buf := make([]byte, 8192)
	n, from, err := q.next(t, buf, time.Now().Add(testTimeout))
	if err != nil {
		t.Fatalf("no SADP answer to a multicast probe: %v", err)
	}
	var pm probeMatch
	if err := xml.Unmarshal(buf[:n], &pm); err != nil {
		t.Fatalf("answer is not a ProbeMatch: %v\n%s", err, buf[:n])
	}
	if got := from.(*net.UDPAddr).IP.String(); got != cam.Addr.String() {
		t.Errorf("answer from %s, want the camera at %s", got, cam.Addr)
	}
	if pm.UUID != "NS-1" || pm.Description != cam.Model || pm.IPv4 != cam.Addr.String() || pm.HTTPPort != 80 {
		t.Errorf("answer %+v", pm)
	}
	// Only the camera speaks SADP: nothing else answers before the deadline.
	_ = conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			break
		}
		if ip := from.(*net.UDPAddr).IP.String(); ip != cam.Addr.String() {
			t.Errorf("SADP answer from %s, which is not the camera: %q", ip, buf[:n])
		}
	}
}
