// Package lab serves simulated smart devices that behave on the wire like real
// ones: for tests, benchmarks, the demo and classroom workshops.
//
// Each device is built from embedded scenario data (scenarios/*.json) and the
// vendor catalogue: maker, model, firmware, a MAC with the real maker's OUI,
// and the services a real one exposes — SSDP and UPnP descriptions (a router
// serves a working IGD with port mappings), mDNS/DNS-SD, an HTTP admin page
// with Basic, Digest or form login, telnet, RTSP, FTP, MQTT, SSH and IPP.
// Devices keep state: a password changed or firmware "installed" through the
// admin page stays changed for every protocol of that device, and in the
// state file when Options.StatePath is set.
//
// Two ways to run a lab:
//
//   - StartLoopback (any OS, unprivileged): each device on its own address in
//     a /24 inside 127.0.0.0/8, on high ports where real devices use privileged
//     ones (80→8080, 23→2323, 21→2121, 22→2222, 554→8554; others unchanged).
//     SSDP and mDNS answer unicast queries on each device's own address.
//     Linux routes all of 127.0.0.0/8 to lo. macOS only has 127.0.0.1, so the
//     lab uses 127.77.1.0/24 there and each address needs an alias first:
//
//     for i in $(seq 1 40); do sudo ifconfig lo0 alias 127.77.1.$i up; done
//
//   - StartNetns (Linux, root): each device in its own network namespace with
//     its own MAC on one bridge (itself in a namespace), the real ports, real
//     multicast, and a scanner namespace whose neighbour table learns the
//     devices. Nothing touches the root namespace's interfaces.
package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/vendors"
)

// Options say which scenario to serve and where to keep device state.
type Options struct {
	Scenario string // home, classroom, hostile, large
	// StatePath, when set, keeps device state (passwords, firmware) across runs.
	StatePath string
	// Network pins the loopback /24 (default: a random free one on Linux,
	// 127.77.1.0/24 on macOS).
	Network netip.Prefix
	// MaxMXDelay caps the random delay before answering a multicast M-SEARCH
	// (default and upper bound 1s). Tests set it low.
	MaxMXDelay time.Duration
	// Catalog supplies product facts; nil uses vendors.Embedded().
	Catalog *vendors.Catalog

	scenarios fs.FS // scenario files for tests; nil uses the embedded ones
}

// Errors a caller may want to tell apart.
var (
	ErrNoScenario      = errors.New("no such scenario")
	ErrLoopbackAlias   = errors.New("loopback address is not configured")
	ErrNeedRoot        = errors.New("network namespaces need root")
	ErrUnsupported     = errors.New("not supported on this system")
	ErrUnknownDevice   = errors.New("no such device")
	errNoLoopbackBlock = errors.New("no free loopback /24 found")
)

// Lab is a running simulated household.
type Lab struct {
	opts    Options
	scen    *scenario
	prefix  netip.Prefix
	devices []*device
	byID    map[string]*device
	net     netEnv

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex // guards closers, conns and closed
	closers []io.Closer
	conns   map[net.Conn]struct{}
	closed  bool

	decoy decoy // what reached the hostile scenario's decoy (hostile.go)

	stateMu   sync.Mutex // serialises state file writes
	closeOnce sync.Once
	closeErr  error
}

// Scenarios lists the embedded scenario names.
func Scenarios() []string { return []string{"home", "classroom", "hostile", "large"} }

