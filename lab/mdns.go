package lab

import (
	"errors"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
	"golang.org/x/net/ipv4"
)

var mdnsGroup = netip.MustParseAddr("224.0.0.251")

// maxMDNS caps an mDNS datagram (RFC 6762 §17: 9000 bytes).
const maxMDNS = 9000

// cacheFlush is the mDNS cache-flush bit on a record's class (RFC 6762 §10.2).
const cacheFlush = 1 << 15

// unicastResponse is the QU bit on a question's class (RFC 6762 §5.4).
const unicastResponse = 1 << 15

var errNotQuery = errors.New("mdns: not a query")

// parseQuery reads an mDNS/DNS query: its id and at most 16 questions.
func parseQuery(b []byte) (uint16, []dnsmessage.Question, error) {
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil {
		return 0, nil, err
	}
	if h.Response || h.OpCode != 0 {
		return 0, nil, errNotQuery
	}
	var qs []dnsmessage.Question
	for len(qs) < 16 {
		q, err := p.Question()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			break
		}
		if err != nil {
			return 0, nil, err
		}
		qs = append(qs, q)
	}
	return h.ID, qs, nil
}

// dnsName makes a name, cut to the 255 bytes DNS allows (a hostile
// scenario's names may be longer; the packer then refuses them, harmlessly).
func dnsName(s string) dnsmessage.Name {
	if len(s) > 255 {
		s = s[:255]
	}
	n, _ := dnsmessage.NewName(s)
	return n
}

// record is one resource record the device owns.
type record struct {
	name  string // lower-case, fully qualified, for matching
	hdr   dnsmessage.ResourceHeader
	body  dnsmessage.ResourceBody
	share bool // shared records (PTR) never carry the cache-flush bit
}

// mdnsRecords lists every record d answers for.
func (d *device) mdnsRecords(ttlCap uint32) []record {
	host := d.hostname() + ".local."
	ttl := func(t uint32) uint32 { return min(t, ttlCap) }
	mk := func(name string, typ dnsmessage.Type, t uint32, body dnsmessage.ResourceBody, shared bool) record {
		n := dnsName(name)
		return record{name: strings.ToLower(name), hdr: dnsmessage.ResourceHeader{Name: n, Type: typ, Class: dnsmessage.ClassINET, TTL: ttl(t)}, body: body, share: shared}
	}
	recs := []record{mk(host, dnsmessage.TypeA, 120, &dnsmessage.AResource{A: d.addr.As4()}, false)}
	for _, s := range d.spec.MDNS {
		typ := s.Type + ".local."
		inst := d.text("mdns", d.expand(s.Instance)) + "." + typ
		var txt []string
		for _, t := range s.TXT {
			txt = append(txt, d.text("mdns", d.expand(t)))
		}
		if len(txt) == 0 {
			txt = []string{""} // an empty TXT record still has one empty string
		}
		recs = append(recs,
			mk("_services._dns-sd._udp.local.", dnsmessage.TypePTR, 4500, &dnsmessage.PTRResource{PTR: dnsName(typ)}, true),
			mk(typ, dnsmessage.TypePTR, 4500, &dnsmessage.PTRResource{PTR: dnsName(inst)}, true),
			mk(inst, dnsmessage.TypeSRV, 120, &dnsmessage.SRVResource{Port: uint16(d.lab.net.port(s.Port)), Target: dnsName(host)}, false),
			mk(inst, dnsmessage.TypeTXT, 4500, &dnsmessage.TXTResource{TXT: txt}, false),
		)
	}
	return recs
}

// answer finds the answers and additional records for the questions.
// Additional records follow DNS-SD §12: a PTR brings its SRV, TXT and A; an
// SRV brings its A.
func (d *device) answer(qs []dnsmessage.Question, ttlCap uint32) (answers, extra []record) {
	recs := d.mdnsRecords(ttlCap)
	have := map[string]bool{}
	key := func(r record) string { return r.name + "/" + r.hdr.Type.String() + "/" + r.body.GoString() }
	add := func(list *[]record, r record) {
		if k := key(r); !have[k] {
			have[k] = true
			*list = append(*list, r)
		}
	}
	for _, q := range qs {
		name := strings.ToLower(q.Name.String())
		for _, r := range recs {
			if r.name == name && (q.Type == r.hdr.Type || q.Type == dnsmessage.TypeALL) {
				add(&answers, r)
			}
		}
	}
	for _, a := range answers {
		var target string
		switch b := a.body.(type) {
		case *dnsmessage.PTRResource:
			target = strings.ToLower(b.PTR.String())
		case *dnsmessage.SRVResource:
			target = strings.ToLower(b.Target.String())
		}
		for _, r := range recs {
			if target != "" && r.name == target && r.hdr.Type != dnsmessage.TypePTR {
				add(&extra, r)
				if srv, ok := r.body.(*dnsmessage.SRVResource); ok {
					for _, h := range recs {
						if h.name == strings.ToLower(srv.Target.String()) {
							add(&extra, h)
						}
					}
				}
			}
		}
	}
	return answers, extra
}

