package lab

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"syscall"
)

// Well-known ports the lab keeps in both modes.
const (
	ssdpPort = 1900
	mdnsPort = 5353
)

// loopbackPort maps a real privileged port to the one a loopback lab uses;
// the other ports are unprivileged and kept as they are.
var loopbackPort = map[int]int{80: 8080, 23: 2323, 21: 2121, 22: 2222, 554: 8554}

var errAddrInUse = errors.New("address in use")

// netEnv is where devices listen: loopback addresses or namespaces.
type netEnv interface {
	// serve opens d's sockets and starts its servers.
	serve(l *Lab, d *device) error
	// port maps a device's real port to the one it listens on.
	port(real int) int
	// listenTCP and listenUDP open a socket for d on a real port; group, when
	// valid, is a multicast group to join.
	listenTCP(d *device, real int) (net.Listener, error)
	listenUDP(d *device, real int, group netip.Addr) (*net.UDPConn, error)
	// mcastIface is the interface d multicasts on; nil where it cannot
	// (loopback).
	mcastIface(d *device) *net.Interface
	namespace(d *device) string
	teardown() error
}

// loopbackEnv puts each device on its own 127.x.y.z address.
type loopbackEnv struct{}

func (loopbackEnv) serve(l *Lab, d *device) error     { return serveDevice(l, d) }
func (loopbackEnv) mcastIface(*device) *net.Interface { return nil }
func (loopbackEnv) namespace(*device) string          { return "" }
func (loopbackEnv) teardown() error                   { return nil }

func (loopbackEnv) port(real int) int {
	if p, ok := loopbackPort[real]; ok {
		return p
	}
	return real
}

func (e loopbackEnv) listenTCP(d *device, real int) (net.Listener, error) {
	ln, err := net.Listen("tcp4", netip.AddrPortFrom(d.addr, uint16(e.port(real))).String())
	return ln, bindError(d, e.port(real), err)
}

func (e loopbackEnv) listenUDP(d *device, real int, _ netip.Addr) (*net.UDPConn, error) {
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(d.addr, uint16(e.port(real)))))
	return c, bindError(d, e.port(real), err)
}

// bindError names the device and address, and marks the errors a caller acts
// on: a block already in use (try another) and a missing alias (macOS).
func bindError(d *device, port int, err error) error {
	if err == nil {
		return nil
	}
	where := netip.AddrPortFrom(d.addr, uint16(port))
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("lab: %s listen on %s: %w: %w", d.spec.ID, where, errAddrInUse, err)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return fmt.Errorf("lab: %s listen on %s: %w; add it with: sudo ifconfig lo0 alias %s up",
			d.spec.ID, where, ErrLoopbackAlias, d.addr)
	}
	return fmt.Errorf("lab: %s listen on %s: %w", d.spec.ID, where, err)
}

// loopbackBlocks lists the /24s to try, in order: the pinned one, the fixed
// macOS one, or a few random blocks inside 127.0.0.0/8 (never 127.0.x or
// 127.1.x, which hosts use for their own names) so parallel tests rarely meet.
func loopbackBlocks(pinned netip.Prefix) []netip.Prefix {
	if pinned.IsValid() {
		return []netip.Prefix{pinned.Masked()}
	}
	if runtime.GOOS == "darwin" {
		return []netip.Prefix{netip.MustParsePrefix("127.77.1.0/24")}
	}
	var out []netip.Prefix
	for len(out) < 8 {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{127, byte(2 + rand.IntN(253)), byte(rand.IntN(256)), 0}), 24)
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// serveDevice starts every service d's spec asks for.
func serveDevice(l *Lab, d *device) error {
	starters := []func(*Lab, *device) error{
		serveHTTP, serveSSDP, serveMDNS, serveTelnet, serveRTSP, serveFTP, serveMQTT, serveSSH, serveHostile,
		serveSADP,
	}
	for _, start := range starters {
		if err := start(l, d); err != nil {
			return err
		}
	}
	return nil
}
