package lab

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huin/goupnp/dcps/internetgateway1"
	"golang.org/x/net/dns/dnsmessage"
)

// search sends a unicast M-SEARCH for st, then one for upnp:rootdevice as a
// marker, and returns the responses that came before the marker's. The lab
// answers unicast searches in order, so any extra answer to the first search
// would arrive before the marker's and be counted.
func search(t *testing.T, addr, st string) []*http.Response {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dst, _ := net.ResolveUDPAddr("udp4", addr)
	for _, target := range []string{st, "upnp:rootdevice"} {
		msg := "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nST: " + target + "\r\n\r\n"
		if _, err := c.WriteTo([]byte(msg), dst); err != nil {
			t.Fatal(err)
		}
	}
	_ = c.SetReadDeadline(time.Now().Add(testTimeout))
	var out []*http.Response
	buf := make([]byte, 9000)
	for {
		n, _, err := c.ReadFrom(buf)
		if err != nil {
			t.Fatalf("waiting for the marker response: %v (after %d responses)", err, len(out))
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(buf[:n])), nil)
		if err != nil {
			t.Fatalf("response is not HTTP: %v\n%s", err, buf[:n])
		}
		out = append(out, resp)
		// The marker is the rootdevice answer that follows the first
		// search's answers (a rootdevice search's own answer comes first).
		rootAnswers := 0
		for _, r := range out {
			if r.Header.Get("ST") == "upnp:rootdevice" {
				rootAnswers++
			}
		}
		wantRoots := 1
		if st == "ssdp:all" || st == "upnp:rootdevice" {
			wantRoots = 2
		}
		if resp.Header.Get("ST") == "upnp:rootdevice" && rootAnswers == wantRoots {
			return out[:len(out)-1]
		}
	}
}

func TestSSDPUnicastSearch(t *testing.T) {
	l := startLab(t, "home")
	router := dev(t, l, "router")
	uuid := "uuid:upnp-InternetGatewayDevice-1_0-" + strings.ReplaceAll(router.MAC, ":", "")
	tests := []struct {
		name    string
		st      string
		wantSTs []string
	}{
		{"ssdp:all", "ssdp:all", []string{
			"upnp:rootdevice", uuid, "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
			"urn:schemas-upnp-org:service:Layer3Forwarding:1",
			"uuid:upnp-WANDevice-1_0-" + strings.ReplaceAll(router.MAC, ":", ""), "urn:schemas-upnp-org:device:WANDevice:1",
			"urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
			"uuid:upnp-WANConnectionDevice-1_0-" + strings.ReplaceAll(router.MAC, ":", ""), "urn:schemas-upnp-org:device:WANConnectionDevice:1",
			"urn:schemas-upnp-org:service:WANIPConnection:1",
		}},
		{"root device", "upnp:rootdevice", []string{"upnp:rootdevice"}},
		{"service type", "urn:schemas-upnp-org:service:WANIPConnection:1", []string{"urn:schemas-upnp-org:service:WANIPConnection:1"}},
		{"device uuid", uuid, []string{uuid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resps := search(t, addrPort(router, "ssdp"), tc.st)
			var sts []string
			for _, r := range resps {
				sts = append(sts, r.Header.Get("ST"))
				for _, h := range []string{"Cache-Control", "Location", "Server", "Usn", "Date"} {
					if r.Header.Get(h) == "" {
						t.Errorf("response for %s lacks %s", r.Header.Get("ST"), h)
					}
				}
				if _, ok := r.Header["Ext"]; !ok {
					t.Errorf("response lacks EXT")
				}
				if loc := r.Header.Get("Location"); loc != "http://"+addrPort(router, "upnp")+"/gatedesc.xml" {
					t.Errorf("LOCATION = %q", loc)
				}
				if usn := r.Header.Get("Usn"); !strings.HasPrefix(usn, "uuid:") {
					t.Errorf("USN = %q", usn)
				}
			}
			slices.Sort(sts)
			want := slices.Clone(tc.wantSTs)
			slices.Sort(want)
			if !slices.Equal(sts, want) {
				t.Errorf("STs = %q\nwant %q", sts, want)
			}
		})
	}
	if got := search(t, addrPort(dev(t, l, "speaker"), "ssdp"), "urn:schemas-upnp-org:service:WANIPConnection:1"); len(got) != 0 {
		t.Errorf("the speaker answered a search for the router's service")
	}
}

