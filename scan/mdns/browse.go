package mdns

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan/unicast"
	"golang.org/x/net/dns/dnsmessage"
)

// collector merges the records one responder sent into a Host.
type collector struct {
	host      Host
	instances map[string]*Instance // full instance name -> instance
	order     []string
}

func newCollector(addr netip.Addr) *collector {
	return &collector{host: Host{Addr: addr}, instances: map[string]*Instance{}}
}

// add folds records into the host; the ones that name service types,
// instances, hosts and addresses are kept within caps.
func (c *collector) add(recs []record) {
	for _, r := range recs {
		switch r.typ {
		case dnsmessage.TypePTR:
			if strings.EqualFold(r.name, servicesName) {
				c.addType(serviceType(r.ptr))
			} else if st := serviceType(r.name); st != "" {
				c.addType(st)
				c.instance(r.ptr)
			}
		case dnsmessage.TypeSRV:
			if in := c.instance(r.name); in != nil {
				in.Target, in.Port = r.target, r.port
				if c.host.Hostname == "" {
					c.host.Hostname = strings.TrimSuffix(strings.TrimSuffix(r.target, "."), ".local")
				}
			}
		case dnsmessage.TypeTXT:
			if in := c.instance(r.name); in != nil && len(in.TXT) == 0 {
				in.TXT = ParseTXT(r.txt)
			}
		case dnsmessage.TypeA, dnsmessage.TypeAAAA:
			if !slices.Contains(c.host.Addrs, r.addr) && len(c.host.Addrs) < 8 {
				c.host.Addrs = append(c.host.Addrs, r.addr)
			}
		}
	}
}

func (c *collector) addType(st string) {
	if st != "" && !slices.Contains(c.host.Services, st) && len(c.host.Services) < maxTypes {
		c.host.Services = append(c.host.Services, st)
	}
}

// instance returns the instance with this full name ("Name._type._tcp.local."),
// creating it; nil when the name is not an instance name or the cap is reached.
func (c *collector) instance(full string) *Instance {
	if in, ok := c.instances[full]; ok {
		return in
	}
	label, st := splitInstance(full)
	if st == "" || len(c.instances) >= maxInstances {
		return nil
	}
	in := &Instance{Name: label, Service: st}
	c.instances[full] = in
	c.order = append(c.order, full)
	c.addType(st)
	return in
}

// result returns the host with instances in the order first seen.
func (c *collector) result() Host {
	h := c.host
	h.Instances = nil
	for _, k := range c.order {
		h.Instances = append(h.Instances, *c.instances[k])
	}
	return h
}

// serviceType returns "_x._tcp" from "_x._tcp.local." ("" if not a type).
func serviceType(n string) string {
	labels := strings.Split(strings.TrimSuffix(strings.TrimSuffix(n, "."), ".local"), ".")
	if len(labels) < 2 {
		return ""
	}
	st := labels[len(labels)-2] + "." + labels[len(labels)-1]
	proto := labels[len(labels)-1]
	if !strings.HasPrefix(labels[len(labels)-2], "_") || (proto != "_tcp" && proto != "_udp") {
		return ""
	}
	return strings.ToLower(st)
}

// splitInstance splits "Living Room._googlecast._tcp.local." into its label
// and service type. Instance labels may contain dots, so the type is the tail.
func splitInstance(full string) (label, st string) {
	s := strings.TrimSuffix(strings.TrimSuffix(full, "."), ".local")
	labels := strings.Split(s, ".")
	if len(labels) < 3 {
		return "", ""
	}
	st = serviceType(strings.Join(labels[len(labels)-2:], "."))
	if st == "" || strings.HasPrefix(labels[0], "_") && len(labels) == 3 && labels[0] == "_services" {
		return "", ""
	}
	return strings.Join(labels[:len(labels)-2], "."), st
}

// query builds a query message with the given questions (QU bit set, so a
// responder may answer us directly).
func query(id uint16, qs ...dnsmessage.Question) ([]byte, error) {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	for _, q := range qs {
		if err := b.Question(q); err != nil {
			return nil, err
		}
	}
	return b.Finish()
}

func question(n string, t dnsmessage.Type) (dnsmessage.Question, bool) {
	dn, err := dnsmessage.NewName(n)
	if err != nil {
		return dnsmessage.Question{}, false
	}
	return dnsmessage.Question{Name: dn, Type: t, Class: dnsmessage.ClassINET | 1<<15}, true
}

// exchange is how a browse sends one query and collects the answers
// (unicast to one host, or multicast to many).
type exchange func(ctx context.Context, msg []byte, wait time.Duration, recv func(from netip.Addr, recs []record)) error

