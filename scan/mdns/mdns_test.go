package mdns

import (
	"net"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/unicast"
	"golang.org/x/net/dns/dnsmessage"
)

// responder answers each DNS-SD question from a fixed zone, the way a device
// answers a legacy unicast query: same ID, answers plus helpful additionals.
type responder struct {
	ip    netip.Addr
	types map[string][]string // service type -> instance labels
	txt   []string
	// repeat sends each answer this many times more, the copies held back
	// until the next query arrives: late duplicates, as a resent query or
	// a busy network produces.
	repeat int
}

func (z responder) answer(q []byte) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(q)
	if err != nil {
		return nil
	}
	qs, _ := p.AllQuestions()
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
	b.StartAnswers()
	rh := func(name string, typ dnsmessage.Type) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(name), Type: typ, Class: dnsmessage.ClassINET, TTL: 120}
	}
	for _, q := range qs {
		name := q.Name.String()
		switch {
		case name == servicesName:
			for st := range z.types {
				b.PTRResource(rh(servicesName, dnsmessage.TypePTR), dnsmessage.PTRResource{PTR: dnsmessage.MustNewName(st + ".local.")})
			}
		case q.Type == dnsmessage.TypePTR:
			for _, in := range z.types[name[:len(name)-len(".local.")]] {
				b.PTRResource(rh(name, dnsmessage.TypePTR), dnsmessage.PTRResource{PTR: dnsmessage.MustNewName(in + "." + name)})
			}
		case q.Type == dnsmessage.TypeSRV:
			b.SRVResource(rh(name, dnsmessage.TypeSRV), dnsmessage.SRVResource{Target: dnsmessage.MustNewName("shellyplug-s-0F3E21.local."), Port: 80})
			b.AResource(rh("shellyplug-s-0F3E21.local.", dnsmessage.TypeA), dnsmessage.AResource{A: z.ip.As4()})
		case q.Type == dnsmessage.TypeTXT:
			b.TXTResource(rh(name, dnsmessage.TypeTXT), dnsmessage.TXTResource{TXT: z.txt})
		}
	}
	msg, _ := b.Finish()
	return msg
}

func serve(t *testing.T, z responder) int {
	t.Helper()
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(z.ip, 0)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 9000)
		var held [][]byte
		for {
			n, from, err := conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			for _, late := range held {
				conn.WriteToUDPAddrPort(late, from)
			}
			held = held[:0]
			a := z.answer(buf[:n])
			for range z.repeat {
				held = append(held, a)
			}
			conn.WriteToUDPAddrPort(a, from)
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return conn.LocalAddr().(*net.UDPAddr).Port
}

func TestQueryUnicast(t *testing.T) {
	ip := netip.MustParseAddr("127.0.0.1")
	port := serve(t, responder{ip: ip,
		types: map[string][]string{"_http._tcp": {"shellyplug-s-0F3E21"}, "_shelly._tcp": {"shellyplug-s-0F3E21"}},
		txt:   []string{"gen=1", "app=Plug\x1b[31mS", "ver=1.9.4", "ver=2.0", "=novalue", "ID=shellyplug-s-0F3E21"}})
	h, err := QueryUnicast(t.Context(), ip, port, unicast.Fixed(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if h.Hostname != "shellyplug-s-0F3E21" || len(h.Services) != 2 || len(h.Instances) != 2 {
		t.Fatalf("QueryUnicast = %+v", h)
	}
	in := h.Instances[0]
	want := map[string]string{"gen": "1", "app": "PlugS", "ver": "1.9.4", "id": "shellyplug-s-0F3E21"}
	if in.Name != "shellyplug-s-0F3E21" || in.Port != 80 || !reflect.DeepEqual(in.TXT, want) {
		t.Errorf("instance = %+v, want TXT %v", in, want)
	}
}

func TestQueryUnicastLateDuplicates(t *testing.T) {
	// Before each answer come late copies of the answer to the previous
	// query: matching answers to queries by ID keeps every round.
	ip := netip.MustParseAddr("127.0.0.1")
	port := serve(t, responder{ip: ip, repeat: 2,
		types: map[string][]string{"_matter._tcp": {"18B4305C8E12-0000000000000001"}},
		txt:   []string{"VP=4470+0"}})
	h, err := QueryUnicast(t.Context(), ip, port, unicast.Fixed(time.Second))
	if err != nil || h.Hostname != "shellyplug-s-0F3E21" || len(h.Instances) != 1 || h.Instances[0].TXT["vp"] != "4470+0" {
		t.Fatalf("QueryUnicast = %+v, %v; want the instance with its SRV and TXT", h, err)
	}
}

func TestQueryUnicastNobodyThere(t *testing.T) {
	start := time.Now()
	h, _ := QueryUnicast(t.Context(), netip.MustParseAddr("127.0.0.1"), 9, unicast.Fixed(2*time.Second))
	if len(h.Services) != 0 {
		t.Errorf("services from nobody: %+v", h)
	}
	if time.Since(start) > time.Second {
		t.Errorf("a refused query took %v; the ICMP refusal should end it at once", time.Since(start))
	}
}

func TestSplitInstance(t *testing.T) {
	tests := []struct{ in, label, st string }{
		{"Living Room._googlecast._tcp.local.", "Living Room", "_googlecast._tcp"},
		{"HP OfficeJet Pro 9010 [4F2A1B]._ipp._tcp.local.", "HP OfficeJet Pro 9010 [4F2A1B]", "_ipp._tcp"},
		{"a.b.c._hap._udp.local.", "a.b.c", "_hap._udp"},
		{"_googlecast._tcp.local.", "", ""},
		{"host.local.", "", ""},
	}
	for _, tt := range tests {
		label, st := splitInstance(tt.in)
		if label != tt.label || st != tt.st {
			t.Errorf("splitInstance(%q) = %q, %q, want %q, %q", tt.in, label, st, tt.label, tt.st)
		}
	}
}

func FuzzParse(f *testing.F) {
	z := responder{ip: netip.MustParseAddr("10.0.0.2"), types: map[string][]string{"_ipp._tcp": {"Printer"}}, txt: []string{"ty=HP"}}
	q, _ := query(0, dnsmessage.Question{Name: dnsmessage.MustNewName("Printer._ipp._tcp.local."), Type: dnsmessage.TypeTXT, Class: dnsmessage.ClassINET})
	f.Add(z.answer(q))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, _ := Parse(b)
		c := newCollector(netip.MustParseAddr("10.0.0.2"))
		c.add(recs)
		h := c.result()
		if len(h.Services) > maxTypes || len(h.Instances) > maxInstances {
			t.Fatalf("caps exceeded: %d types, %d instances", len(h.Services), len(h.Instances))
		}
		for _, in := range h.Instances {
			if !clean.Safe(in.Name) || len(in.TXT) > maxTXTKeys {
				t.Fatalf("unsafe instance %+v", in)
			}
		}
	})
}

func FuzzParseTXT(f *testing.F) {
	f.Add("md=Google TV Streamer", "fn=\x1b[2JLounge")
	f.Fuzz(func(t *testing.T, a, b string) {
		m := ParseTXT([]string{a, b, a})
		for k, v := range m {
			if k == "" || !clean.Safe(k) || !clean.Safe(v) || len(v) > clean.Short {
				t.Fatalf("unsafe %q=%q", k, v)
			}
		}
	})
}
