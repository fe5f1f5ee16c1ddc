package scan

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/huin/goupnp"
	"github.com/huin/goupnp/dcps/internetgateway2"

	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/login"
)

const (
	// maxMappings caps how many port mappings we list from one router.
	maxMappings = 256
	// maxUPnPBody caps a description or SOAP answer.
	maxUPnPBody = 256 << 10
	upnpTimeout = 3 * time.Second
)

// mapper is what the WANIPConnection and WANPPPConnection clients share.
type mapper interface {
	GetServiceClient() *goupnp.ServiceClient
	GetGenericPortMappingEntryCtx(ctx context.Context, index uint16) (remoteHost string, externalPort uint16, protocol string,
		internalPort uint16, internalClient string, enabled bool, description string, lease uint32, err error)
}

// upnp lists the port mappings of a UPnP Internet Gateway Device and raises
// upnp-port-mapping for each: a device inside that opened a port to the
// internet. Everything is fetched only from the device's own address.
func (c *checker) upnp(ctx context.Context, ip netip.Addr) {
	loc, err := url.Parse(c.dev.Location)
	if err != nil || loc.Scheme != "http" || loc.User != nil {
		return
	}
	if host, err := netip.ParseAddr(loc.Hostname()); err != nil || host.Unmap() != ip.Unmap() {
		return // never fetch from another host than the device
	}
	gate := login.NewGate(ip, 0, nil) // its dialer refuses every other host
	client := upnpClient(gate, c.timeout(upnpTimeout))
	root, err := fetchDescription(ctx, client, loc)
	if err != nil {
		c.gaveUp("the router's UPnP description did not arrive in time", err)
		return
	}
	for _, m := range igdClients(root, loc) {
		sc := m.GetServiceClient().SOAPClient
		if host, err := netip.ParseAddr(sc.EndpointURL.Hostname()); err != nil || host.Unmap() != ip.Unmap() {
			continue
		}
		sc.HTTPClient = *client
		c.mappings(ctx, m)
	}
}

func igdClients(root *goupnp.RootDevice, loc *url.URL) []mapper {
	var out []mapper
	ip1, _ := internetgateway2.NewWANIPConnection1ClientsFromRootDevice(root, loc)
	for _, m := range ip1 {
		out = append(out, m)
	}
	ip2, _ := internetgateway2.NewWANIPConnection2ClientsFromRootDevice(root, loc)
	for _, m := range ip2 {
		out = append(out, m)
	}
	ppp, _ := internetgateway2.NewWANPPPConnection1ClientsFromRootDevice(root, loc)
	for _, m := range ppp {
		out = append(out, m)
	}
	return out
}

func (c *checker) mappings(ctx context.Context, m mapper) {
	for i := range maxMappings {
		_, ext, proto, inPort, inside, enabled, desc, _, err := m.GetGenericPortMappingEntryCtx(ctx, uint16(i))
		if err != nil {
			// SpecifiedArrayIndexInvalid ends the list; a timeout cuts it short.
			c.gaveUp("the router's list of open ports did not arrive in time", err)
			return
		}
		if !enabled {
			continue
		}
		proto, inside, desc = clean.String(proto, 16), clean.String(inside, 64), clean.String(desc, clean.Short)
		mapping := fmt.Sprintf("%s %d -> %s:%d", proto, ext, inside, inPort)
		who := inside
		if desc != "" {
			who = fmt.Sprintf("%s (%q)", inside, desc)
		}
		c.emit(Finding{ID: FindUPnPPortMapping, Severity: Medium,
			Title:    "A device opened a port to the internet",
			Service:  fmt.Sprintf("upnp:%d", ext),
			Evidence: fmt.Sprintf("the device at %s asked the router to open outside port %d/%s to its port %d", who, ext, proto, inPort),
			Detail: map[string]string{"mapping": mapping, "inside": inside, "external_port": fmt.Sprint(ext),
				"internal_port": fmt.Sprint(inPort), "protocol": proto, "description": desc}})
	}
}

// upnpClient talks only through gate (so only to the device), never follows
// a redirect, and caps every answer.
func upnpClient(gate *login.Gate, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: cappedTransport{&http.Transport{DialContext: gate.Dial, DisableKeepAlives: true,
			MaxResponseHeaderBytes: 16 << 10, ResponseHeaderTimeout: timeout}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       timeout,
	}
}

// cappedTransport limits every response body to maxUPnPBody.
type cappedTransport struct{ rt http.RoundTripper }

func (t cappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxUPnPBody), resp.Body}
	return resp, nil
}

func fetchDescription(ctx context.Context, client *http.Client, loc *url.URL) (*goupnp.RootDevice, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("upnp description %s: %w", loc, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("upnp description %s: %w", loc, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upnp description %s: status %d", loc, resp.StatusCode)
	}
	root := new(goupnp.RootDevice)
	if err := xml.NewDecoder(resp.Body).Decode(root); err != nil {
		return nil, fmt.Errorf("upnp description %s: %w", loc, err)
	}
	// The description's own URLBase is ignored: control URLs resolve
	// against where we fetched it, so they stay on the device.
	root.SetURLBase(loc)
	return root, nil
}
