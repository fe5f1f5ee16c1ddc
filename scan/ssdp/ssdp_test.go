package ssdp

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
	"github.com/porchlight/porchlight/scan/unicast"
)

func TestParseResponse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Response
		err  bool
	}{
		{"samsung", "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://192.168.1.21:7676/smp_7_\r\nSERVER: SHP, UPnP/1.0, Samsung UPnP SDK/1.0\r\nST: urn:samsung.com:device:RemoteControlReceiver:1\r\nUSN: uuid:0ee6b280::urn:samsung.com:device:RemoteControlReceiver:1\r\n\r\n",
			Response{ST: "urn:samsung.com:device:RemoteControlReceiver:1", USN: "uuid:0ee6b280::urn:samsung.com:device:RemoteControlReceiver:1", Location: "http://192.168.1.21:7676/smp_7_", Server: "SHP, UPnP/1.0, Samsung UPnP SDK/1.0"}, false},
		{"hue extra header, no blank line", "HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.5:80/description.xml\r\nSERVER: Linux/3.14.0 UPnP/1.0 IpBridge/1.29.0\r\nhue-bridgeid: 001788FFFE123456\r\nST: upnp:rootdevice\r\nUSN: uuid:2f402f80::upnp:rootdevice",
			Response{ST: "upnp:rootdevice", USN: "uuid:2f402f80::upnp:rootdevice", Location: "http://10.0.0.5:80/description.xml", Server: "Linux/3.14.0 UPnP/1.0 IpBridge/1.29.0", Extra: map[string]string{"hue-bridgeid": "001788FFFE123456"}}, false},
		{"notify", "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLOCATION: http://10.0.0.9/d.xml\r\nUSN: uuid:x\r\n\r\n",
			Response{ST: "upnp:rootdevice", USN: "uuid:x", Location: "http://10.0.0.9/d.xml"}, false},
		{"escape in server", "HTTP/1.1 200 OK\r\nSERVER: evil\x1b]0;owned\x07 UPnP/1.0\r\nUSN: uuid:y\r\n\r\n", Response{USN: "uuid:y", Server: "evil UPnP/1.0"}, false},
		{"search request is not an answer", "M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n", Response{}, true},
		{"error status", "HTTP/1.1 500 Oops\r\nUSN: uuid:z\r\n\r\n", Response{}, true},
		{"binary junk", "\x00\x01\x02", Response{}, true},
		{"no useful header", "HTTP/1.1 200 OK\r\nFOO: bar\r\n\r\n", Response{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseResponse([]byte(tt.in))
			if (err != nil) != tt.err {
				t.Fatalf("ParseResponse error = %v, want error %v", err, tt.err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ParseResponse = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

const hueDesc = `<?xml version="1.0" encoding="UTF-8" ?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<URLBase>http://192.168.1.26:80/</URLBase>
<device><deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType><friendlyName>Philips hue (192.168.1.26)</friendlyName>
<manufacturer>Signify</manufacturer><modelDescription>Philips hue Personal Wireless Lighting</modelDescription>
<modelName>Philips hue bridge 2015</modelName><modelNumber>BSB002</modelNumber><serialNumber>001788123456</serialNumber>
<UDN>uuid:2f402f80-da50-11e1-9b23-001788123456</UDN><presentationURL>index.html</presentationURL>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:Dummy:1</serviceType></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><manufacturer>Embedded Inc</manufacturer>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType></service></serviceList></device></deviceList>
</device></root>`

func TestParseDescription(t *testing.T) {
	d, err := ParseDescription(strings.NewReader(hueDesc))
	if err != nil {
		t.Fatal(err)
	}
	root := d.Root()
	want := Device{DeviceType: "urn:schemas-upnp-org:device:Basic:1", FriendlyName: "Philips hue (192.168.1.26)", Manufacturer: "Signify",
		ModelName: "Philips hue bridge 2015", ModelNumber: "BSB002", ModelDescription: "Philips hue Personal Wireless Lighting",
		SerialNumber: "001788123456", UDN: "uuid:2f402f80-da50-11e1-9b23-001788123456", PresentationURL: "index.html",
		Services: []string{"urn:schemas-upnp-org:service:Dummy:1"}}
	if fmt.Sprint(root) != fmt.Sprint(want) {
		t.Errorf("root = %+v\nwant %+v", root, want)
	}
	if len(d.Devices) != 2 || d.Devices[1].DeviceType != "urn:schemas-upnp-org:device:WANDevice:1" || d.Devices[1].Services[0] != "urn:schemas-upnp-org:service:WANIPConnection:1" {
		t.Errorf("embedded = %+v", d.Devices[1:])
	}
}

func TestParseDescriptionHostile(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"deep nesting", strings.Repeat("<a>", 10000) + strings.Repeat("</a>", 10000), false},
		{"no device", "<root><specVersion/></root>", false},
		{"not xml", "\x00\x01garbage", false},
		{"truncated after device", "<root><device><manufacturer>Acme</manufacturer><modelName>X", true},
		{"many devices", "<root>" + strings.Repeat("<device><manufacturer>m</manufacturer></device>", 1000) + "</root>", true},
		{"escapes in fields", "<root><device><friendlyName>\x1b[2Jtv&#x1b;[31m</friendlyName></device></root>", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDescription(strings.NewReader(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("ParseDescription error = %v, want ok %v", err, tt.ok)
			}
			if len(d.Devices) > maxDevices {
				t.Errorf("%d devices kept, cap %d", len(d.Devices), maxDevices)
			}
			for _, dev := range d.Devices {
				if !clean.Safe(dev.FriendlyName) {
					t.Errorf("unsafe name %q", dev.FriendlyName)
				}
			}
		})
	}
}

// serveDesc serves body at /desc.xml on ip and counts requests.
func serveDesc(t *testing.T, ip string, h http.HandlerFunc) (port int, hits *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	hits = new(atomic.Int32)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1); h(w, r) })}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port, hits
}

