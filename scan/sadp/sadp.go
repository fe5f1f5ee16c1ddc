// Package sadp reads Hikvision's SADP discovery ("Search Active Devices
// Protocol"), which Hikvision cameras and recorders (and their OEM copies)
// answer without a login: a scanner sends an XML <Probe> to UDP 37020, the
// device answers with a <ProbeMatch> naming its model, serial number, MAC and
// firmware. That is how Hikvision's own SADP Tool lists devices, and it is
// the only place an old camera states its firmware before a login.
//
// The field names and formats follow a published capture of a real camera
// (sergei.nz, "Reverse engineering Hikvision SADP Tool") and the open-source
// tools that parse it (HikPwn, UniversalScanner, hikvision-tooling). The
// scanner sends from an ephemeral port and reads answers on the same socket,
// as those tools do. Every field is cleaned and capped where it enters.
package sadp

import (
	"context"
	"crypto/rand"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/neigh"
	"github.com/porchlight/porchlight/scan/unicast"
)

// Port is the SADP port; probes go to it and devices listen on it.
const Port = 37020

// Caps on what one answer may cost us. A real ProbeMatch is about 1 KiB of
// some 25 flat elements.
const (
	maxPacket = 8 << 10
	maxTokens = 512
	maxDepth  = 4
	// maxAnswers caps the answers one search keeps (a flood is dropped).
	maxAnswers = 256
)

// group is the multicast group SADP probes go to (the same as SSDP's).
var group = netip.MustParseAddr("239.255.255.250")

// Device is one ProbeMatch, cleaned. Empty fields were absent or unusable.
type Device struct {
	From        netip.Addr // the address the answer came from
	Model       string     // DeviceDescription, e.g. "DS-2CD2042WD-I"
	Serial      string     // DeviceSN, the model followed by the unit's number
	MAC         string     // "c0:56:e3:fe:42:92"; "" when absent or not a unicast MAC
	Firmware    string     // SoftwareVersion, as "V5.2.5 build 141201"
	DSP         string     // DSPVersion, as "V5.0 build 140714"
	DeviceType  string     // DeviceType, a numeric Hikvision class code
	IPv4        string     // IPv4Address as the device states it (not trusted for routing)
	HTTPPort    int        // HttpPort, 0 when absent
	CommandPort int        // CommandPort (the SDK port, 8000 by default), 0 when absent
	// Activated is "true" or "false" on firmware that has activation (IP
	// cameras from 5.3.0 on); older firmware has no such field and a
	// factory password instead.
	Activated string
}

// ErrMalformed means a datagram is not a SADP ProbeMatch.
var ErrMalformed = errors.New("sadp: not a ProbeMatch")

// fields maps the ProbeMatch elements we keep to where they go.
func (d *Device) fields() map[string]*string {
	return map[string]*string{
		"DeviceDescription": &d.Model, "DeviceSN": &d.Serial, "MAC": &d.MAC,
		"SoftwareVersion": &d.Firmware, "DSPVersion": &d.DSP, "DeviceType": &d.DeviceType,
		"IPv4Address": &d.IPv4, "Activated": &d.Activated,
	}
}

// Parse reads one SADP answer. The root element must be ProbeMatch (so our
// own Probe, or any other XML on the port, is refused), and it must name the
// device somehow (model, serial, MAC or firmware). Only the root's direct
// children are read; deeper or repeated elements are ignored.
func Parse(b []byte) (Device, error) {
	if len(b) > maxPacket {
		b = b[:maxPacket]
	}
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var (
		d      Device
		ports  = map[string]*int{"HttpPort": &d.HTTPPort, "CommandPort": &d.CommandPort}
		fields = d.fields()
		depth  int
		root   bool
		text   strings.Builder
	)
	for tokens := 0; tokens < maxTokens; tokens++ {
		tok, err := dec.Token()
		if err != nil {
			break // end of input, or a broken tail: keep what came before
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return Device{}, fmt.Errorf("%w: nested too deeply", ErrMalformed)
			}
			if depth == 1 {
				if t.Name.Local != "ProbeMatch" {
					return Device{}, ErrMalformed
				}
				root = true
			}
			text.Reset()
		case xml.CharData:
			if text.Len() < clean.Short {
				text.Write(t[:min(len(t), clean.Short)])
			}
		case xml.EndElement:
			if depth == 2 {
				set(fields, ports, t.Name.Local, text.String())
			}
			depth--
			text.Reset()
		}
	}
	if !root || d.Model == "" && d.Serial == "" && d.MAC == "" && d.Firmware == "" {
		return Device{}, ErrMalformed
	}
	return d, nil
}

