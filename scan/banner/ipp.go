package banner

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// probeIPP asks a printer for its attributes (IPP Get-Printer-Attributes,
// RFC 8011 §4.2.5), which is read-only, and keeps make, model and firmware.
func probeIPP(ctx context.Context, ip netip.Addr, port int, cfg Config, res *Result) {
	host := net.JoinHostPort(ip.String(), strconv.Itoa(port))
	uri := "ipp://" + host + "/ipp/print"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+host+"/ipp/print", bytes.NewReader(IPPRequest(uri)))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/ipp")
	client := newHTTPClient(ip, port, cfg)
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	res.Protocol = "ipp"
	res.Server = short(resp.Header.Get("Server"))
	res.Banner = res.Server
	if resp.StatusCode == http.StatusUnauthorized {
		res.Auth, res.Realm = ParseWWWAuthenticate(resp.Header.Values("Www-Authenticate"))
		return
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	attrs := ParseIPPAttributes(body)
	res.MakeModel = short(attrs["printer-make-and-model"])
	res.Firmware = short(attrs["printer-firmware-string-version"])
	res.Name = short(attrs["printer-info"])
	if res.Name == "" {
		res.Name = short(attrs["printer-name"])
	}
}

// ippAttrs are the attributes we ask for; a printer may send more.
var ippAttrs = []string{"printer-make-and-model", "printer-firmware-string-version", "printer-info", "printer-name", "printer-device-id"}

// IPPRequest encodes a Get-Printer-Attributes request for uri.
func IPPRequest(uri string) []byte {
	var b bytes.Buffer
	b.Write([]byte{1, 1, 0x00, 0x0b, 0, 0, 0, 1}) // IPP/1.1, Get-Printer-Attributes, request-id 1
	b.WriteByte(0x01)                             // operation-attributes-tag
	ippAttr(&b, 0x47, "attributes-charset", "utf-8")
	ippAttr(&b, 0x48, "attributes-natural-language", "en")
	ippAttr(&b, 0x45, "printer-uri", uri)
	for i, a := range ippAttrs {
		name := ""
		if i == 0 {
			name = "requested-attributes" // later values of a 1setOf have an empty name
		}
		ippAttr(&b, 0x44, name, a)
	}
	b.WriteByte(0x03) // end-of-attributes-tag
	return b.Bytes()
}

func ippAttr(b *bytes.Buffer, tag byte, name, value string) {
	b.WriteByte(tag)
	binary.Write(b, binary.BigEndian, uint16(len(name)))
	b.WriteString(name)
	binary.Write(b, binary.BigEndian, uint16(len(value)))
	b.WriteString(value)
}

// ParseIPPAttributes reads the text-valued attributes of an IPP response
// (values of a 1setOf joined with "; "). Malformed input ends the parse; what
// was read until then is returned. At most 256 attributes are kept.
func ParseIPPAttributes(b []byte) map[string]string {
	out := map[string]string{}
	if len(b) < 8 {
		return out
	}
	b = b[8:] // version, status, request-id
	last := ""
	for len(b) > 0 && len(out) < 256 {
		tag := b[0]
		b = b[1:]
		if tag == 0x03 {
			break
		}
		if tag < 0x10 {
			continue // a group delimiter
		}
		name, rest, ok := ippField(b)
		if !ok {
			break
		}
		value, rest, ok := ippField(rest)
		if !ok {
			break
		}
		b = rest
		if len(name) > 0 {
			last = strings.ToLower(short(string(name)))
		}
		if last == "" || !textTag(tag) {
			continue
		}
		if tag == 0x35 || tag == 0x36 { // textWithLanguage: language, then the text
			_, inner, ok := ippField(value)
			if text, _, ok2 := ippField(inner); ok && ok2 {
				value = text
			}
		}
		v := short(string(value))
		if prev, ok := out[last]; ok && len(name) == 0 {
			v = short(prev + "; " + v)
		}
		out[last] = v
	}
	return out
}

// ippField reads a two-byte length and that many bytes.
func ippField(b []byte) (field, rest []byte, ok bool) {
	if len(b) < 2 {
		return nil, nil, false
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 2+n {
		return nil, nil, false
	}
	return b[2 : 2+n], b[2+n:], true
}

// textTag reports whether an IPP value tag carries text (text, name,
// keyword, uri, charset, language, mime type, and their *WithLanguage forms).
func textTag(tag byte) bool { return tag >= 0x35 && tag <= 0x49 && tag != 0x37 && tag != 0x38 }
