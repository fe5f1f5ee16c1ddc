package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// testNet returns a random /29 on loopback, so parallel tests and the lab
// never share addresses, and the address of host n in it.
func testNet(t *testing.T) (netip.Prefix, func(n int) netip.Addr) {
	t.Helper()
	b := [4]byte{127, byte(200 + rand.IntN(50)), byte(rand.IntN(256)), byte(8 * rand.IntN(32))}
	p := netip.PrefixFrom(netip.AddrFrom4(b), 29)
	return p, func(n int) netip.Addr { c := b; c[3] += byte(n); return netip.AddrFrom4(c) }
}

// httpOn serves h on ip:0 and returns the port.
func httpOn(t *testing.T, ip netip.Addr, h http.Handler) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return ln.Addr().(*net.TCPAddr).Port
}

// udpOn answers every datagram to ip:port with reply(request).
func udpOn(t *testing.T, ip netip.Addr, port int, reply func([]byte) [][]byte) {
	t.Helper()
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(port))))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 9000)
		for {
			n, from, err := conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			for _, r := range reply(buf[:n]) {
				conn.WriteToUDPAddrPort(r, from)
			}
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
}

func ssdpAnswer(location, server, st string) []byte {
	return []byte("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: " + location +
		"\r\nSERVER: " + server + "\r\nST: " + st + "\r\nUSN: uuid:1234::" + st + "\r\n\r\n")
}

