package unicast

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/net/ipv4"
)

// Multicast opens a UDP socket on src whose multicast leaves by ifi only,
// with the given TTL: set explicitly, so a send never takes the default
// route's interface by accident. It is the one place SSDP, mDNS and SADP
// open their multicast sockets. The socket closes when ctx ends, so a
// blocked read returns at once; done closes it in any case.
func Multicast(ctx context.Context, ifi *net.Interface, src netip.Addr, ttl int) (conn *net.UDPConn, done func(), err error) {
	conn, err = net.ListenUDP("udp4", &net.UDPAddr{IP: src.AsSlice()})
	if err != nil {
		return nil, nil, fmt.Errorf("listen on %s: %w", src, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	done = func() { stop(); conn.Close() }
	pc := ipv4.NewPacketConn(conn)
	if err := pc.SetMulticastInterface(ifi); err != nil {
		done()
		return nil, nil, fmt.Errorf("multicast on %s: %w", ifi.Name, err)
	}
	_ = pc.SetMulticastTTL(ttl) // best effort: the interface, not the TTL, keeps sends local
	return conn, done, nil
}
