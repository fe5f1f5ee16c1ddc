package lab

import (
	"crypto/subtle"
	"encoding/xml"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// device is one running simulated device: its spec, where it listens, and
// its mutable state, shared by every protocol it speaks so a change through
// one (the admin page) is seen at once by all the others.
type device struct {
	spec   DeviceSpec
	addr   netip.Addr
	mac    net.HardwareAddr
	latest string // firmware an update installs; "" when none is newer
	lab    *Lab   // for ports, peers and saving state
	keys   *authKeys
	// ssdpConn and mdnsConn are the device's UDP sockets, kept to announce.
	ssdpConn, mdnsConn *net.UDPConn

	telnetLn net.Listener // guarded by mu; nil while telnet is off

	mu sync.Mutex // guards st
	st deviceState
}

// deviceState is what the owner can change; it is what the state file keeps.
type deviceState struct {
	Firmware string `json:"firmware"`
	// Passwords maps account user to its current password.
	Passwords map[string]string `json:"passwords"`
	// Off lists the features the owner turned off: telnet, ftp-anonymous,
	// mqtt-anonymous, upnp.
	Off map[string]bool `json:"off,omitempty"`
}

func newDevice(l *Lab, spec DeviceSpec, addr netip.Addr, latest string) *device {
	mac, _ := net.ParseMAC(spec.MAC) // validated with the scenario
	d := &device{spec: spec, addr: addr, mac: mac, latest: latest, lab: l, keys: newAuthKeys()}
	d.st = deviceState{Firmware: spec.Firmware, Passwords: map[string]string{}, Off: map[string]bool{}}
	for _, a := range spec.Accounts {
		d.st.Passwords[a.User] = a.Password
	}
	return d
}

// firmware returns the running firmware version.
func (d *device) firmware() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st.Firmware
}

// off reports whether the owner turned a feature off.
func (d *device) off(feature string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.st.Off[feature]
}

// checkLogin reports whether user and password open service. Comparisons are
// constant-time so the lab does not teach timing tricks by accident.
func (d *device) checkLogin(service, user, password string) bool {
	for _, a := range d.spec.Accounts {
		if a.User != user || !slices.Contains(a.Services, service) {
			continue
		}
		d.mu.Lock()
		want, ok := d.st.Passwords[user]
		d.mu.Unlock()
		return ok && subtle.ConstantTimeCompare([]byte(want), []byte(password)) == 1
	}
	return false
}

// password returns the current password of a user, for Digest (which needs
// the secret itself) and for tests; ok is false for an unknown user or one
// without access to service.
func (d *device) password(service, user string) (string, bool) {
	for _, a := range d.spec.Accounts {
		if a.User == user && slices.Contains(a.Services, service) {
			d.mu.Lock()
			defer d.mu.Unlock()
			p, ok := d.st.Passwords[user]
			return p, ok
		}
	}
	return "", false
}

// setPassword changes a user's password and saves the state.
func (d *device) setPassword(user, password string) error {
	known := slices.ContainsFunc(d.spec.Accounts, func(a Account) bool { return a.User == user })
	if !known {
		return fmt.Errorf("lab: %s: no account %q", d.spec.ID, user)
	}
	d.mu.Lock()
	d.st.Passwords[user] = password
	d.mu.Unlock()
	return d.lab.saveState()
}

// update installs the latest firmware; it reports false when none is newer.
func (d *device) update() (bool, error) {
	d.mu.Lock()
	if d.latest == "" || d.st.Firmware == d.latest {
		d.mu.Unlock()
		return false, nil
	}
	d.st.Firmware = d.latest
	d.mu.Unlock()
	return true, d.lab.saveState()
}

// setOff turns a feature off (or back on) and saves the state.
func (d *device) setOff(feature string, off bool) error {
	d.mu.Lock()
	d.st.Off[feature] = off
	d.mu.Unlock()
	if feature == "telnet" {
		// Turning telnet off closes the port, as on a real device, so a
		// re-check finds it closed; turning it on opens it again.
		if off {
			d.stopTelnet()
		} else if err := serveTelnet(d.lab, d); err != nil {
			return err
		}
	}
	return d.lab.saveState()
}

// snapshot copies the state for saving.
func (d *device) snapshot() deviceState {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := deviceState{Firmware: d.st.Firmware, Passwords: map[string]string{}, Off: map[string]bool{}}
	for k, v := range d.st.Passwords {
		s.Passwords[k] = v
	}
	for k, v := range d.st.Off {
		if v {
			s.Off[k] = v
		}
	}
	return s
}

// restore applies a saved state over the scenario's.
func (d *device) restore(s deviceState) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.Firmware != "" {
		d.st.Firmware = s.Firmware
	}
	for k, v := range s.Passwords {
		if _, ok := d.st.Passwords[k]; ok {
			d.st.Passwords[k] = v
		}
	}
	for k, v := range s.Off {
		d.st.Off[k] = v
	}
}

// expand fills the placeholders scenario strings may use: {ip}, {mac}
// (upper-case hex, no separators), {mac_lower}, {mac6} (last three bytes,
// upper-case), {mac6_lower}, {firmware}, {name}, {serial}, {model}.
func (d *device) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	hex := strings.ToUpper(strings.ReplaceAll(d.mac.String(), ":", ""))
	if strings.Contains(s, "{uuid") {
		u := d.uuid()
		s = strings.NewReplacer("{uuid}", u, "{uuid_hex}", strings.ReplaceAll(u, "-", "")).Replace(s)
	}
	if strings.Contains(s, "{admin}") {
		s = strings.ReplaceAll(s, "{admin}", d.adminURL())
	}
	return strings.NewReplacer(
		"{ip}", d.addr.String(), "{mac_hue}", hex[:6]+"FFFE"+hex[6:],
		"{mac_hue_lower}", strings.ToLower(hex[:6]+"FFFE"+hex[6:]),
		"{mac}", hex, "{mac_lower}", strings.ToLower(hex),
		"{mac6}", hex[6:], "{mac6_lower}", strings.ToLower(hex[6:]),
		"{firmware}", d.firmware(), "{name}", d.spec.Name,
		"{serial}", d.spec.Serial, "{model}", d.spec.Model,
	).Replace(s)
}

// hostname is the device's mDNS host name (without ".local.").
func (d *device) hostname() string {
	if d.spec.Hostname != "" {
		return d.expand(d.spec.Hostname)
	}
	return d.spec.ID
}

// uuid is the device's UPnP UUID (its first root device's), or one derived
// from its MAC for devices without UPnP, so it is stable across runs.
func (d *device) uuid() string {
	if d.spec.SSDP != nil && len(d.spec.SSDP.Roots) > 0 && !strings.Contains(d.spec.SSDP.Roots[0].UUID, "{uuid}") {
		return d.expand(d.spec.SSDP.Roots[0].UUID)
	}
	h := md5Sum("porchlight-lab:" + d.mac.String())
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// xmlText escapes s for XML character data.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// adminURL is the device's web page address as the lab serves it.
func (d *device) adminURL() string {
	ports := httpPorts(d.spec)
	if len(ports) == 0 {
		return ""
	}
	return fmt.Sprintf("http://%s/", netip.AddrPortFrom(d.addr, uint16(d.lab.net.port(ports[0]))))
}
