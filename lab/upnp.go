package lab

import (
	"fmt"
	"net/http"
	"strings"
)

// upnpRoutes serves the description of every root device, the service
// descriptions (SCPD) and the control URLs.
func (d *device) upnpRoutes(rt *routes) {
	for i := range d.spec.SSDP.Roots {
		root := &d.spec.SSDP.Roots[i]
		rt.handle("GET "+d.rootPath(i), func(w http.ResponseWriter, _ *http.Request) {
			if d.upnpOff() {
				http.NotFound(w, nil)
				return
			}
			if d.hostileDescription(w, root) { // hostile.go
				return
			}
			if root.AppURL != "" {
				w.Header().Set("Application-URL", d.expand(root.AppURL))
			}
			w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
			_, _ = w.Write([]byte(d.description(root)))
		})
		d.serviceRoutes(rt, root)
	}
}

func (d *device) serviceRoutes(rt *routes, dev *UPnPRoot) {
	for _, svc := range dev.Services {
		rt.handle("GET "+svc.SCPD, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
			_, _ = w.Write([]byte(scpd(svc.Type)))
		})
		rt.handle("POST "+svc.Control, func(w http.ResponseWriter, r *http.Request) {
			d.control(w, r, svc.Type)
		})
	}
	for i := range dev.Embedded {
		d.serviceRoutes(rt, &dev.Embedded[i])
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// rootPath is where root i's description is served.
func (d *device) rootPath(i int) string {
	if i == 0 && d.spec.SSDP.DescPath != "" {
		return d.spec.SSDP.DescPath
	}
	return d.spec.SSDP.Roots[i].Path
}

// upnpOff reports whether the owner turned UPnP off on a router.
func (d *device) upnpOff() bool { return d.off("upnp") }

// description renders a root device's description XML, as real devices
// write it: UPnP 1.0 root, device fields, vendor extras, services and
// embedded devices.
func (d *device) description(root *UPnPRoot) string {
	var dev strings.Builder
	d.writeDevice(&dev, root)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\"")
	for prefix, ns := range vendorNamespaces {
		if strings.Contains(dev.String(), "<"+prefix+":") {
			fmt.Fprintf(&b, " xmlns:%s=%q", prefix, ns)
		}
	}
	b.WriteString(">\n<specVersion>\n<major>1</major>\n<minor>0</minor>\n</specVersion>\n")
	if d.misbehaves("ssdp", misOversized) {
		b.WriteString("<!--" + strings.Repeat("x", oversizedLen) + "-->\n")
	}
	b.WriteString(dev.String())
	b.WriteString("</root>\n")
	return b.String()
}

func (d *device) writeDevice(b *strings.Builder, dev *UPnPRoot) {
	el := func(name, value string) {
		if value != "" {
			fmt.Fprintf(b, "<%s>%s</%s>\n", name, xmlText(value), name)
		}
	}
	name := d.spec.Name
	if dev.Name != "" {
		name = d.expand(dev.Name)
	}
	b.WriteString("<device>\n")
	el("deviceType", dev.DeviceType)
	el("friendlyName", d.text("ssdp", name))
	el("manufacturer", d.text("ssdp", d.spec.Maker))
	el("manufacturerURL", or(dev.MakerURL, d.spec.MakerURL))
	el("modelDescription", d.expand(or(dev.Desc, d.spec.Description)))
	el("modelName", d.text("ssdp", d.spec.Model))
	el("modelNumber", d.expand(d.spec.ModelNum))
	el("modelURL", or(dev.ModelURL, d.spec.ModelURL))
	el("serialNumber", d.expand(d.spec.Serial))
	el("UDN", "uuid:"+d.expand(dev.UUID))
	for _, x := range dev.Extra {
		el(x[0], d.expand(x[1]))
	}
	if len(dev.Services) > 0 {
		b.WriteString("<serviceList>\n")
		for _, s := range dev.Services {
			fmt.Fprintf(b, "<service>\n<serviceType>%s</serviceType>\n<serviceId>%s</serviceId>\n<SCPDURL>%s</SCPDURL>\n<controlURL>%s</controlURL>\n<eventSubURL>%s</eventSubURL>\n</service>\n",
				xmlText(s.Type), xmlText(s.ID), xmlText(s.SCPD), xmlText(s.Control), xmlText(s.Event))
		}
		b.WriteString("</serviceList>\n")
	}
	if len(dev.Embedded) > 0 {
		b.WriteString("<deviceList>\n")
		for i := range dev.Embedded {
			d.writeDevice(b, &dev.Embedded[i])
		}
		b.WriteString("</deviceList>\n")
	}
	el("presentationURL", d.expand(dev.Presenter))
	b.WriteString("</device>\n")
}

// vendorNamespaces are the prefixes of vendor elements real descriptions
// carry (Samsung's sec:, DLNA's dlna:), declared on the root when used.
var vendorNamespaces = map[string]string{
	"dlna": "urn:schemas-dlna-org:device-1-0",
	"sec":  "http://www.sec.co.kr/dlna",
}

// scpd is a service description listing the actions the lab answers.
func scpd(serviceType string) string {
	var actions []string
	if strings.Contains(serviceType, ":WANIPConnection:") {
		actions = []string{"GetExternalIPAddress", "GetStatusInfo", "GetConnectionTypeInfo",
			"GetGenericPortMappingEntry", "GetSpecificPortMappingEntry"}
	}
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<scpd xmlns=\"urn:schemas-upnp-org:service-1-0\">\n<specVersion><major>1</major><minor>0</minor></specVersion>\n<actionList>\n")
	for _, a := range actions {
		fmt.Fprintf(&b, "<action><name>%s</name></action>\n", a)
	}
	b.WriteString("</actionList>\n<serviceStateTable></serviceStateTable>\n</scpd>\n")
	return b.String()
}
