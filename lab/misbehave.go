package lab

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Misbehaviours a scenario can give a device, per protocol ("*" for all), to
// test that a scanner survives hostile devices. The hostile scenario uses
// them; other scenarios are well behaved.
const (
	// misSilent accepts (or receives) and never answers.
	misSilent = "silent"
	// misSlowDrip sends every reply one byte at a time, dripDelay apart.
	misSlowDrip = "slow-drip"
	// misOversized sends far more than any sane cap (HTTP bodies, banners, XML).
	misOversized = "oversized"
	// misEscapes puts terminal escape and control sequences in every string
	// the device gives about itself (names, banners, TXT records).
	misEscapes = "escapes"
	// misLocationElsewhere makes SSDP LOCATION point at another host.
	misLocationElsewhere = "location-elsewhere"
)

var misbehaviours = append([]string{misSilent, misSlowDrip, misOversized, misEscapes, misLocationElsewhere}, hostileKinds...)

var misProtocols = []string{"*", "http", "ssdp", "mdns", "telnet", "rtsp", "ftp", "mqtt", "ssh", "ipp"}

// dripDelay spaces slow-drip bytes: slow enough to trip a scanner's per-read
// deadline if it has none, fast enough that the lab still closes promptly.
const dripDelay = 200 * time.Millisecond

// oversizedLen is how much an oversized answer sends (8 MiB).
const oversizedLen = 8 << 20

// escapeNoise is what misEscapes injects: a title change, colours, a screen
// clear, a bell and a carriage return that would overwrite the line.
const escapeNoise = "\x1b]0;owned\x07\x1b[31;1m\x1b[2J\a\r"

func (d *DeviceSpec) validateMisbehaviour() error {
	for proto, kinds := range d.Misbeh {
		if !slices.Contains(misProtocols, proto) {
			return fmt.Errorf("misbehave: unknown protocol %q", proto)
		}
		for _, k := range kinds {
			if !slices.Contains(misbehaviours, k) {
				return fmt.Errorf("misbehave[%s]: unknown misbehaviour %q", proto, k)
			}
		}
	}
	return nil
}

// misbehaves reports whether d does kind on proto.
func (d *device) misbehaves(proto, kind string) bool {
	return slices.Contains(d.spec.Misbeh[proto], kind) || slices.Contains(d.spec.Misbeh["*"], kind)
}

// text returns s as the device says it on proto: with escape noise when it
// misbehaves that way.
func (d *device) text(proto, s string) string {
	if d.misbehaves(proto, misHostileText) {
		s = hostileText(proto, s) // hostile.go
	}
	if d.misbehaves(proto, misEscapes) {
		return escapeNoise + s + "\x1b[0m"
	}
	return s
}

// wrapConn applies connection-level misbehaviours.
func (d *device) wrapConn(l *Lab, proto string, c net.Conn) net.Conn {
	switch {
	case d.misbehaves(proto, misSilent):
		return &silentConn{Conn: c, l: l}
	case d.misbehaves(proto, misSlowDrip):
		return &dripConn{Conn: c, l: l}
	}
	return c
}

// silentConn swallows reads until the peer or the lab gives up, and writes
// nothing.
type silentConn struct {
	net.Conn
	l *Lab
}

func (s *silentConn) Read(p []byte) (int, error) {
	_, _ = io.Copy(io.Discard, s.Conn)
	return 0, io.EOF
}

func (s *silentConn) Write(p []byte) (int, error) { return len(p), nil }

// dripConn writes one byte per dripDelay.
type dripConn struct {
	net.Conn
	l *Lab
}

func (c *dripConn) Write(p []byte) (int, error) {
	for i := range p {
		select {
		case <-c.l.ctx.Done():
			return i, net.ErrClosed
		case <-time.After(dripDelay):
		}
		if _, err := c.Conn.Write(p[i : i+1]); err != nil {
			return i, err
		}
	}
	return len(p), nil
}

// writeOversized answers an HTTP request with a huge body.
func writeOversized(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusOK)
	chunk := []byte("<title>" + strings.Repeat("A", 4096) + "</title>")
	for n := 0; n < oversizedLen; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// quietLog drops net/http's complaints about scanners that hang up early.
var quietLog = log.New(io.Discard, "", 0)
