package lab

import (
	"bufio"
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/dns/dnsmessage"
)

// The fuzz targets feed what a hostile scanner could send to every parser a
// lab device runs. `go test` runs their seeds (testdata/fuzz/FuzzXxx and
// f.Add) as plain tests; `go test -fuzz FuzzXxx` explores further.

func FuzzMSearch(f *testing.F) {
	f.Add([]byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n"))
	f.Add([]byte("M-SEARCH * HTTP/1.1\nMAN: \"ssdp:discover\"\nST: upnp:rootdevice\n\n"))
	f.Add([]byte("NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseMSearch(b)
		if err != nil {
			return
		}
		if m.ST == "" || len(m.ST) > 256 || strings.ContainsAny(m.ST, "\r\n") || m.MX < 0 || m.MX > 5 {
			t.Fatalf("parseMSearch(%q) = %+v", b, m)
		}
	})
}

func FuzzAuthorization(f *testing.F) {
	f.Add(`Basic YWRtaW46YWRtaW4=`)
	f.Add(`Digest username="admin", realm="Hikvision", nonce="abc", uri="/", qop=auth, nc=00000001, cnonce="x", response="0123"`)
	f.Add(`Digest username="a\"b", response=, realm`)
	f.Fuzz(func(t *testing.T, h string) {
		c, ok := parseAuthorization(h)
		if !ok {
			return
		}
		if c.scheme != authBasic && c.scheme != authDigest {
			t.Fatalf("scheme %q", c.scheme)
		}
		if len(c.params) > 32 {
			t.Fatalf("%d params", len(c.params))
		}
		_ = checkDigest(c, "GET", "Hikvision", "12345")
	})
}

func FuzzSOAP(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetGenericPortMappingEntry xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewPortMappingIndex>0</NewPortMappingIndex></u:GetGenericPortMappingEntry></s:Body></s:Envelope>`))
	f.Add([]byte(`<a><Body><x><y>1</y></x></Body></a>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		action, args, err := parseSOAP(bytes.NewReader(b))
		if err != nil {
			return
		}
		if action == "" || len(args) > 32 {
			t.Fatalf("parseSOAP = %q, %d args", action, len(args))
		}
		for _, v := range args {
			if len(v) > 2048 {
				t.Fatalf("argument of %d bytes", len(v))
			}
		}
	})
}

func FuzzMDNSQuery(f *testing.F) {
	q := dnsmessage.Message{Questions: []dnsmessage.Question{
		{Name: dnsmessage.MustNewName("_services._dns-sd._udp.local."), Type: dnsmessage.TypePTR, Class: dnsmessage.ClassINET},
		{Name: dnsmessage.MustNewName("_sonos._tcp.local."), Type: dnsmessage.TypeALL, Class: dnsmessage.ClassINET | unicastResponse},
	}}
	b, _ := q.Pack()
	f.Add(b, true)
	f.Add([]byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1}, false)
	d := fuzzDevice(f, "speaker")
	f.Fuzz(func(t *testing.T, b []byte, legacy bool) {
		id, qs, err := parseQuery(b)
		if err != nil {
			return
		}
		answers, extra := d.answer(qs, 4500)
		msg, err := buildResponse(id, qs, answers, extra, legacy)
		if err != nil {
			return
		}
		var m dnsmessage.Message
		if err := m.Unpack(msg); err != nil {
			t.Fatalf("the lab's own response does not parse: %v", err)
		}
		if len(msg) > maxMDNS {
			t.Fatalf("response of %d bytes", len(msg))
		}
	})
}

func FuzzTelnetLine(f *testing.F) {
	f.Add([]byte("root\r\n"))
	f.Add([]byte("ro\xff\xfb\x18ot\r\x00pass\n"))
	f.Add([]byte("\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0admin\r\n"))
	f.Add([]byte("\xff\xff\x1b[2Jx\b\by\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr := &telnetReader{r: bufio.NewReader(bytes.NewReader(b))}
		for range 8 {
			line, err := tr.readLine()
			if len(line) > maxTelnetLine {
				t.Fatalf("line of %d bytes", len(line))
			}
			for _, c := range []byte(line) {
				if c < 0x20 || c == tnIAC {
					t.Fatalf("control byte %#x in %q", c, line)
				}
			}
			if err != nil {
				return
			}
		}
	})
}

func FuzzRTSP(f *testing.F) {
	f.Add([]byte("OPTIONS rtsp://127.0.0.1/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
	f.Add([]byte("DESCRIBE rtsp://x/ RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 3\r\n\r\nabc"))
	f.Add([]byte("DESCRIBE / RTSP/1.0\r\nCSeq: \x1b[2J\r\nAuthorization: Digest username=\"admin\"\r\n\r\n"))
	d := fuzzDevice(f, "camera")
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := readRTSP(bufio.NewReaderSize(bytes.NewReader(b), 1024))
		if err != nil {
			return
		}
		reply := d.rtspReply(req)
		head, _, _ := strings.Cut(string(reply), "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			if strings.ContainsAny(line, "\x1b\x00\n\r") || !utf8.ValidString(line) {
				t.Fatalf("reply header line %q carries control bytes", line)
			}
		}
	})
}

func FuzzMQTT(f *testing.F) {
	f.Add([]byte{0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 4, 't', 'e', 's', 't'})
	f.Add([]byte{0x10, 0x16, 0, 4, 'M', 'Q', 'T', 'T', 4, 0xc2, 0, 60, 0, 0, 0, 2, 'p', 'i', 0, 3, 'a', 'b', 'c', 0})
	f.Add([]byte{0x10, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bufio.NewReader(bytes.NewReader(b))
		typ, flags, body, err := readMQTT(r, r)
		if err != nil {
			return
		}
		if len(body) > maxMQTTPacket {
			t.Fatalf("body of %d bytes", len(body))
		}
		switch typ {
		case mqttCONNECT:
			_, _ = parseConnect(body)
		case mqttSUBSCRIBE:
			_ = suback(body)
		case mqttPUBLISH:
			_ = puback(flags, body)
		}
	})
}

func FuzzIPP(f *testing.F) {
	var w ippWriter
	w.Write([]byte{2, 0, 0, 0x0b, 0, 0, 0, 1, ippOperationGroup})
	w.str(ippCharset, "attributes-charset", "utf-8")
	w.str(ippLanguage, "attributes-natural-language", "en")
	w.str(ippURI, "printer-uri", "ipp://127.0.0.1:631/ipp/print")
	w.str(ippKeyword, "requested-attributes", "all", "printer-firmware-string-version")
	w.WriteByte(ippEndOfAttrs)
	f.Add(w.Bytes())
	f.Add([]byte{1, 1, 0, 2, 0, 0, 0, 9, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := parseIPP(b)
		if err != nil {
			return
		}
		if len(req.Attrs) > 64 {
			t.Fatalf("%d attributes", len(req.Attrs))
		}
	})
}

// fuzzDevice builds one device of the home scenario without sockets.
func fuzzDevice(f *testing.F, id string) *device {
	f.Helper()
	l, err := newLab(f.Context(), Options{Scenario: "home"}, netip.MustParsePrefix("127.77.1.0/24"), loopbackEnv{})
	if err != nil {
		f.Fatal(err)
	}
	return l.byID[id]
}