const sonosDesc = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
<deviceType>urn:schemas-upnp-org:device:ZonePlayer:1</deviceType><friendlyName>Kitchen - Sonos One</friendlyName>
<manufacturer>Sonos, Inc.</manufacturer><modelNumber>S18</modelNumber><modelName>Sonos One</modelName>
<softwareVersion>16.4.1</softwareVersion><serialNumber>48-A6-B8-01-02-03:B</serialNumber><UDN>uuid:RINCON_48A6B801020301400</UDN>
</device></root>`

// dnssdAnswer answers any query with one service instance and its records.
func dnssdAnswer(ip netip.Addr) func([]byte) [][]byte {
	return func(q []byte) [][]byte {
		var p dnsmessage.Parser
		h, err := p.Start(q)
		if err != nil {
			return nil
		}
		b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
		b.StartAnswers()
		n := dnsmessage.MustNewName
		rh := func(name string, typ dnsmessage.Type) dnsmessage.ResourceHeader {
			return dnsmessage.ResourceHeader{Name: n(name), Type: typ, Class: dnsmessage.ClassINET, TTL: 120}
		}
		b.PTRResource(rh("_services._dns-sd._udp.local.", dnsmessage.TypePTR), dnsmessage.PTRResource{PTR: n("_googlecast._tcp.local.")})
		b.PTRResource(rh("_googlecast._tcp.local.", dnsmessage.TypePTR), dnsmessage.PTRResource{PTR: n("Google-TV-1._googlecast._tcp.local.")})
		b.SRVResource(rh("Google-TV-1._googlecast._tcp.local.", dnsmessage.TypeSRV), dnsmessage.SRVResource{Target: n("gtv-1.local."), Port: 8009})
		b.TXTResource(rh("Google-TV-1._googlecast._tcp.local.", dnsmessage.TypeTXT), dnsmessage.TXTResource{TXT: []string{"md=Google TV Streamer", "fn=Lounge \x1b[31mTV", "ve=05"}})
		b.AResource(rh("gtv-1.local.", dnsmessage.TypeA), dnsmessage.AResource{A: ip.As4()})
		msg, _ := b.Finish()
		return [][]byte{msg}
	}
}

// collect reads every event until the channel closes, failing after a deadline.
func collect(t *testing.T, ch <-chan Event) []Event {
	t.Helper()
	var evs []Event
	deadline := time.After(30 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return evs
			}
			evs = append(evs, ev)
		case <-deadline:
			t.Fatalf("no end to the event stream after 30s; got %d events", len(evs))
		}
	}
}

// devicesOf folds events into the last state of each device.
func devicesOf(evs []Event) map[string]Device {
	out := map[string]Device{}
	for _, ev := range evs {
		switch ev := ev.(type) {
		case DeviceFound:
			out[ev.Device.IP] = ev.Device
		case DeviceUpdated:
			out[ev.Device.IP] = ev.Device
		}
	}
	return out
}

// checkNoLeaks fails if any goroutine running scan code outlives the scan.
func checkNoLeaks(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "porchlight/scan") && !strings.Contains(g, "testing.tRunner") && !strings.Contains(g, "created by github.com/porchlight/porchlight/scan.Test") &&
				!strings.Contains(g, "scan.udpOn") && !strings.Contains(g, "scan.httpOn") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d scan goroutines still running after the scan:\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond) // polling for goroutine exit; no event to wait on
	}
}

func TestRunRefusesOutOfScope(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   error
	}{
		{"public address", "8.8.8.8/32", ErrPublicTarget},
		{"public network", "1.1.1.0/24", ErrPublicTarget},
		{"private too wide", "10.0.0.0/8", ErrTargetTooLarge},
		{"ipv6 too wide", "fd00::/64", ErrTargetTooLarge},
		{"ipv4-mapped 10/8", "::ffff:10.0.0.0/104", ErrTargetTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Cancelled first: should Run wrongly accept the target, the
			// scan stops before it sends anything.
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			ch, err := Run(ctx, Options{Targets: []netip.Prefix{netip.MustParsePrefix(tt.target)}})
			if !errors.Is(err, tt.want) || ch != nil {
				t.Errorf("Run(%s) = %v, %v; want error %v and no channel", tt.target, ch, err, tt.want)
			}
		})
	}
}

func TestRunDiscoversLoopbackDevices(t *testing.T) {
	target, host := testNet(t)
	speaker, streamer, liar, victim := host(1), host(2), host(3), host(4)

	// Device 1: a speaker with a web port, SSDP and a UPnP description.
	descPort := httpOn(t, speaker, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, sonosDesc)
	}))
	webPort := httpOn(t, speaker, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "Linux UPnP/1.0 Sonos/80.1-55140 (ZPS18)")
		w.Header().Set("WWW-Authenticate", `Basic realm="Sonos"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	loc := fmt.Sprintf("http://%s:%d/xml/device_description.xml", speaker, descPort)
	udpOn(t, speaker, 1900, func([]byte) [][]byte {
		return [][]byte{ssdpAnswer(loc, "Linux UPnP/1.0 Sonos/80.1-55140 (ZPS18)", "urn:schemas-upnp-org:device:ZonePlayer:1"), []byte("garbage\x00\xff")}
	})
	// Device 2: mDNS only, no TCP port at all.
	udpOn(t, streamer, 5353, dnssdAnswer(streamer))
	// Device 3 announces a description on device 4's address; 4 must never be asked.
	var victimHits atomic.Int32
	victimPort := httpOn(t, victim, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { victimHits.Add(1) }))
	udpOn(t, liar, 1900, func([]byte) [][]byte {
		return [][]byte{ssdpAnswer(fmt.Sprintf("http://%s:%d/desc.xml", victim, victimPort), "Liar/1.0 UPnP/1.0", "upnp:rootdevice")}
	})

	ch, err := Run(t.Context(), Options{Targets: []netip.Prefix{target}, Ports: []int{webPort}, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	evs := collect(t, ch)
	checkNoLeaks(t)
	devs := devicesOf(evs)

	sp := devs[speaker.String()]
	if sp.Vendor == "" || sp.Model == "" || sp.Firmware == "" || sp.Location != loc || sp.UDN != "RINCON_48A6B801020301400" || sp.Name != "Kitchen - Sonos One" {
		t.Errorf("speaker = %+v", sp)
	}
	if !slices.Contains(sp.Sources, "ssdp") || !slices.Contains(sp.Sources, "http") {
		t.Errorf("speaker sources = %v, want ssdp and http", sp.Sources)
	}
	if i := slices.IndexFunc(sp.Services, func(s Service) bool { return s.Port == webPort }); i < 0 || sp.Services[i].Realm != "Sonos" || sp.Services[i].Auth != "basic" {
		t.Errorf("speaker services = %+v, want the web port with its realm", sp.Services)
	}
	st := devs[streamer.String()]
	if st.Model != "Google TV Streamer" || st.Name != "Lounge TV" || st.Hostname != "gtv-1" || !slices.Contains(st.Sources, "mdns") {
		t.Errorf("streamer = %+v", st)
	}
	if _, ok := devs[victim.String()]; ok {
		t.Errorf("the victim address became a device: %+v", devs[victim.String()])
	}
	if n := victimHits.Load(); n != 0 {
		t.Errorf("the description was fetched from another host %d times", n)
	}
	if !slices.ContainsFunc(evs, func(ev Event) bool {
		n, ok := ev.(Note)
		return ok && n.Key == liar.String() && strings.Contains(n.Text, "another address")
	}) {
		t.Error("no note about the foreign LOCATION")
	}
	for _, d := range devs {
		if !d.Checked {
			t.Errorf("device %s was never checked", d.IP)
		}
	}
	checkOrder(t, evs)
}

// checkOrder asserts the stream's shape: a DeviceFound before any update of
// that device, Done last, exactly once.
func checkOrder(t *testing.T, evs []Event) {
	t.Helper()
	found := map[string]bool{}
	for i, ev := range evs {
		switch ev := ev.(type) {
		case DeviceFound:
			if found[ev.Device.Key] {
				t.Errorf("event %d: DeviceFound twice for %s", i, ev.Device.Key)
			}
			found[ev.Device.Key] = true
		case DeviceUpdated:
			if !found[ev.Device.Key] {
				t.Errorf("event %d: DeviceUpdated before DeviceFound for %s", i, ev.Device.Key)
			}
		case Done:
			if i != len(evs)-1 {
				t.Errorf("Done is event %d of %d, want last", i, len(evs))
			}
		}
	}
	if _, ok := evs[len(evs)-1].(Done); !ok {
		t.Errorf("last event is %T, want Done", evs[len(evs)-1])
	}
}

func TestRunCancel(t *testing.T) {
	target, host := testNet(t)
	// A device that accepts and then says nothing, holding every probe open.
	ln, err := net.Listen("tcp", net.JoinHostPort(host(1).String(), "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := Run(ctx, Options{Targets: []netip.Prefix{target}, Ports: []int{port}})
	if err != nil {
		t.Fatal(err)
	}
	var evs []Event
	for ev := range ch {
		evs = append(evs, ev)
		if _, ok := ev.(DeviceFound); ok {
			cancel()
			break
		}
	}
	cancelled := time.Now()
	rest := collect(t, ch)
	if took := time.Since(cancelled); took > 1500*time.Millisecond {
		t.Errorf("the stream took %v to end after cancel", took)
	}
	evs = append(evs, rest...)
	done, ok := evs[len(evs)-1].(Done)
	if !ok || !errors.Is(done.Err, context.Canceled) {
		t.Fatalf("last event = %#v, want Done{Err: context.Canceled}", evs[len(evs)-1])
	}
	if len(devicesOf(evs)) != 1 {
		t.Errorf("devices = %v, want the one found before cancelling", devicesOf(evs))
	}
	checkNoLeaks(t)
}
