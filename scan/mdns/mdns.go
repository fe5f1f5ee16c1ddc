// Package mdns browses DNS-SD over multicast DNS (RFC 6762, RFC 6763): it
// enumerates the service types a host offers, then their instances with
// SRV, TXT and addresses. Queries go multicast on one chosen interface, or
// unicast to one address (the legacy unicast mode of RFC 6762 §6.7, which
// responders answer directly). Every name and TXT value is cleaned and capped.
package mdns

import (
	"errors"
	"net/netip"
	"strings"

	"github.com/porchlight/porchlight/scan/clean"
	"golang.org/x/net/dns/dnsmessage"
)

// Port is the mDNS port.
const Port = 5353

// Caps on what one host may tell us.
const (
	maxPacket    = 9000 // RFC 6762 §17
	maxTypes     = 32
	maxInstances = 64
	maxTXTKeys   = 32
)

const servicesName = "_services._dns-sd._udp.local."

// Instance is one advertised service instance.
type Instance struct {
	Name    string // instance label, e.g. "Living Room"
	Service string // "_googlecast._tcp"
	Target  string // SRV target host name
	Port    int
	TXT     map[string]string // keys lower-cased
}

// Host is everything one responder told us.
type Host struct {
	Addr      netip.Addr // the address the answers came from
	Hostname  string     // from SRV targets / A records, without ".local."
	Services  []string   // service types, "_ipp._tcp"
	Instances []Instance
	Addrs     []netip.Addr // A/AAAA records for its own host name
}

// record is one parsed resource record we care about.
type record struct {
	name   string
	typ    dnsmessage.Type
	ptr    string
	target string
	port   int
	txt    []string
	addr   netip.Addr
}

// ErrMalformed means a datagram is not a DNS message we can read.
var ErrMalformed = errors.New("mdns: malformed message")

// Parse reads the answers and additional records of one DNS message. A
// malformed record ends the parse; records read before it are returned.
func Parse(b []byte) ([]record, error) {
	if len(b) > maxPacket {
		b = b[:maxPacket]
	}
	var p dnsmessage.Parser
	hdr, err := p.Start(b)
	if err != nil || !hdr.Response {
		return nil, ErrMalformed
	}
	if err := p.SkipAllQuestions(); err != nil {
		return nil, ErrMalformed
	}
	var out []record
	for section := 0; section < 3; section++ {
		for len(out) < 256 {
			h, err := nextHeader(&p, section)
			if err != nil {
				break
			}
			r, ok := readBody(&p, h)
			if ok {
				out = append(out, r)
			} else if err := skip(&p, section); err != nil {
				return out, nil
			}
		}
		if section < 2 && advance(&p, section) != nil {
			break
		}
	}
	return out, nil
}

func nextHeader(p *dnsmessage.Parser, section int) (dnsmessage.ResourceHeader, error) {
	switch section {
	case 0:
		return p.AnswerHeader()
	case 1:
		return p.AuthorityHeader()
	default:
		return p.AdditionalHeader()
	}
}

func skip(p *dnsmessage.Parser, section int) error {
	switch section {
	case 0:
		return p.SkipAnswer()
	case 1:
		return p.SkipAuthority()
	default:
		return p.SkipAdditional()
	}
}

func advance(p *dnsmessage.Parser, section int) error {
	switch section {
	case 0:
		return p.SkipAllAnswers()
	default:
		return p.SkipAllAuthorities()
	}
}

// readBody reads the body of a PTR, SRV, TXT, A or AAAA record; ok is false
// for other types (the body is then still unread).
func readBody(p *dnsmessage.Parser, h dnsmessage.ResourceHeader) (record, bool) {
	r := record{name: name(h.Name), typ: h.Type}
	switch h.Type {
	case dnsmessage.TypePTR:
		b, err := p.PTRResource()
		if err != nil {
			return r, false
		}
		r.ptr = name(b.PTR)
	case dnsmessage.TypeSRV:
		b, err := p.SRVResource()
		if err != nil {
			return r, false
		}
		r.target, r.port = name(b.Target), int(b.Port)
	case dnsmessage.TypeTXT:
		b, err := p.TXTResource()
		if err != nil {
			return r, false
		}
		r.txt = b.TXT
	case dnsmessage.TypeA:
		b, err := p.AResource()
		if err != nil {
			return r, false
		}
		r.addr = netip.AddrFrom4(b.A)
	case dnsmessage.TypeAAAA:
		b, err := p.AAAAResource()
		if err != nil {
			return r, false
		}
		r.addr = netip.AddrFrom16(b.AAAA)
	default:
		return r, false
	}
	return r, true
}

// name turns a DNS name into text with escapes ("\032" for a space) decoded,
// lower-cased only where DNS-SD treats it as a type, cleaned and capped.
func name(n dnsmessage.Name) string {
	return clean.String(unescape(n.String()), clean.Short)
}

// unescape decodes the \DDD and \X escapes dnsmessage uses for label bytes.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			v := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if v < 256 {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ParseTXT turns TXT strings ("key=value") into a map with lower-cased keys,
// cleaned values, at most maxTXTKeys keys; the first of a repeated key wins
// (RFC 6763 §6.4).
func ParseTXT(txt []string) map[string]string {
	out := map[string]string{}
	for _, kv := range txt {
		if len(out) >= maxTXTKeys {
			break
		}
		k, v, _ := strings.Cut(kv, "=")
		k = strings.ToLower(clean.String(k, 64))
		if k == "" {
			continue
		}
		if _, dup := out[k]; !dup {
			out[k] = clean.String(v, clean.Short)
		}
	}
	return out
}