func TestIGDPortMappingsWithGoupnp(t *testing.T) {
	l := startLab(t, "home")
	router := dev(t, l, "router")
	loc, _ := url.Parse("http://" + addrPort(router, "upnp") + "/gatedesc.xml")
	clients, err := internetgateway1.NewWANIPConnection1ClientsByURLCtx(t.Context(), loc)
	if err != nil || len(clients) != 1 {
		t.Fatalf("WANIPConnection1 clients = %d, %v", len(clients), err)
	}
	ip := clients[0]
	ext, err := ip.GetExternalIPAddressCtx(t.Context())
	if err != nil || net.ParseIP(ext) == nil {
		t.Fatalf("GetExternalIPAddress = %q, %v", ext, err)
	}
	want := map[uint16]string{554: dev(t, l, "camera").Addr.String(), 8443: dev(t, l, "nas").Addr.String()}
	got := map[uint16]string{}
	for i := uint16(0); ; i++ {
		_, port, proto, _, client, enabled, desc, _, err := ip.GetGenericPortMappingEntryCtx(t.Context(), i)
		if err != nil {
			if !strings.Contains(err.Error(), "713") {
				t.Fatalf("entry %d: error %v, want 713 past the end", i, err)
			}
			break
		}
		if proto != "TCP" || !enabled || desc == "" {
			t.Errorf("entry %d = %s %v %q", i, proto, enabled, desc)
		}
		got[port] = client
		if i > 10 {
			t.Fatal("no end to the mapping list")
		}
	}
	if !maps(got, want) {
		t.Errorf("mappings = %v, want %v", got, want)
	}
	_, client, _, _, _, err := ip.GetSpecificPortMappingEntryCtx(t.Context(), "", 554, "TCP")
	if err != nil || client != want[554] {
		t.Errorf("GetSpecificPortMappingEntry(554) = %q, %v", client, err)
	}
	if _, _, _, _, _, err := ip.GetSpecificPortMappingEntryCtx(t.Context(), "", 9999, "TCP"); err == nil || !strings.Contains(err.Error(), "714") {
		t.Errorf("GetSpecificPortMappingEntry(9999) err = %v, want 714", err)
	}
}

func maps(a, b map[uint16]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// query sends an mDNS query from local (port 0 = a legacy unicast query)
// and returns the parsed reply.
func query(t *testing.T, local *net.UDPAddr, to string, qu bool, name string, typ dnsmessage.Type) dnsmessage.Message {
	t.Helper()
	c, err := net.ListenUDP("udp4", local)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	class := dnsmessage.ClassINET
	if qu {
		class |= unicastResponse
	}
	q := dnsmessage.Message{Header: dnsmessage.Header{ID: 0x4242}, Questions: []dnsmessage.Question{{Name: dnsmessage.MustNewName(name), Type: typ, Class: class}}}
	b, _ := q.Pack()
	dst, _ := net.ResolveUDPAddr("udp4", to)
	if _, err := c.WriteTo(b, dst); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(testTimeout))
	buf := make([]byte, 9000)
	n, _, err := c.ReadFrom(buf)
	if err != nil {
		t.Fatalf("no reply to %s %s: %v", name, typ, err)
	}
	var m dnsmessage.Message
	if err := m.Unpack(buf[:n]); err != nil {
		t.Fatalf("reply does not parse: %v", err)
	}
	return m
}