// buildResponse packs an mDNS response. Legacy unicast replies (RFC 6762
// §6.7) echo the id and questions and drop the cache-flush bit.
func buildResponse(id uint16, qs []dnsmessage.Question, answers, extra []record, legacy bool) ([]byte, error) {
	h := dnsmessage.Header{Response: true, Authoritative: true}
	if legacy {
		h.ID = id
	}
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), h)
	b.EnableCompression()
	if legacy {
		if err := b.StartQuestions(); err != nil {
			return nil, err
		}
		for _, q := range qs {
			q.Class &^= unicastResponse
			if err := b.Question(q); err != nil {
				return nil, err
			}
		}
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	if err := addRecords(&b, answers, legacy); err != nil {
		return nil, err
	}
	if err := b.StartAdditionals(); err != nil {
		return nil, err
	}
	if err := addRecords(&b, extra, legacy); err != nil {
		return nil, err
	}
	return b.Finish()
}

func addRecords(b *dnsmessage.Builder, recs []record, legacy bool) error {
	for _, r := range recs {
		h := r.hdr
		if !legacy && !r.share {
			h.Class |= cacheFlush
		}
		var err error
		switch body := r.body.(type) {
		case *dnsmessage.AResource:
			err = b.AResource(h, *body)
		case *dnsmessage.PTRResource:
			err = b.PTRResource(h, *body)
		case *dnsmessage.SRVResource:
			err = b.SRVResource(h, *body)
		case *dnsmessage.TXTResource:
			err = b.TXTResource(h, *body)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// serveMDNS answers mDNS queries on UDP 5353: unicast queries (and legacy
// ones from other ports) by unicast to the asker, multicast ones (in
// namespaces) on the group unless the question asks for a unicast reply.
func serveMDNS(l *Lab, d *device) error {
	if len(d.spec.MDNS) == 0 {
		return nil
	}
	conn, err := l.net.listenUDP(d, mdnsPort, mdnsGroup)
	if err != nil {
		return err
	}
	if !l.track(conn) {
		return nil
	}
	d.mdnsConn = conn
	pc := ipv4.NewPacketConn(conn)
	_ = pc.SetControlMessage(ipv4.FlagDst, true)
	if ifi := l.net.mcastIface(d); ifi != nil {
		_ = pc.SetMulticastInterface(ifi)
		_ = pc.SetMulticastTTL(255) // RFC 6762 §11
	}
	l.goServe(func() {
		buf := make([]byte, maxMDNS)
		for {
			n, cm, src, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if !d.misbehaves("mdns", misSilent) {
				d.answerMDNS(conn, buf[:n], cm, src)
			}
		}
	})
	return nil
}

func (d *device) answerMDNS(conn *net.UDPConn, b []byte, cm *ipv4.ControlMessage, src net.Addr) {
	if d.hostileMDNS(conn, b, src) { // hostile.go
		return
	}
	id, qs, err := parseQuery(b)
	if err != nil || len(qs) == 0 {
		return
	}
	from, ok := src.(*net.UDPAddr)
	if !ok {
		return
	}
	legacy := from.Port != mdnsPort
	unicast := legacy || cm == nil || !cm.Dst.IsMulticast()
	for _, q := range qs {
		unicast = unicast || q.Class&unicastResponse != 0
	}
	ttlCap := uint32(4500)
	if legacy {
		ttlCap = 10 // RFC 6762 §6.7
	}
	answers, extra := d.answer(qs, ttlCap)
	if len(answers) == 0 {
		return
	}
	msg, err := buildResponse(id, qs, answers, extra, legacy)
	if err != nil {
		return
	}
	dst := src
	if !unicast {
		dst = net.UDPAddrFromAddrPort(netip.AddrPortFrom(mdnsGroup, mdnsPort))
	}
	_, _ = conn.WriteTo(msg, dst)
}