// StartLoopback serves the scenario on loopback addresses (any OS, no privileges).
func StartLoopback(ctx context.Context, opts Options) (*Lab, error) {
	var lastErr error
	for _, block := range loopbackBlocks(opts.Network) {
		l, err := newLab(ctx, opts, block, &loopbackEnv{})
		if err == nil {
			if err = l.start(); err == nil {
				return l, nil
			}
			_ = l.Close()
		}
		if !errors.Is(err, errAddrInUse) {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("lab: start loopback: %w (last: %w)", errNoLoopbackBlock, lastErr)
}

// newLab loads the scenario and builds its devices, without opening sockets.
func newLab(ctx context.Context, opts Options, prefix netip.Prefix, env netEnv) (*Lab, error) {
	fsys := opts.scenarios
	if fsys == nil {
		fsys = scenarioFS
	}
	scen, err := loadScenarioFS(fsys, opts.Scenario)
	if err != nil {
		return nil, err
	}
	cat := opts.Catalog
	if cat == nil {
		if cat, err = vendors.Embedded(); err != nil {
			return nil, fmt.Errorf("lab: load vendor catalogue: %w", err)
		}
	}
	if opts.MaxMXDelay <= 0 || opts.MaxMXDelay > time.Second {
		opts.MaxMXDelay = time.Second
	}
	l := &Lab{opts: opts, scen: scen, prefix: prefix, byID: map[string]*device{}, net: env, conns: map[net.Conn]struct{}{}}
	// ctx bounds starting the lab; the lab itself runs until Close.
	l.ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	base := prefix.Addr().As4()
	for _, spec := range scen.Devices {
		spec = withCatalogLogins(cat, spec)
		addr := netip.AddrFrom4([4]byte{base[0], base[1], base[2], byte(spec.Host)})
		d := newDevice(l, spec, addr, latestFirmware(cat, spec))
		l.devices = append(l.devices, d)
		l.byID[spec.ID] = d
	}
	if err := l.loadState(); err != nil {
		return nil, err
	}
	return l, nil
}

// start opens every device's sockets and announces the devices.
func (l *Lab) start() error {
	for _, d := range l.devices {
		if err := l.net.serve(l, d); err != nil {
			return err
		}
	}
	for _, d := range l.devices {
		l.announce(d)
	}
	return nil
}

// Targets are the networks a scanner should be given to find this lab.
func (l *Lab) Targets() []netip.Prefix { return []netip.Prefix{l.prefix} }

// Close stops every device and waits for them.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		l.cancel()
		l.mu.Lock()
		l.closed = true
		closers := l.closers
		for c := range l.conns {
			_ = c.Close()
		}
		l.mu.Unlock()
		for _, c := range closers {
			_ = c.Close()
		}
		l.wg.Wait()
		l.closeErr = l.net.teardown()
	})
	return l.closeErr
}

// track registers something Close must close; it closes c at once and
// reports false when the lab is already closing.
func (l *Lab) track(c io.Closer) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return false
	}
	l.closers = append(l.closers, c)
	return true
}

// trackConn registers a live connection; the returned func forgets it.
func (l *Lab) trackConn(c net.Conn) (func(), bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, false
	}
	l.conns[c] = struct{}{}
	return func() {
		l.mu.Lock()
		delete(l.conns, c)
		l.mu.Unlock()
		_ = c.Close()
	}, true
}

// goServe runs f on a goroutine Close waits for.
func (l *Lab) goServe(f func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		f()
	}()
}

// serveConns accepts connections on ln and runs handle for each, tracking
// them so Close can end them. A handler panic must never take the lab (or the
// test binary) down, so it is recovered and the connection dropped.
func (l *Lab) serveConns(ln net.Listener, handle func(net.Conn)) {
	if !l.track(ln) {
		return
	}
	l.goServe(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			forget, ok := l.trackConn(c)
			if !ok {
				return
			}
			l.goServe(func() {
				defer forget()
				defer func() { _ = recover() }()
				handle(c)
			})
		}
	})
}

// Login is one credential a device currently accepts.
type Login struct {
	User     string
	Password string
	Services []string // http, rtsp, telnet, ftp, ssh, mqtt
	Default  bool     // still the maker's documented factory password
}

// Port is one service a device listens on.
type Port struct {
	Protocol string // http, ssdp, mdns, upnp, telnet, rtsp, ftp, mqtt, ssh, ipp
	Port     int
	UDP      bool
}

// DeviceInfo describes a running device for tests and the handout.
type DeviceInfo struct {
	ID        string
	Name      string
	Addr      netip.Addr
	MAC       string
	Type      string
	Maker     string
	Model     string
	Firmware  string // current
	MakerID   string
	ProductID string
	Ports     []Port
	// Findings are the planted finding ids a full scan with consent must
	// report for the scenario as shipped (the test oracle).
	Findings []string
	Problem  string
	Logins   []Login
	// AdminURL is the admin page ("" when the device has none).
	AdminURL string
	// Namespace is the device's network namespace (StartNetns only).
	Namespace string
}

// Port returns the first port serving protocol, or 0.
func (d DeviceInfo) Port(protocol string) int {
	for _, p := range d.Ports {
		if p.Protocol == protocol {
			return p.Port
		}
	}
	return 0
}

// Devices describes every device, sorted by address.
func (l *Lab) Devices() []DeviceInfo {
	out := make([]DeviceInfo, 0, len(l.devices))
	for _, d := range l.devices {
		out = append(out, l.info(d))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr.Less(out[j].Addr) })
	return out
}

// Device describes one device by scenario id.
func (l *Lab) Device(id string) (DeviceInfo, error) {
	d, ok := l.byID[id]
	if !ok {
		return DeviceInfo{}, fmt.Errorf("lab: device %q: %w", id, ErrUnknownDevice)
	}
	return l.info(d), nil
}

