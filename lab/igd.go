package lab

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxSOAP caps a SOAP request body.
const maxSOAP = 64 << 10

// UPnP error codes the IGD answers with (UPnP IGD WANIPConnection:1 §2.4).
const (
	upnpInvalidAction    = 401
	upnpInvalidArgs      = 402
	upnpArrayIndexBad    = 713 // SpecifiedArrayIndexInvalid
	upnpNoSuchEntry      = 714 // NoSuchEntryInArray
	upnpActionNotAllowed = 606
)

var errNotSOAP = errors.New("not a SOAP request")

// parseSOAP reads a SOAP 1.1 envelope and returns the action element's local
// name and its child elements as arguments. It reads at most maxSOAP bytes.
func parseSOAP(r io.Reader) (string, map[string]string, error) {
	dec := xml.NewDecoder(io.LimitReader(r, maxSOAP))
	dec.Strict = false
	depth, inBody := 0, false
	action, args, arg := "", map[string]string{}, ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, fmt.Errorf("soap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case t.Name.Local == "Body" && depth == 2:
				inBody = true
			case inBody && depth == 3 && action == "":
				action = t.Name.Local
			case inBody && depth == 4 && len(args) < 32:
				arg = t.Name.Local
				args[arg] = ""
			}
		case xml.CharData:
			if arg != "" && len(args[arg]) < 1024 {
				args[arg] += string(t)
			}
		case xml.EndElement:
			depth--
			arg = ""
			if depth < 0 {
				return "", nil, errNotSOAP
			}
		}
	}
	if action == "" {
		return "", nil, errNotSOAP
	}
	for k, v := range args {
		args[k] = strings.TrimSpace(v)
	}
	return action, args, nil
}

// mapping is one port mapping as the IGD reports it.
type mapping struct {
	PortMapping
	client string // internal client address
}

// mappings are the router's current mappings: none once the owner turns
// UPnP off.
func (d *device) mappings() []mapping {
	if d.upnpOff() {
		return nil
	}
	var out []mapping
	for _, m := range d.spec.Mappings {
		client := ""
		if peer, ok := d.lab.byID[m.Client]; ok {
			client = peer.addr.String()
		}
		out = append(out, mapping{PortMapping: m, client: client})
	}
	return out
}

// control answers a SOAP action on a service's control URL.
func (d *device) control(w http.ResponseWriter, r *http.Request, serviceType string) {
	action, args, err := parseSOAP(r.Body)
	if err != nil {
		soapFault(w, upnpInvalidAction, "Invalid Action")
		return
	}
	if h := r.Header.Get("SOAPAction"); h != "" && !strings.HasSuffix(strings.Trim(h, `"`), "#"+action) {
		soapFault(w, upnpInvalidAction, "Invalid Action")
		return
	}
	if !strings.Contains(serviceType, ":WANIPConnection:") || d.upnpOff() {
		soapFault(w, upnpInvalidAction, "Invalid Action")
		return
	}
	switch action {
	case "GetExternalIPAddress":
		soapReply(w, serviceType, action, [][2]string{{"NewExternalIPAddress", d.externalIP()}})
	case "GetStatusInfo":
		soapReply(w, serviceType, action, [][2]string{{"NewConnectionStatus", "Connected"}, {"NewLastConnectionError", "ERROR_NONE"}, {"NewUptime", "86400"}})
	case "GetConnectionTypeInfo":
		soapReply(w, serviceType, action, [][2]string{{"NewConnectionType", "IP_Routed"}, {"NewPossibleConnectionTypes", "IP_Routed"}})
	case "GetGenericPortMappingEntry":
		d.genericEntry(w, serviceType, action, args)
	case "GetSpecificPortMappingEntry":
		d.specificEntry(w, serviceType, action, args)
	case "AddPortMapping", "DeletePortMapping":
		soapFault(w, upnpActionNotAllowed, "Action not authorized")
	default:
		soapFault(w, upnpInvalidAction, "Invalid Action")
	}
}

// externalIP is a documentation address (RFC 5737): the lab has no WAN.
func (d *device) externalIP() string { return "203.0.113." + strconv.Itoa(int(d.addr.As4()[3])+10) }

func (d *device) genericEntry(w http.ResponseWriter, st, action string, args map[string]string) {
	i, err := strconv.Atoi(args["NewPortMappingIndex"])
	if err != nil {
		soapFault(w, upnpInvalidArgs, "Invalid Args")
		return
	}
	ms := d.mappings()
	if i < 0 || i >= len(ms) {
		soapFault(w, upnpArrayIndexBad, "SpecifiedArrayIndexInvalid")
		return
	}
	m := ms[i]
	soapReply(w, st, action, [][2]string{
		{"NewRemoteHost", ""}, {"NewExternalPort", strconv.Itoa(m.External)}, {"NewProtocol", m.Protocol},
		{"NewInternalPort", strconv.Itoa(m.Internal)}, {"NewInternalClient", m.client}, {"NewEnabled", "1"},
		{"NewPortMappingDescription", d.text("ssdp", m.Description)}, {"NewLeaseDuration", "0"},
	})
}

func (d *device) specificEntry(w http.ResponseWriter, st, action string, args map[string]string) {
	port, err := strconv.Atoi(args["NewExternalPort"])
	if err != nil {
		soapFault(w, upnpInvalidArgs, "Invalid Args")
		return
	}
	for _, m := range d.mappings() {
		if m.External == port && strings.EqualFold(m.Protocol, args["NewProtocol"]) && args["NewRemoteHost"] == "" {
			soapReply(w, st, action, [][2]string{
				{"NewInternalPort", strconv.Itoa(m.Internal)}, {"NewInternalClient", m.client}, {"NewEnabled", "1"},
				{"NewPortMappingDescription", d.text("ssdp", m.Description)}, {"NewLeaseDuration", "0"},
			})
			return
		}
	}
	soapFault(w, upnpNoSuchEntry, "NoSuchEntryInArray")
}

const soapHead = `<?xml version="1.0"?>` + "\n" +
	`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>`

func soapReply(w http.ResponseWriter, serviceType, action string, out [][2]string) {
	var b bytes.Buffer
	b.WriteString(soapHead)
	fmt.Fprintf(&b, `<u:%sResponse xmlns:u="%s">`, action, xmlText(serviceType))
	for _, kv := range out {
		fmt.Fprintf(&b, "<%s>%s</%s>", kv[0], xmlText(kv[1]), kv[0])
	}
	fmt.Fprintf(&b, "</u:%sResponse></s:Body></s:Envelope>\r\n", action)
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	w.Header().Set("EXT", "")
	_, _ = w.Write(b.Bytes())
}

// soapFault writes a UPnPError (HTTP 500, as UPnP requires).
func soapFault(w http.ResponseWriter, code int, desc string) {
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `%s<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>%d</errorCode><errorDescription>%s</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`+"\r\n",
		soapHead, code, xmlText(desc))
}