func TestFetch(t *testing.T) {
	from := netip.MustParseAddr("127.0.0.1")
	descPort, _ := serveDesc(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/desc.xml":
			io.WriteString(w, hueDesc)
		case "/huge.xml":
			w.Write([]byte("<root><device><manufacturer>"))
			w.Write(bytes.Repeat([]byte("A"), 2*MaxDescription))
		case "/redirect.xml":
			http.Redirect(w, r, "http://127.0.0.3/steal", http.StatusFound)
		case "/slow.xml":
			<-r.Context().Done()
		}
	})
	otherPort, otherHits := serveDesc(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, hueDesc) })
	url := func(host string, port int, path string) string {
		return fmt.Sprintf("http://%s:%d%s", host, port, path)
	}
	tests := []struct {
		name    string
		loc     string
		ok      bool
		foreign bool
	}{
		{"same host", url("127.0.0.1", descPort, "/desc.xml"), true, false},
		{"another loopback address", url("127.0.0.2", otherPort, "/desc.xml"), false, true},
		{"a hostname", fmt.Sprintf("http://localhost:%d/desc.xml", descPort), false, true},
		{"https is refused", fmt.Sprintf("https://127.0.0.1:%d/desc.xml", descPort), false, false},
		{"redirect not followed", url("127.0.0.1", descPort, "/redirect.xml"), false, false},
		{"oversized is cut", url("127.0.0.1", descPort, "/huge.xml"), true, false},
		{"slow times out", url("127.0.0.1", descPort, "/slow.xml"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Fetch(t.Context(), tt.loc, from, 500*time.Millisecond)
			if (err == nil) != tt.ok {
				t.Errorf("Fetch(%s) error = %v, want ok %v", tt.loc, err, tt.ok)
			}
			if tt.foreign != (err != nil && strings.Contains(err.Error(), ErrForeignLocation.Error())) {
				t.Errorf("Fetch(%s) error = %v, want foreign %v", tt.loc, err, tt.foreign)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("Fetch took %v", time.Since(start))
			}
		})
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

func TestSearchUnicast(t *testing.T) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 2048)
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		got <- string(buf[:n])
		conn.WriteToUDP([]byte("HTTP/1.1 200 OK\r\nLOCATION: http://127.0.0.1:1/d.xml\r\nST: upnp:rootdevice\r\nUSN: uuid:a\r\n\r\n"), from)
		conn.WriteToUDP([]byte("\xff\xfe not ssdp"), from)
		conn.WriteToUDP([]byte("HTTP/1.1 200 OK\r\nLOCATION: http://127.0.0.1:1/d.xml\r\nST: upnp:rootdevice\r\nUSN: uuid:a\r\n\r\n"), from)
	}()
	port := conn.LocalAddr().(*net.UDPAddr).Port
	resps, err := SearchUnicast(t.Context(), netip.MustParseAddr("127.0.0.1"), port, unicast.Fixed(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if len(resps) != 1 || resps[0].From.String() != "127.0.0.1" || resps[0].USN != "uuid:a" {
		t.Errorf("SearchUnicast = %+v, want one answer (junk skipped, duplicate merged)", resps)
	}
	if req := <-got; !strings.HasPrefix(req, "M-SEARCH * HTTP/1.1\r\n") || !strings.Contains(req, `MAN: "ssdp:discover"`) {
		t.Errorf("request = %q", req)
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/d.xml\r\nUSN: uuid:x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			return
		}
		for _, s := range []string{r.ST, r.USN, r.Location, r.Server} {
			if !clean.Safe(s) || len(s) > clean.Short {
				t.Fatalf("unsafe field %q", s)
			}
		}
	})
}

func FuzzParseDescription(f *testing.F) {
	f.Add([]byte(hueDesc))
	f.Add([]byte("<root><device><device><device></device></device></device></root>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDescription(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(d.Devices) == 0 || len(d.Devices) > maxDevices {
			t.Fatalf("%d devices", len(d.Devices))
		}
		for _, dev := range d.Devices {
			if len(dev.Services) > maxServices || !clean.Safe(dev.Manufacturer) || !clean.Safe(dev.ModelName) {
				t.Fatalf("caps or cleaning broken: %+v", dev)
			}
		}
	})
}
