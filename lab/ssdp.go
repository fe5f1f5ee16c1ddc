package lab

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/ipv4"
)

var ssdpGroup = netip.MustParseAddr("239.255.255.250")

// maxSSDP caps an SSDP datagram; real ones are a few hundred bytes.
const maxSSDP = 8 << 10

// msearch is a parsed M-SEARCH request.
type msearch struct {
	ST  string
	MX  int // 0 when absent (unicast searches need none)
	Man string
}

var errNotMSearch = errors.New("ssdp: not an M-SEARCH")

// parseMSearch reads an M-SEARCH request (UPnP Device Architecture 1.1
// §1.3.2). It accepts LF line ends and any header case, as devices do, and
// rejects anything that is not a discover request with a search target.
func parseMSearch(b []byte) (msearch, error) {
	if len(b) > maxSSDP {
		return msearch{}, fmt.Errorf("%w: %d bytes", errNotMSearch, len(b))
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	line, err := tp.ReadLine()
	if err != nil || !strings.HasPrefix(line, "M-SEARCH * HTTP/1.") {
		return msearch{}, errNotMSearch
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return msearch{}, fmt.Errorf("%w: headers: %w", errNotMSearch, err)
	}
	m := msearch{ST: strings.TrimSpace(h.Get("ST")), Man: strings.TrimSpace(h.Get("MAN"))}
	if m.Man != `"ssdp:discover"` || m.ST == "" || len(m.ST) > 256 {
		return msearch{}, fmt.Errorf("%w: MAN %q ST %q", errNotMSearch, m.Man, m.ST)
	}
	if mx := h.Get("MX"); mx != "" {
		n, err := strconv.Atoi(strings.TrimSpace(mx))
		if err != nil || n < 0 {
			return msearch{}, fmt.Errorf("%w: MX %q", errNotMSearch, mx)
		}
		m.MX = min(n, 5) // UDA: treat anything above 5 as 5
	}
	return m, nil
}

// ssdpTarget is one (ST, USN) pair a device answers for, with the
// description URL of the root it belongs to.
type ssdpTarget struct{ st, usn, location string }

// ssdpTargets lists every pair d announces, in the order real stacks send
// them: root device, then each device's UUID and type, then its services.
func (d *device) ssdpTargets() []ssdpTarget {
	var out []ssdpTarget
	port := d.lab.net.port(d.spec.SSDP.Port)
	for i := range d.spec.SSDP.Roots {
		root := &d.spec.SSDP.Roots[i]
		host := d.addr.String()
		if d.misbehaves("ssdp", misLocationElsewhere) {
			host = "127.0.0.1" // a host that did not announce
		}
		loc := d.hostileLocation(fmt.Sprintf("http://%s:%d%s", host, port, d.rootPath(i)), root)
		uuid := "uuid:" + d.expand(root.UUID)
		out = append(out, ssdpTarget{"upnp:rootdevice", uuid + "::upnp:rootdevice", loc})
		out = d.deviceTargets(out, root, loc)
	}
	return out
}

func (d *device) deviceTargets(out []ssdpTarget, dev *UPnPRoot, loc string) []ssdpTarget {
	uuid := "uuid:" + d.expand(dev.UUID)
	out = append(out, ssdpTarget{uuid, uuid, loc}, ssdpTarget{dev.DeviceType, uuid + "::" + dev.DeviceType, loc})
	seen := map[string]bool{}
	for _, s := range dev.Services {
		if !seen[s.Type] {
			seen[s.Type] = true
			out = append(out, ssdpTarget{s.Type, uuid + "::" + s.Type, loc})
		}
	}
	for i := range dev.Embedded {
		out = d.deviceTargets(out, &dev.Embedded[i], loc)
	}
	return out
}

// matching returns the targets answering st.
func (d *device) matching(st string) []ssdpTarget {
	var out []ssdpTarget
	for _, t := range d.ssdpTargets() {
		if st == "ssdp:all" || t.st == st {
			out = append(out, t)
		}
	}
	return out
}

// ssdpResponse formats one search response.
func (d *device) ssdpResponse(t ssdpTarget, now time.Time) []byte {
	var b bytes.Buffer
	maxAge := d.spec.SSDP.MaxAge
	if maxAge == 0 {
		maxAge = 1800
	}
	fmt.Fprintf(&b, "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=%d\r\nDATE: %s\r\nEXT:\r\nLOCATION: %s\r\nSERVER: %s\r\nST: %s\r\nUSN: %s\r\n",
		maxAge, now.UTC().Format(http.TimeFormat), t.location, d.text("ssdp", d.expand(d.spec.SSDP.Server)), t.st, t.usn)
	d.extraHeaders(&b)
	if d.misbehaves("ssdp", misOversized) {
		fmt.Fprintf(&b, "X-PADDING: %s\r\n", strings.Repeat("A", 60000))
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func (d *device) extraHeaders(b *bytes.Buffer) {
	for _, h := range d.spec.SSDP.Headers {
		fmt.Fprintf(b, "%s: %s\r\n", h[0], d.expand(h[1]))
	}
}

// ssdpNotify formats one ssdp:alive announcement.
func (d *device) ssdpNotify(t ssdpTarget) []byte {
	var b bytes.Buffer
	maxAge := d.spec.SSDP.MaxAge
	if maxAge == 0 {
		maxAge = 1800
	}
	fmt.Fprintf(&b, "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=%d\r\nLOCATION: %s\r\nNT: %s\r\nNTS: ssdp:alive\r\nSERVER: %s\r\nUSN: %s\r\n",
		maxAge, t.location, t.st, d.text("ssdp", d.expand(d.spec.SSDP.Server)), t.usn)
	d.extraHeaders(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}

// serveSSDP answers M-SEARCH on UDP 1900 of the device's address (and, in
// namespaces, on the multicast group).
func serveSSDP(l *Lab, d *device) error {
	if d.spec.SSDP == nil {
		return nil
	}
	conn, err := l.net.listenUDP(d, ssdpPort, ssdpGroup)
	if err != nil {
		return err
	}
	if !l.track(conn) {
		return nil
	}
	pc := ipv4.NewPacketConn(conn)
	_ = pc.SetControlMessage(ipv4.FlagDst, true)
	d.ssdpConn = conn
	l.goServe(func() {
		buf := make([]byte, maxSSDP+1)
		for {
			n, cm, src, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			req, err := parseMSearch(buf[:n])
			if err != nil || d.misbehaves("ssdp", misSilent) || d.upnpOff() {
				continue
			}
			if d.hostileSearch(conn, src) { // hostile.go
				continue
			}
			multicast := cm != nil && cm.Dst.IsMulticast()
			d.answerSearch(conn, req, src, multicast)
		}
	})
	return nil
}

// answerSearch sends the responses for one search. A multicast search waits
// a random time below min(MX, MaxMXDelay) first, as UDA asks, so a network
// of devices does not answer all at once; unicast searches are answered
// straight away.
func (d *device) answerSearch(conn *net.UDPConn, req msearch, src net.Addr, multicast bool) {
	targets := d.matching(req.ST)
	if len(targets) == 0 {
		return
	}
	var delay time.Duration
	if multicast && req.MX > 0 {
		limit := min(time.Duration(req.MX)*time.Second, d.lab.opts.MaxMXDelay)
		delay = rand.N(limit)
	}
	send := func() {
		now := time.Now()
		for _, t := range targets {
			if _, err := conn.WriteTo(d.ssdpResponse(t, now), src); err != nil {
				return
			}
		}
	}
	if delay == 0 {
		send() // in order: a later search is answered after this one
		return
	}
	d.lab.goServe(func() {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-d.lab.ctx.Done():
		case <-t.C:
			send()
		}
	})
}

// announce multicasts ssdp:alive for every target (namespaces only: on
// loopback there is no multicast to join).
func (l *Lab) announce(d *device) {
	ifi := l.net.mcastIface(d)
	if d.spec.SSDP == nil || ifi == nil || d.ssdpConn == nil {
		return
	}
	pc := ipv4.NewPacketConn(d.ssdpConn)
	_ = pc.SetMulticastInterface(ifi)
	_ = pc.SetMulticastTTL(2)
	dst := net.UDPAddrFromAddrPort(netip.AddrPortFrom(ssdpGroup, ssdpPort))
	for _, t := range d.ssdpTargets() {
		_, _ = d.ssdpConn.WriteTo(d.ssdpNotify(t), dst)
	}
}