func TestMDNSBrowse(t *testing.T) {
	l := startLab(t, "home")
	tests := []struct {
		id, service string
		wantTXT     []string
	}{
		{"speaker", "_sonos._tcp", []string{"vers=3", "location=http://"}},
		{"printer", "_ipp._tcp", []string{"rp=ipp/print", "ty=HP OfficeJet Pro 9010 series"}},
		{"hue", "_hue._tcp", []string{"modelid=BSB002", "bridgeid=001788fffe4a5b6c"}},
		{"streamer", "_googlecast._tcp", []string{"md=Google TV Streamer", "fn=Living Room TV"}},
		{"plug", "_shelly._tcp", []string{"app=SHPLG-S"}},
		{"thermostat", "_matter._tcp", []string{"SII=5000"}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			d := dev(t, l, tc.id)
			m := query(t, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, addrPort(d, "mdns"), false, tc.service+".local.", dnsmessage.TypePTR)
			if m.Header.ID != 0x4242 || len(m.Questions) != 1 {
				t.Errorf("legacy reply id %#x, %d questions; want the query id and question echoed", m.Header.ID, len(m.Questions))
			}
			var instance string
			for _, a := range m.Answers {
				if p, ok := a.Body.(*dnsmessage.PTRResource); ok {
					instance = p.PTR.String()
				}
			}
			if instance == "" {
				t.Fatalf("no PTR answer: %v", m.Answers)
			}
			var txt []string
			var srvPort uint16
			var a []byte
			for _, r := range m.Additionals {
				switch b := r.Body.(type) {
				case *dnsmessage.TXTResource:
					txt = b.TXT
				case *dnsmessage.SRVResource:
					srvPort = b.Port
				case *dnsmessage.AResource:
					a = b.A[:]
				}
				if r.Header.TTL > 10 {
					t.Errorf("legacy reply TTL %d > 10", r.Header.TTL)
				}
			}
			if srvPort == 0 || !net.IP(a).Equal(net.IP(d.Addr.AsSlice())) {
				t.Errorf("SRV port %d, A %v; want a port and %s", srvPort, net.IP(a), d.Addr)
			}
			for _, w := range tc.wantTXT {
				if !slices.ContainsFunc(txt, func(s string) bool { return strings.HasPrefix(s, w) }) {
					t.Errorf("TXT %q lacks %q", txt, w)
				}
			}
		})
	}
}

func TestMDNSServiceEnumerationAndQU(t *testing.T) {
	l := startLab(t, "home")
	plug := dev(t, l, "plug")
	// A query from port 5353 with the QU bit: a unicast mDNS reply, id 0.
	// 127.x.y.254 is in the lab's block but no device's address.
	local := &net.UDPAddr{IP: net.IP(plug.Addr.AsSlice()).To4(), Port: mdnsPort}
	local.IP = append(net.IP(nil), local.IP...)
	local.IP[3] = 254
	m := query(t, local, addrPort(plug, "mdns"), true, "_services._dns-sd._udp.local.", dnsmessage.TypePTR)
	if m.Header.ID != 0 {
		t.Errorf("mDNS reply id = %#x, want 0", m.Header.ID)
	}
	var types []string
	for _, a := range m.Answers {
		types = append(types, a.Body.(*dnsmessage.PTRResource).PTR.String())
	}
	slices.Sort(types)
	if want := []string{"_http._tcp.local.", "_shelly._tcp.local."}; !slices.Equal(types, want) {
		t.Errorf("service types = %q, want %q", types, want)
	}
	host := query(t, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, addrPort(plug, "mdns"), false, "shellyplug-s-0F3E21.local.", dnsmessage.TypeA)
	if len(host.Answers) != 1 || host.Answers[0].Body.(*dnsmessage.AResource).A != plug.Addr.As4() {
		t.Errorf("A answers = %v", host.Answers)
	}
}

func TestTelnetLogin(t *testing.T) {
	l := startLab(t, "home")
	dvr := dev(t, l, "dvr")
	c, r := dial(t, addrPort(dvr, "telnet"))
	got := readUntil(t, r, "login: ")
	if !strings.HasPrefix(got, string(telnetHello)) {
		t.Errorf("session starts %q, want IAC negotiation %q", got[:min(len(got), 12)], telnetHello)
	}
	send := func(s string) { _, _ = c.Write([]byte(s)) }
	send("root\r\n")
	readUntil(t, r, "Password: ")
	send("wrong\r\n")
	readUntil(t, r, "Login incorrect")
	readUntil(t, r, "login: ")
	// Negotiation bytes in the middle of a line must not end up in the name.
	send("ro\xff\xfb\x18ot\r\x00")
	readUntil(t, r, "Password: ")
	send("xc3511\r\n")
	readUntil(t, r, "# ")
	send("busybox\r\n")
	readUntil(t, r, "not found")
	send("exit\r\n")
	if _, err := r.ReadByte(); err == nil {
		t.Log("(trailing output after exit)")
	}
}

