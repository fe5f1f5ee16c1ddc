package ssdp

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
)

// Description caps: a real description is a few KiB.
const (
	MaxDescription = 256 << 10
	maxDepth       = 32
	maxTokens      = 50000
	maxDevices     = 32
	maxServices    = 64
)

// ErrForeignLocation means a LOCATION names a host other than the one that
// announced it; fetching it would let a device aim us at anything.
var ErrForeignLocation = errors.New("description is on another host")

// Device is one UPnP device (the root or an embedded one), cleaned.
type Device struct {
	DeviceType       string
	FriendlyName     string
	Manufacturer     string
	ModelName        string
	ModelNumber      string
	ModelDescription string
	SerialNumber     string
	UDN              string
	PresentationURL  string
	// SoftwareVersion is a firmware version some makers put in the description
	// (Sonos softwareVersion/displayVersion, others firmwareVersion).
	SoftwareVersion string
	Services        []string // serviceType URNs
}

// Description is a parsed UPnP device description: Devices[0] is the root.
type Description struct {
	Devices []Device
}

// Root returns the root device (zero when there is none).
func (d Description) Root() Device {
	if len(d.Devices) == 0 {
		return Device{}
	}
	return d.Devices[0]
}

// Fetch gets and parses the description at location, but only when its host
// is the address from, which announced it: a hostname or another address is
// refused with ErrForeignLocation. Redirects are not followed, the body is
// capped at MaxDescription and the whole fetch at timeout.
func Fetch(ctx context.Context, location string, from netip.Addr, timeout time.Duration) (Description, error) {
	u, err := url.Parse(location)
	if err != nil || u.Scheme != "http" {
		return Description{}, fmt.Errorf("ssdp: description %q: not an http URL", location)
	}
	host, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]"))
	if err != nil || host.Unmap() != from.Unmap() {
		return Description{}, fmt.Errorf("ssdp: description %q announced by %s: %w", location, from, ErrForeignLocation)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	addr := net.JoinHostPort(from.String(), port)
	var d net.Dialer
	client := &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr) // only ever the announcing host
			},
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 16 << 10,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Description{}, fmt.Errorf("ssdp: description %q: %w", location, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Description{}, fmt.Errorf("ssdp: fetch description from %s: %w", from, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Description{}, fmt.Errorf("ssdp: fetch description from %s: status %d", from, resp.StatusCode)
	}
	desc, err := ParseDescription(io.LimitReader(resp.Body, MaxDescription))
	if err != nil {
		return Description{}, fmt.Errorf("ssdp: description from %s: %w", from, err)
	}
	return desc, nil
}

// ParseDescription reads a UPnP device description token by token, with
// depth, token, device and service limits, so a hostile document costs little.
// Fields are cleaned and capped. A document with no device is an error.
func ParseDescription(r io.Reader) (Description, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var (
		desc   Description
		path   []string // element names from the root
		stack  []int    // indexes into desc.Devices of the open <device> elements
		text   strings.Builder
		tokens int
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(desc.Devices) > 0 {
				break // keep what a truncated document gave
			}
			return Description{}, fmt.Errorf("parse xml: %w", err)
		}
		if tokens++; tokens > maxTokens {
			return Description{}, errors.New("parse xml: too many elements")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) >= maxDepth {
				return Description{}, errors.New("parse xml: nested too deeply")
			}
			path = append(path, t.Name.Local)
			text.Reset()
			if t.Name.Local == "device" {
				idx := -1 // past the cap: its fields are ignored
				if len(desc.Devices) < maxDevices {
					desc.Devices = append(desc.Devices, Device{})
					idx = len(desc.Devices) - 1
				}
				stack = append(stack, idx)
			}
		case xml.CharData:
			if text.Len() < clean.Long {
				text.Write(t[:min(len(t), clean.Long)])
			}
		case xml.EndElement:
			if len(path) == 0 {
				continue
			}
			name := path[len(path)-1]
			path = path[:len(path)-1]
			if name == "device" && len(stack) > 0 {
				stack = stack[:len(stack)-1]
				continue
			}
			if len(stack) > 0 && stack[len(stack)-1] >= 0 {
				setField(&desc.Devices[stack[len(stack)-1]], path, name, clean.String(text.String(), clean.Short))
			}
			text.Reset()
		}
	}
	if len(desc.Devices) == 0 {
		return Description{}, errors.New("parse xml: no device element")
	}
	return desc, nil
}

// setField stores a text element that sits directly in a <device> (or in one
// of its <service> entries).
func setField(d *Device, path []string, name, value string) {
	parent := ""
	if len(path) > 0 {
		parent = path[len(path)-1]
	}
	if parent == "service" {
		if name == "serviceType" && value != "" && len(d.Services) < maxServices {
			d.Services = append(d.Services, value)
		}
		return
	}
	if parent != "device" {
		return
	}
	fields := map[string]*string{
		"deviceType": &d.DeviceType, "friendlyName": &d.FriendlyName, "manufacturer": &d.Manufacturer,
		"modelName": &d.ModelName, "modelNumber": &d.ModelNumber, "modelDescription": &d.ModelDescription,
		"serialNumber": &d.SerialNumber, "UDN": &d.UDN, "presentationURL": &d.PresentationURL,
		"softwareVersion": &d.SoftwareVersion, "displayVersion": &d.SoftwareVersion, "firmwareVersion": &d.SoftwareVersion,
	}
	if p, ok := fields[name]; ok && *p == "" {
		*p = value
	}
}
