package lab

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// IPP tags and codes (RFC 8010 §3.5, RFC 8011).
const (
	ippOperationGroup = 0x01
	ippPrinterGroup   = 0x04
	ippEndOfAttrs     = 0x03

	ippBoolean  = 0x22
	ippEnum     = 0x23
	ippText     = 0x41
	ippName     = 0x42
	ippKeyword  = 0x44
	ippURI      = 0x45
	ippCharset  = 0x47
	ippLanguage = 0x48
	ippMIME     = 0x49

	ippGetPrinterAttributes = 0x000B

	ippOK                    = 0x0000
	ippBadRequest            = 0x0400
	ippOperationNotSupported = 0x0501
)

// maxIPP caps an IPP request the lab reads (attributes only; no documents).
const maxIPP = 64 << 10

var errBadIPP = errors.New("ipp: malformed request")

// ippRequest is a parsed request head.
type ippRequest struct {
	Major, Minor byte
	Op           uint16
	ID           uint32
	Attrs        map[string]string // first value of each attribute, capped
}

// parseIPP reads an IPP request's header and attribute groups.
func parseIPP(b []byte) (ippRequest, error) {
	if len(b) < 9 {
		return ippRequest{}, fmt.Errorf("%w: %d bytes", errBadIPP, len(b))
	}
	req := ippRequest{Major: b[0], Minor: b[1], Op: binary.BigEndian.Uint16(b[2:]), ID: binary.BigEndian.Uint32(b[4:]), Attrs: map[string]string{}}
	p := b[8:]
	for n := 0; n < 512; n++ {
		if len(p) == 0 {
			return req, fmt.Errorf("%w: no end-of-attributes tag", errBadIPP)
		}
		tag := p[0]
		p = p[1:]
		if tag == ippEndOfAttrs {
			return req, nil
		}
		if tag < 0x10 { // a delimiter starts a new group
			continue
		}
		name, rest, ok := ippField(p)
		if !ok {
			return req, fmt.Errorf("%w: attribute name", errBadIPP)
		}
		value, rest, ok := ippField(rest)
		if !ok {
			return req, fmt.Errorf("%w: attribute value", errBadIPP)
		}
		if len(name) > 0 && len(req.Attrs) < 64 {
			req.Attrs[string(name)] = string(value)
		}
		p = rest
	}
	return req, fmt.Errorf("%w: too many attributes", errBadIPP)
}

// ippField reads a two-byte length and that many bytes.
func ippField(p []byte) ([]byte, []byte, bool) {
	if len(p) < 2 {
		return nil, nil, false
	}
	n := int(binary.BigEndian.Uint16(p))
	if len(p) < 2+n {
		return nil, nil, false
	}
	return p[2 : 2+n], p[2+n:], true
}

// ippWriter builds an IPP message.
type ippWriter struct{ bytes.Buffer }

func (w *ippWriter) attr(tag byte, name string, values ...[]byte) {
	for i, v := range values {
		w.WriteByte(tag)
		if i > 0 {
			name = "" // additional values have an empty name
		}
		_ = binary.Write(w, binary.BigEndian, uint16(len(name)))
		w.WriteString(name)
		_ = binary.Write(w, binary.BigEndian, uint16(len(v)))
		w.Write(v)
	}
}

func (w *ippWriter) str(tag byte, name string, values ...string) {
	bs := make([][]byte, len(values))
	for i, v := range values {
		bs[i] = []byte(v)
	}
	w.attr(tag, name, bs...)
}

func (w *ippWriter) enum(name string, values ...uint32) {
	bs := make([][]byte, len(values))
	for i, v := range values {
		bs[i] = binary.BigEndian.AppendUint32(nil, v)
	}
	w.attr(ippEnum, name, bs...)
}

// serveIPP answers Get-Printer-Attributes with the printer's identity and
// firmware; other operations are politely refused.
func (d *device) serveIPP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxIPP))
	if err != nil {
		return
	}
	req, err := parseIPP(body)
	status := uint16(ippOK)
	switch {
	case err != nil:
		status = ippBadRequest
	case req.Op != ippGetPrinterAttributes:
		status = ippOperationNotSupported
	}
	var out ippWriter
	out.Write([]byte{2, 0})
	_ = binary.Write(&out, binary.BigEndian, status)
	_ = binary.Write(&out, binary.BigEndian, req.ID)
	out.WriteByte(ippOperationGroup)
	out.str(ippCharset, "attributes-charset", "utf-8")
	out.str(ippLanguage, "attributes-natural-language", "en")
	if status == ippOK {
		d.printerAttributes(&out)
	}
	out.WriteByte(ippEndOfAttrs)
	w.Header().Set("Content-Type", "application/ipp")
	_, _ = w.Write(out.Bytes())
}

func (d *device) printerAttributes(out *ippWriter) {
	uri := fmt.Sprintf("ipp://%s:%d%s", d.addr, d.lab.net.port(d.spec.IPP.Port), d.spec.IPP.Path)
	model := d.spec.Maker + " " + d.spec.Model
	out.WriteByte(ippPrinterGroup)
	out.str(ippURI, "printer-uri-supported", uri)
	out.str(ippKeyword, "uri-security-supported", "none")
	out.str(ippKeyword, "uri-authentication-supported", "none")
	out.str(ippName, "printer-name", d.text("ipp", d.spec.Name))
	out.str(ippText, "printer-info", d.text("ipp", d.spec.Name))
	out.str(ippText, "printer-make-and-model", d.text("ipp", model))
	out.str(ippURI, "printer-uuid", "urn:uuid:"+d.uuid())
	out.str(ippText, "printer-device-id", "MFG:"+d.spec.Maker+";MDL:"+d.spec.Model+";CMD:PCL3GUI,PJL,Automatic,JPEG,PCLM,AppleRaster,PWGRaster,DW-PCL,802.11,DESKJET,DYN;CLS:PRINTER;")
	out.str(ippName, "printer-firmware-name", "FW")
	out.str(ippText, "printer-firmware-string-version", d.firmware())
	out.enum("printer-state", 3) // idle
	out.str(ippKeyword, "printer-state-reasons", "none")
	out.attr(ippBoolean, "printer-is-accepting-jobs", []byte{1})
	out.str(ippKeyword, "ipp-versions-supported", "1.0", "1.1", "2.0")
	out.enum("operations-supported", 0x02, 0x04, 0x05, 0x06, 0x08, 0x09, 0x0A, 0x0B)
	out.str(ippMIME, "document-format-supported", "application/pdf", "image/urf", "image/pwg-raster", "image/jpeg")
	out.str(ippURI, "printer-more-info", fmt.Sprintf("http://%s:%d/", d.addr, d.lab.net.port(80)))
}