// browse runs the three DNS-SD rounds over ex: service types, then the
// instances of each type, then SRV and TXT for instances that lack them.
func browse(ctx context.Context, ex exchange, wait time.Duration) (map[netip.Addr]*collector, error) {
	hosts := map[netip.Addr]*collector{}
	recv := func(from netip.Addr, recs []record) {
		c, ok := hosts[from]
		if !ok {
			if len(hosts) >= 1024 {
				return
			}
			c = newCollector(from)
			hosts[from] = c
		}
		c.add(recs)
	}
	q, _ := question(servicesName, dnsmessage.TypePTR)
	if err := send(ctx, ex, wait, recv, q); err != nil {
		return hosts, err
	}
	var types []dnsmessage.Question
	seen := map[string]bool{}
	for _, c := range hosts {
		for _, st := range c.host.Services {
			if q, ok := question(st+".local.", dnsmessage.TypePTR); ok && !seen[st] && len(types) < maxTypes {
				seen[st] = true
				types = append(types, q)
			}
		}
	}
	if len(types) > 0 && ctx.Err() == nil {
		if err := send(ctx, ex, wait, recv, types...); err != nil {
			return hosts, err
		}
	}
	var details []dnsmessage.Question
	for _, c := range hosts {
		for _, full := range c.order {
			if in := c.instances[full]; in.Port == 0 || in.TXT == nil {
				for _, t := range []dnsmessage.Type{dnsmessage.TypeSRV, dnsmessage.TypeTXT} {
					if q, ok := question(full, t); ok && len(details) < 2*maxInstances {
						details = append(details, q)
					}
				}
			}
		}
	}
	if len(details) > 0 && ctx.Err() == nil {
		return hosts, send(ctx, ex, wait, recv, details...)
	}
	return hosts, nil
}

// send builds queries from qs (a few questions per message, to stay small)
// and exchanges each.
func send(ctx context.Context, ex exchange, wait time.Duration, recv func(netip.Addr, []record), qs ...dnsmessage.Question) error {
	for i := 0; i < len(qs); i += 8 {
		msg, err := query(0, qs[i:min(i+8, len(qs))]...)
		if err != nil {
			return fmt.Errorf("mdns: build query: %w", err)
		}
		if err := ex(ctx, msg, wait, recv); err != nil {
			return err
		}
	}
	return nil
}

// QueryUnicast browses one host by sending queries to ip:port directly,
// each once more after silence (unicast.Ask).
// A host without mDNS answers with an ICMP refusal, which ends it at once.
func QueryUnicast(ctx context.Context, ip netip.Addr, port int, wait unicast.Wait) (Host, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err != nil {
		return Host{}, fmt.Errorf("mdns: query %s: %w", ip, err)
	}
	defer conn.Close()
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	// A responder answers each legacy unicast query with one message that
	// repeats the query's ID (RFC 6762 §6.7); a silent query is sent once
	// more (unicast.Ask). Each query gets its own ID, so a late answer to an
	// earlier one is kept but not taken for this one's. A host that refused,
	// or stayed silent through both tries, is not asked the later rounds.
	done := false
	id := uint16(rand.Uint32())
	ex := func(ctx context.Context, msg []byte, _ time.Duration, recv func(netip.Addr, []record)) error {
		if done || len(msg) < 2 {
			return nil
		}
		id++
		binary.BigEndian.PutUint16(msg, id)
		answered := false
		_, err := unicast.Ask(ctx, conn, msg, wait, maxPacket, func(b []byte) (bool, bool) {
			recs, err := Parse(b)
			if err != nil {
				return false, false
			}
			recv(ip, recs)
			mine := binary.BigEndian.Uint16(b) == id
			answered = answered || mine
			return mine, mine
		})
		done = err != nil || !answered
		return nil
	}
	hosts, err := browse(ctx, ex, wait())
	if c, ok := hosts[ip]; ok {
		return c.result(), err
	}
	return Host{Addr: ip}, err
}

// Browse multicasts the queries on ifi only, from src, and returns every
// host that answered within wait per round.
func Browse(ctx context.Context, ifi *net.Interface, src netip.Addr, wait time.Duration) ([]Host, error) {
	conn, done, err := unicast.Multicast(ctx, ifi, src, 255) // TTL: RFC 6762 §11
	if err != nil {
		return nil, fmt.Errorf("mdns: %w", err)
	}
	defer done()
	group := &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: Port}
	ex := func(ctx context.Context, msg []byte, wait time.Duration, recv func(netip.Addr, []record)) error {
		if _, err := conn.WriteToUDP(msg, group); err != nil {
			return fmt.Errorf("mdns: send on %s: %w", ifi.Name, err)
		}
		conn.SetReadDeadline(time.Now().Add(wait))
		buf := make([]byte, maxPacket)
		for {
			n, from, err := conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				return nil
			}
			if recs, err := Parse(buf[:n]); err == nil {
				recv(from.Addr().Unmap(), recs)
			}
		}
	}
	hosts, err := browse(ctx, ex, wait)
	var out []Host
	for _, c := range hosts {
		out = append(out, c.result())
	}
	slices.SortFunc(out, func(a, b Host) int { return a.Addr.Compare(b.Addr) })
	return out, err
}