func TestTelnetTurnedOffClosesPort(t *testing.T) {
	l := startLab(t, "home")
	dvr := dev(t, l, "dvr")
	c := client(t)
	if !login(t, c, dvr.AdminURL, "form", "/Login.htm", "admin", "Garage#2019") {
		t.Fatal("admin login failed")
	}
	status, _, body := do(t, c, newReq(t, "POST", dvr.AdminURL+"services", url.Values{"feature": {"telnet"}, "enabled": {"0"}}))
	if status != 200 || !strings.Contains(body, "Settings saved") {
		t.Fatalf("turn telnet off = %d", status)
	}
	if conn, err := net.DialTimeout("tcp", addrPort(dvr, "telnet"), testTimeout); err == nil {
		conn.Close()
		t.Fatal("telnet port still open after turning it off")
	}
	if status, _, _ := do(t, c, newReq(t, "POST", dvr.AdminURL+"services", url.Values{"feature": {"telnet"}, "enabled": {"1"}})); status != 200 {
		t.Fatalf("turn telnet on = %d", status)
	}
	_, r := dial(t, addrPort(dvr, "telnet"))
	readUntil(t, r, "login: ")
}

func TestRTSP(t *testing.T) {
	l := startLab(t, "home")
	cam := dev(t, l, "camera")
	c, r := dial(t, addrPort(cam, "rtsp"))
	uri := "rtsp://" + addrPort(cam, "rtsp") + "/Streaming/Channels/101"
	send := func(req string) (string, map[string]string) {
		if _, err := c.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		status, _ := r.ReadString('\n')
		h := map[string]string{}
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			k, v, _ := strings.Cut(line, ": ")
			h[k] = v
		}
		return strings.TrimSpace(status), h
	}
	if s, h := send("OPTIONS " + uri + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"); s != "RTSP/1.0 200 OK" || h["CSeq"] != "1" || !strings.Contains(h["Public"], "DESCRIBE") {
		t.Fatalf("OPTIONS = %q %v", s, h)
	}
	s, h := send("DESCRIBE " + uri + " RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n")
	if s != "RTSP/1.0 401 Unauthorized" || !strings.HasPrefix(h["WWW-Authenticate"], `Digest realm="Hikvision"`) {
		t.Fatalf("DESCRIBE without login = %q %v", s, h)
	}
	bad := digestAuth(h["WWW-Authenticate"], "DESCRIBE", uri, "admin", "admin")
	if s, _ := send("DESCRIBE " + uri + " RTSP/1.0\r\nCSeq: 3\r\nAuthorization: " + bad + "\r\n\r\n"); s != "RTSP/1.0 401 Unauthorized" {
		t.Fatalf("DESCRIBE with a wrong password = %q", s)
	}
	good := digestAuth(h["WWW-Authenticate"], "DESCRIBE", uri, "admin", "12345")
	s, h = send("DESCRIBE " + uri + " RTSP/1.0\r\nCSeq: 4\r\nAuthorization: " + good + "\r\n\r\n")
	if s != "RTSP/1.0 200 OK" || h["Content-Type"] != "application/sdp" {
		t.Fatalf("DESCRIBE with the password = %q %v", s, h)
	}
	body := make([]byte, len("v=0"))
	if _, err := r.Read(body); err != nil || string(body) != "v=0" {
		t.Errorf("SDP starts %q", body)
	}
}

func TestFTPAnonymous(t *testing.T) {
	l := startLab(t, "home")
	nas := dev(t, l, "nas")
	session := func(user, pass string) string {
		c, r := dial(t, addrPort(nas, "ftp"))
		readUntil(t, r, "220 ")
		readUntil(t, r, "\r\n")
		_, _ = c.Write([]byte("USER " + user + "\r\n"))
		readUntil(t, r, "331 ")
		readUntil(t, r, "\r\n")
		_, _ = c.Write([]byte("PASS " + pass + "\r\n"))
		line, _ := r.ReadString('\n')
		return line[:3]
	}
	if got := session("anonymous", "guest@example.com"); got != "230" {
		t.Errorf("anonymous login = %s, want 230", got)
	}
	if got := session("admin", "wrong"); got != "530" {
		t.Errorf("wrong password = %s, want 530", got)
	}
	if got := session("admin", "Cl0udy-Sky!"); got != "230" {
		t.Errorf("owner password = %s, want 230", got)
	}
	if err := l.byID["nas"].setOff("ftp-anonymous", true); err != nil {
		t.Fatal(err)
	}
	if got := session("anonymous", "guest@example.com"); got != "530" {
		t.Errorf("anonymous login after turning it off = %s, want 530", got)
	}
}
