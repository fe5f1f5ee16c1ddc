// Package ssdp finds UPnP devices: it sends M-SEARCH (multicast on one chosen
// interface, or unicast to one address), parses the answers, and fetches each
// device's description, only from the address that answered.
//
// We use the standard library rather than github.com/koron/go-ssdp: its
// Search drops the address an answer came from (which the announcing-host
// rule needs) and chooses interfaces from a package-level variable that
// defaults to every interface, which could send on a network we were not
// asked to scan.
package ssdp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/unicast"
)

// Port is the SSDP port.
const Port = 1900

// maxPacket caps one SSDP datagram; real answers are a few hundred bytes.
const maxPacket = 8 << 10

var multicastAddr = &net.UDPAddr{IP: net.IPv4(239, 255, 255, 250), Port: Port}

// Response is one answer to M-SEARCH (or a NOTIFY), cleaned.
type Response struct {
	From     netip.Addr // the address the datagram came from
	ST       string
	USN      string
	Location string
	Server   string
	// Extra keeps vendor headers that identify devices (hue-bridgeid, ...).
	Extra map[string]string
}

// ErrMalformed means a datagram is not an SSDP answer.
var ErrMalformed = errors.New("ssdp: malformed answer")

// extraHeaders are vendor headers worth keeping.
var extraHeaders = []string{"Hue-Bridgeid", "X-User-Agent", "Dlnadevicename.lge.com", "Bootid.upnp.org"}

// ParseResponse parses one SSDP datagram: an HTTP/1.1 200 answer or a NOTIFY.
func ParseResponse(b []byte) (Response, error) {
	if len(b) > maxPacket {
		b = b[:maxPacket]
	}
	if !bytes.HasPrefix(b, []byte("HTTP/1.")) && !bytes.HasPrefix(b, []byte("NOTIFY ")) {
		return Response{}, ErrMalformed
	}
	// Headers are read leniently, line by line: a control byte in one header
	// (stripped below) must not cost us the rest of the answer.
	head, _, _ := bytes.Cut(b, []byte("\r\n\r\n"))
	lines := strings.Split(string(head), "\n")
	first := strings.TrimRight(lines[0], "\r")
	if strings.HasPrefix(first, "HTTP/") && !strings.Contains(first, " 200") {
		return Response{}, ErrMalformed
	}
	hdr := textproto.MIMEHeader{}
	for _, line := range lines[1:] {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if k = strings.TrimSpace(k); ok && k != "" && len(hdr) < 64 {
			hdr.Add(textproto.CanonicalMIMEHeaderKey(k), strings.TrimSpace(v))
		}
	}
	r := Response{
		ST:       clean.String(firstOf(hdr, "St", "Nt"), clean.Short),
		USN:      clean.String(hdr.Get("Usn"), clean.Short),
		Location: clean.String(hdr.Get("Location"), clean.Short),
		Server:   clean.String(hdr.Get("Server"), clean.Short),
	}
	for _, k := range extraHeaders {
		if v := clean.String(hdr.Get(k), clean.Short); v != "" {
			if r.Extra == nil {
				r.Extra = map[string]string{}
			}
			r.Extra[strings.ToLower(k)] = v
		}
	}
	if r.USN == "" && r.Location == "" && r.ST == "" {
		return Response{}, ErrMalformed
	}
	return r, nil
}

func firstOf(h textproto.MIMEHeader, keys ...string) string {
	for _, k := range keys {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// searchMessage is an M-SEARCH for every device and service.
func searchMessage(host string, mx int) []byte {
	return []byte("M-SEARCH * HTTP/1.1\r\nHOST: " + host + "\r\nMAN: \"ssdp:discover\"\r\nMX: " +
		strconv.Itoa(mx) + "\r\nST: ssdp:all\r\nUSER-AGENT: porchlight UPnP/1.1\r\n\r\n")
}

// SearchUnicast sends M-SEARCH to ip:port and returns the distinct answers
// that arrive within wait, sending it once more after silence (see
// unicast.Ask). A host with nothing on the port answers at once with an ICMP
// refusal, which ends the wait early.
func SearchUnicast(ctx context.Context, ip netip.Addr, port int, wait unicast.Wait) ([]Response, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("ssdp: search %s: %w", ip, err)
	}
	defer conn.Close()
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	var out []Response
	seen := map[string]bool{}
	_, err = unicast.Ask(ctx, conn, searchMessage(conn.RemoteAddr().String(), 1), wait, maxPacket, func(b []byte) (bool, bool) {
		r, err := ParseResponse(b)
		if err != nil || seen[r.USN+r.Location] {
			return err == nil, false
		}
		seen[r.USN+r.Location] = true
		r.From = ip
		out = append(out, r)
		return true, len(out) >= 64
	})
	if err != nil && ctx.Err() == nil {
		return out, fmt.Errorf("ssdp: search %s: %w", ip, err)
	}
	return out, nil
}

// SearchMulticast sends M-SEARCH to 239.255.255.250 on ifi only, from src,
// and calls handle for each answer until wait passes or ctx ends. handle runs
// on this goroutine; it must not block for long.
func SearchMulticast(ctx context.Context, ifi *net.Interface, src netip.Addr, wait time.Duration, handle func(Response)) error {
	conn, done, err := unicast.Multicast(ctx, ifi, src, 2) // TTL: UPnP Device Architecture 1.1 §1.1.2
	if err != nil {
		return fmt.Errorf("ssdp: %w", err)
	}
	defer done()
	msg := searchMessage(multicastAddr.String(), 1)
	for range 2 { // UDP may drop one
		if _, err := conn.WriteToUDP(msg, multicastAddr); err != nil {
			return fmt.Errorf("ssdp: send M-SEARCH on %s: %w", ifi.Name, err)
		}
	}
	conn.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, maxPacket)
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return nil
		}
		r, err := ParseResponse(buf[:n])
		if err != nil {
			continue
		}
		r.From = from.Addr().Unmap()
		handle(r)
	}
}
