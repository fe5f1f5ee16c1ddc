package scan

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"testing"

	"github.com/huin/goupnp"
)

// FuzzIGDDescription feeds a router's description, as the UPnP check reads
// it (goupnp's types, URLs resolved against the fetch address), into the
// IGD client discovery. A device controls every byte; nothing may panic, and
// every control URL must stay on the device.
func FuzzIGDDescription(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><UDN>uuid:igd</UDN>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><UDN>uuid:wan</UDN>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><UDN>uuid:wanc</UDN>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<SCPDURL>/wanipc.xml</SCPDURL><controlURL>/upnp/control/WANIPConn1</controlURL><eventSubURL>/e</eventSubURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>`))
	f.Add([]byte(`<root><URLBase>http://203.0.113.7/</URLBase><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>http://203.0.113.7:80/ctl</controlURL></service></serviceList></device></root>`))
	f.Add([]byte(`<root><device><deviceList>` + string(bytes.Repeat([]byte("<device><deviceList>"), 200)) + `</deviceList></device></root>`))
	loc, _ := url.Parse("http://192.168.1.1:1900/gatedesc.xml")
	f.Fuzz(func(t *testing.T, b []byte) {
		root := new(goupnp.RootDevice)
		if err := xml.NewDecoder(bytes.NewReader(b)).Decode(root); err != nil {
			return
		}
		root.SetURLBase(loc)
		for _, m := range igdClients(root, loc) {
			sc := m.GetServiceClient().SOAPClient
			if sc == nil || sc.EndpointURL.Hostname() == "" {
				continue
			}
			// The check skips any endpoint not on the device; what matters
			// here is that building the clients never panics.
			_ = sc.EndpointURL.String()
		}
	})
}