// set stores one element's text, cleaned; the first of a repeated element wins.
func set(fields map[string]*string, ports map[string]*int, name, raw string) {
	v := clean.String(raw, clean.Short)
	if p, ok := ports[name]; ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1<<16 && *p == 0 {
			*p = n
		}
		return
	}
	p, ok := fields[name]
	if !ok || *p != "" {
		return
	}
	switch name {
	case "MAC":
		v = neigh.NormalizeMAC(v)
	case "SoftwareVersion", "DSPVersion":
		v = Version(v)
	case "Activated":
		v = strings.ToLower(v)
		if v != "true" && v != "false" {
			v = ""
		}
	}
	*p = v
}

// build matches Hikvision's "V5.2.5build 141201" and "V5.0, build 140714".
var build = regexp.MustCompile(`(?i)^(v?[0-9]+(?:\.[0-9]+)+)\s*,?\s*build\s*([0-9]+)$`)

// Version writes a SADP firmware version the way the camera's own web page
// and ISAPI do ("V5.2.5 build 141201"): SADP runs the build onto the version
// ("V5.2.5build 141201"), which would read as a letter suffix of 5.2.5 to a
// version comparison. Other shapes are returned as they are.
func Version(s string) string {
	s = strings.TrimSpace(s)
	if m := build.FindStringSubmatch(s); m != nil {
		return m[1] + " build " + m[2]
	}
	return s
}

// Probe is the inquiry SADP Tool multicasts, with a fresh random Uuid.
func Probe() []byte {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	id := fmt.Sprintf("%X-%X-%X-%X-%X", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
	return []byte(`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>` + id + `</Uuid><Types>inquiry</Types></Probe>`)
}

// SearchUnicast sends the probe to ip:port and returns the answers that
// arrive within wait (a device answers once; duplicates are merged), sending
// it once more after silence (see unicast.Ask). A host with nothing on the
// port answers with an ICMP refusal, which ends the wait early.
func SearchUnicast(ctx context.Context, ip netip.Addr, port int, wait unicast.Wait) ([]Device, error) {
	var dl net.Dialer
	conn, err := dl.DialContext(ctx, "udp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("sadp: probe %s: %w", ip, err)
	}
	defer conn.Close()
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	var out []Device
	seen := map[string]bool{}
	_, err = unicast.Ask(ctx, conn, Probe(), wait, maxPacket, func(b []byte) (bool, bool) {
		d, err := Parse(b)
		if err != nil || seen[d.MAC+d.Serial] {
			return err == nil, false
		}
		seen[d.MAC+d.Serial] = true
		d.From = ip
		out = append(out, d)
		return true, len(out) >= 4
	})
	if err != nil && ctx.Err() == nil {
		return out, fmt.Errorf("sadp: probe %s: %w", ip, err)
	}
	return out, nil
}

// SearchMulticast sends the probe to 239.255.255.250:37020 on ifi only,
// from src, and calls handle for each distinct answer until wait passes or
// ctx ends. handle runs on this goroutine; it must not block for long.
func SearchMulticast(ctx context.Context, ifi *net.Interface, src netip.Addr, wait time.Duration, handle func(Device)) error {
	conn, done, err := unicast.Multicast(ctx, ifi, src, 1) // TTL: the local link only, as SADP Tool
	if err != nil {
		return fmt.Errorf("sadp: %w", err)
	}
	defer done()
	dst := net.UDPAddrFromAddrPort(netip.AddrPortFrom(group, Port))
	msg := Probe()
	for range 2 { // UDP may drop one
		if _, err := conn.WriteToUDP(msg, dst); err != nil {
			return fmt.Errorf("sadp: send probe on %s: %w", ifi.Name, err)
		}
	}
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	seen := map[string]bool{}
	buf := make([]byte, maxPacket)
	for len(seen) < maxAnswers {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return nil
		}
		d, err := Parse(buf[:n])
		key := from.Addr().Unmap().String() + "|" + d.MAC + "|" + d.Serial
		if err != nil || seen[key] {
			continue
		}
		seen[key] = true
		d.From = from.Addr().Unmap()
		handle(d)
	}
	return nil
}
