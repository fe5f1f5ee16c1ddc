package lab

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/crypto/ssh"
)

func TestStateFilePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	withState := func(o *Options) { o.StatePath = path }
	l := startLab(t, "home", withState)
	if err := l.SetPassword("router", "admin", "Kept-Across-Runs"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.byID["plug"].update(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v, mode %v; want 0600", err, info.Mode())
	}
	again := startLab(t, "home", withState)
	if got := dev(t, again, "router").Logins[0]; got.Password != "Kept-Across-Runs" || got.Default {
		t.Errorf("router login after restart = %+v", got)
	}
	if got := dev(t, again, "plug").Firmware; got != again.byID["plug"].latest {
		t.Errorf("plug firmware after restart = %q, want %q", got, again.byID["plug"].latest)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("state directory holds %d files, want only the state file (no temporaries)", len(entries))
	}
	if _, err := StartLoopback(t.Context(), Options{Scenario: "classroom", StatePath: path}); err == nil || !strings.Contains(err.Error(), `"home" scenario`) {
		t.Errorf("classroom with home's state: err = %v, want a refusal", err)
	}
}

func TestHandout(t *testing.T) {
	l := startLab(t, "home")
	var b bytes.Buffer
	l.Handout(&b)
	out := b.String()
	for _, d := range l.Devices() {
		if !strings.Contains(out, d.Addr.String()) {
			t.Errorf("handout lacks %s (%s)", d.Addr, d.ID)
		}
		if d.AdminURL != "" && !strings.Contains(out, d.AdminURL) {
			t.Errorf("handout lacks %s's admin page %s", d.ID, d.AdminURL)
		}
	}
	for _, want := range []string{`user "admin", password "admin"`, `user "root", password "xc3511"`, `admin page: user "admin" with no password`} {
		if !strings.Contains(out, want) {
			t.Errorf("handout lacks %q", want)
		}
	}
	if strings.Contains(out, "Cl0udy-Sky!") {
		t.Error("handout shows a password the owner set")
	}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 80 {
			t.Errorf("line of %d columns: %q", len(line), line)
		}
	}
}

func TestMQTTAndSSH(t *testing.T) {
	l := startLab(t, "classroom")
	pi := dev(t, l, "pi-hub")
	connect := func(user, pass string) byte {
		c, r := dial(t, addrPort(pi, "mqtt"))
		var body []byte
		body = binary.BigEndian.AppendUint16(body, 4)
		body = append(body, "MQTT"...)
		flags := byte(0x02)
		if user != "" {
			flags |= 0xc0
		}
		body = append(body, 4, flags, 0, 60)
		fields := []string{"probe"}
		if user != "" {
			fields = append(fields, user, pass)
		}
		for _, s := range fields {
			body = binary.BigEndian.AppendUint16(body, uint16(len(s)))
			body = append(body, s...)
		}
		_, _ = c.Write(append([]byte{0x10, byte(len(body))}, body...))
		ack := make([]byte, 4)
		if _, err := io.ReadFull(r, ack); err != nil {
			t.Fatalf("CONNACK: %v", err)
		}
		if ack[0] != 0x20 || ack[1] != 2 {
			t.Fatalf("CONNACK = %x", ack)
		}
		return ack[3]
	}
	if rc := connect("", ""); rc != connAccepted {
		t.Errorf("anonymous CONNECT = %d, want accepted", rc)
	}
	if rc := connect("homeassistant", "wrong"); rc != connBadCredentials {
		t.Errorf("wrong password = %d, want %d", rc, connBadCredentials)
	}
	if rc := connect("homeassistant", "Mqtt-Broker-1"); rc != connAccepted {
		t.Errorf("right password = %d, want accepted", rc)
	}

	sshLogin := func(user, pass string) error {
		cfg := &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.Password(pass)},
			HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: testTimeout}
		c, err := ssh.Dial("tcp", addrPort(pi, "ssh"), cfg)
		if err != nil {
			return err
		}
		defer c.Close()
		if !strings.Contains(string(c.ServerVersion()), "OpenSSH_7.9p1 Raspbian") {
			t.Errorf("server version %q", c.ServerVersion())
		}
		return nil
	}
	if err := sshLogin("pi", "raspberry"); err != nil {
		t.Errorf("ssh pi/raspberry: %v", err)
	}
	if err := sshLogin("pi", "raspberrypi"); err == nil {
		t.Error("ssh with a wrong password succeeded")
	}
}

func TestIPPGetPrinterAttributes(t *testing.T) {
	l := startLab(t, "home")
	printer := dev(t, l, "printer")
	var req ippWriter
	req.Write([]byte{2, 0, 0, 0x0b, 0, 0, 0, 7, ippOperationGroup})
	req.str(ippCharset, "attributes-charset", "utf-8")
	req.str(ippLanguage, "attributes-natural-language", "en")
	req.str(ippURI, "printer-uri", "ipp://"+addrPort(printer, "ipp")+"/ipp/print")
	req.WriteByte(ippEndOfAttrs)
	resp, err := (&http.Client{Timeout: testTimeout}).Post("http://"+addrPort(printer, "ipp")+"/ipp/print", "application/ipp", bytes.NewReader(req.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if len(b) < 8 || b[2] != 0 || b[3] != 0 || binary.BigEndian.Uint32(b[4:]) != 7 {
		t.Fatalf("IPP status/request id = % x", b[:min(8, len(b))])
	}
	for _, want := range []string{"printer-make-and-model", "HP OfficeJet Pro 9010 series", "printer-firmware-string-version", printer.Firmware} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("response lacks %q", want)
		}
	}
}

// TestMisbehaviourHooks runs a device with misbehaviours switched on, from
// a scenario given in memory, to show the hooks work for the hostile set.
func TestMisbehaviourHooks(t *testing.T) {
	fsys := fstest.MapFS{
		"scenarios/home.json": {Data: mustRead(t, "scenarios/home.json")},
		"scenarios/bad.json": {Data: []byte(`{"name": "bad", "description": "test", "devices": [
			{"from": "home/router", "port_mappings": [], "misbehave": {"ssdp": ["location-elsewhere"], "http": ["escapes"]}},
			{"from": "home/dvr", "misbehave": {"telnet": ["silent"]}}]}`)},
	}
	l, err := startFS(t, fsys, "bad")
	if err != nil {
		t.Fatal(err)
	}
	router := dev(t, l, "router")
	resps := search(t, addrPort(router, "ssdp"), "upnp:rootdevice")
	if len(resps) != 1 {
		t.Fatalf("%d responses", len(resps))
	}
	if loc := resps[0].Header.Get("Location"); strings.Contains(loc, router.Addr.String()) {
		t.Errorf("LOCATION %q points at the announcing device", loc)
	}
	dvr := dev(t, l, "dvr")
	c, r := dial(t, addrPort(dvr, "telnet"))
	_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if b, err := r.ReadByte(); err == nil {
		t.Errorf("a silent telnet sent %q", b)
	}
	if !strings.Contains(l.byID["router"].text("http", "x"), "\x1b") {
		t.Error("escapes misbehaviour added no escape sequence")
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// startFS starts a loopback lab from scenario files in fsys.
func startFS(t *testing.T, fsys fstest.MapFS, name string) (*Lab, error) {
	o := Options{Scenario: name, MaxMXDelay: 10 * time.Millisecond, scenarios: fsys}
	l, err := StartLoopback(t.Context(), o)
	if err == nil {
		t.Cleanup(func() { l.Close() })
	}
	return l, err
}