func (l *Lab) info(d *device) DeviceInfo {
	makerID, productID, _ := strings.Cut(d.spec.Product, "/")
	info := DeviceInfo{
		ID: d.spec.ID, Name: d.spec.Name, Addr: d.addr, MAC: d.mac.String(), Type: d.spec.Type,
		Maker: d.spec.Maker, Model: d.spec.Model, Firmware: d.firmware(), MakerID: makerID,
		ProductID: productID, Ports: l.ports(d), Findings: slices.Clone(d.spec.Findings),
		Problem: d.spec.Problem, Namespace: l.net.namespace(d),
	}
	if d.hasAdmin() {
		info.AdminURL = fmt.Sprintf("http://%s/", netip.AddrPortFrom(d.addr, uint16(l.net.port(d.spec.HTTP.Ports[0]))))
	}
	snap := d.snapshot()
	for _, a := range d.spec.Accounts {
		pw := snap.Passwords[a.User]
		info.Logins = append(info.Logins, Login{User: a.User, Password: pw, Services: slices.Clone(a.Services), Default: a.Default && pw == a.Password})
	}
	return info
}

// ports lists where d listens in this lab's mode.
func (l *Lab) ports(d *device) []Port {
	var ps []Port
	add := func(proto string, real int, udp bool) {
		if real > 0 {
			ps = append(ps, Port{Protocol: proto, Port: l.net.port(real), UDP: udp})
		}
	}
	s := d.spec
	if s.HTTP != nil {
		for _, p := range s.HTTP.Ports {
			add("http", p, false)
		}
	}
	if s.SSDP != nil {
		add("ssdp", ssdpPort, true)
		if s.HTTP == nil || !slices.Contains(s.HTTP.Ports, s.SSDP.Port) {
			add("upnp", s.SSDP.Port, false)
		}
	}
	if len(s.MDNS) > 0 {
		add("mdns", mdnsPort, true)
	}
	if s.Telnet != nil {
		add("telnet", s.Telnet.Port, false)
	}
	if s.RTSP != nil {
		add("rtsp", s.RTSP.Port, false)
	}
	if s.FTP != nil {
		add("ftp", s.FTP.Port, false)
	}
	if s.MQTT != nil {
		add("mqtt", s.MQTT.Port, false)
	}
	if s.SSH != nil {
		add("ssh", s.SSH.Port, false)
	}
	if s.IPP != nil && (s.HTTP == nil || !slices.Contains(s.HTTP.Ports, s.IPP.Port)) {
		add("ipp", s.IPP.Port, false)
	}
	if s.SADP != nil {
		add("sadp", sadpPort, true)
	}
	return ps
}

// SetPassword changes a device account's password directly, for tests that
// need a device in a given state. The real path is the device's admin page.
func (l *Lab) SetPassword(id, user, password string) error {
	d, ok := l.byID[id]
	if !ok {
		return fmt.Errorf("lab: set password on %q: %w", id, ErrUnknownDevice)
	}
	return d.setPassword(user, password)
}

// withCatalogLogins replaces a scenario's default credentials with the
// product's documented ones when the catalogue has them for the same
// service, so vendors/ stays the one source of truth.
func withCatalogLogins(cat *vendors.Catalog, spec DeviceSpec) DeviceSpec {
	p := product(cat, spec)
	if p == nil {
		return spec
	}
	spec.Accounts = slices.Clone(spec.Accounts)
	for i, a := range spec.Accounts {
		if !a.Default || a.LoginService == "" {
			continue
		}
		for _, dl := range p.Logins {
			if dl.Service == a.LoginService && dl.Username == a.User {
				spec.Accounts[i].Password = dl.Password
				break
			}
		}
	}
	return spec
}

// latestFirmware is the version an update installs: the catalogue's latest
// when it knows one, else the scenario's.
func latestFirmware(cat *vendors.Catalog, spec DeviceSpec) string {
	if p := product(cat, spec); p != nil && p.Latest != nil && p.Latest.Version != "" {
		if spec.LatestFormat != "" {
			return strings.ReplaceAll(spec.LatestFormat, "{version}", p.Latest.Version)
		}
		return p.Latest.Version
	}
	return spec.Latest
}

func product(cat *vendors.Catalog, spec DeviceSpec) *vendors.Product {
	makerID, productID, _ := strings.Cut(spec.Product, "/")
	if cat == nil {
		return nil
	}
	return cat.Product(makerID, productID)
}
