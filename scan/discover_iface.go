package scan

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// mcastIface is where multicast discovery may send: an interface with an
// address inside the targets, and that address as the source.
type mcastIface struct {
	ifi *net.Interface
	src netip.Addr
}

// multicastInterface picks the interface for multicast discovery: the named
// one, or else any up, non-loopback interface with an IPv4 address inside
// one of the targets. It never picks an interface that is not directly on a
// target network, so multicast goes only where the user asked us to look.
func multicastInterface(name string, targets []netip.Prefix) (*mcastIface, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("scan: list interfaces: %w", err)
	}
	for i := range ifaces {
		ifi := &ifaces[i]
		if (name != "" && ifi.Name != name) || ifi.Flags&net.FlagUp == 0 ||
			ifi.Flags&net.FlagLoopback != 0 || ifi.Flags&net.FlagMulticast == 0 {
			continue
		}
		for _, p := range ifacePrefixes(ifi) {
			if p.Addr().Is4() && inTargets(targets, p.Addr()) {
				return &mcastIface{ifi: ifi, src: p.Addr()}, nil
			}
		}
	}
	return nil, errors.New("scan: no interface on the target networks")
}

// ifacePrefixes lists an interface's addresses with their prefix lengths.
func ifacePrefixes(ifi *net.Interface) []netip.Prefix {
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil
	}
	var out []netip.Prefix
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			if p, err := netip.ParsePrefix(ipn.String()); err == nil {
				out = append(out, netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-unmapBits(p)))
			}
		}
	}
	return out
}

// localNetworks returns the interface to scan (name, or the one with the
// default route) and its directly connected private IPv4 networks, each
// narrowed to at most a /22 around the interface's own address.
func localNetworks(name string) (string, []netip.Prefix, error) {
	if name == "" {
		var err error
		if name, err = defaultRouteInterface(); err != nil {
			return "", nil, err
		}
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return "", nil, fmt.Errorf("scan: interface %s: %w", name, err)
	}
	var out []netip.Prefix
	for _, p := range ifacePrefixes(ifi) {
		if !p.Addr().Is4() || p.Addr().IsLoopback() {
			continue
		}
		if p.Bits() < DefaultMaxBits4 {
			p = netip.PrefixFrom(p.Addr(), DefaultMaxBits4)
		}
		if p = p.Masked(); IsPrivate(p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return name, nil, fmt.Errorf("scan: interface %s has no private IPv4 network", name)
	}
	return name, out, nil
}
