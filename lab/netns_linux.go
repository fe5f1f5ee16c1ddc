//go:build linux

package lab

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

// nsSubnet is the devices' /24 inside the namespaces. It exists nowhere
// else: the root namespace is never touched, so it cannot clash with a real
// network.
var nsSubnet = netip.MustParsePrefix("10.77.1.0/24")

// scannerHost is the scanner namespace's address in nsSubnet.
const scannerHost = 254

// netnsDir is where iproute2 keeps named namespaces.
const netnsDir = "/run/netns"

// netnsEnv puts each device in its own namespace on one bridge.
type netnsEnv struct {
	prefix  string // "pl-<pid>-<rand>-"; names are prefix+"br", prefix+"scan", prefix+"d<host>"
	names   []string
	scanMAC net.HardwareAddr

	mu      sync.Mutex // guards ifindex
	ifindex map[string]int
}

// StartNetns serves the scenario with each device in its own network
// namespace, all on one bridge in a namespace of its own, plus a scanner
// namespace (ScannerNetns) to run a scanner in. It needs root and iproute2.
// Close removes every namespace it made; CleanupStale removes those of
// crashed runs.
func StartNetns(ctx context.Context, opts Options) (*Lab, error) {
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("lab: start namespaces: %w", ErrNeedRoot)
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, fmt.Errorf("lab: start namespaces: iproute2's ip command: %w", err)
	}
	env := &netnsEnv{prefix: nsPrefix(), ifindex: map[string]int{}}
	l, err := newLab(ctx, opts, nsSubnet, env)
	if err != nil {
		return nil, err
	}
	if err := env.build(ctx, l.devices); err != nil {
		_ = env.teardown()
		return nil, err
	}
	if err := l.start(); err != nil {
		_ = l.Close()
		return nil, err
	}
	return l, nil
}

// nsPrefix makes a unique name prefix that records the owning process, so
// CleanupStale can tell a crashed run's namespaces from a live one's.
func nsPrefix() string {
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	return fmt.Sprintf("pl-%d-%x-", os.Getpid(), b)
}

func (e *netnsEnv) bridgeNS() string  { return e.prefix + "br" }
func (e *netnsEnv) scannerNS() string { return e.prefix + "scan" }
func (e *netnsEnv) deviceNS(d *device) string {
	return e.prefix + "d" + strconv.Itoa(d.spec.Host)
}

// build creates the namespaces, the bridge and one veth pair per namespace
// with two `ip -batch` runs, then gives each namespace its address from Go
// (ioctl inside the namespace), which is much faster than one ip per
// namespace.
func (e *netnsEnv) build(ctx context.Context, devices []*device) error {
	var add, links bytes.Buffer
	e.names = append(e.names, e.bridgeNS(), e.scannerNS())
	for _, d := range devices {
		e.names = append(e.names, e.deviceNS(d))
	}
	for _, n := range e.names {
		fmt.Fprintf(&add, "netns add %s\n", n)
	}
	if err := ipBatch(ctx, "", &add); err != nil {
		return err
	}
	e.scanMAC = net.HardwareAddr{0x02, 0x70, 0x6c, 0, 0, 0} // locally administered
	_, _ = rand.Read(e.scanMAC[3:])
	fmt.Fprintf(&links, "link add br0 type bridge mcast_snooping 0\nlink set br0 up\n")
	peer := func(i int, ns string, mac net.HardwareAddr) {
		fmt.Fprintf(&links, "link add v%d type veth peer name eth0 address %s netns %s\nlink set v%d master br0 up\n", i, mac, ns, i)
	}
	peer(0, e.scannerNS(), e.scanMAC)
	for i, d := range devices {
		peer(i+1, e.deviceNS(d), d.mac)
	}
	if err := ipBatch(ctx, e.bridgeNS(), &links); err != nil {
		return err
	}
	if err := e.configure(e.scannerNS(), hostAddr(scannerHost)); err != nil {
		return err
	}
	for _, d := range devices {
		if err := e.configure(e.deviceNS(d), d.addr); err != nil {
			return err
		}
	}
	return nil
}

func hostAddr(host int) netip.Addr {
	b := nsSubnet.Addr().As4()
	b[3] = byte(host)
	return netip.AddrFrom4(b)
}

// ipBatch runs `ip [-n ns] -batch -` with the given commands.
func ipBatch(ctx context.Context, ns string, cmds *bytes.Buffer) error {
	args := []string{"-batch", "-"}
	if ns != "" {
		args = append([]string{"-n", ns}, args...)
	}
	cmd := exec.CommandContext(ctx, "ip", args...)
	cmd.Stdin = cmds
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("lab: ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// inNS runs f on this goroutine's thread switched into namespace ns. Sockets
// opened by f stay in ns. If the thread cannot be switched back it is not
// unlocked, so the Go runtime retires it instead of reusing it elsewhere.
func inNS(ns string, f func() error) error {
	runtime.LockOSThread()
	home, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("lab: open this thread's namespace: %w", err)
	}
	defer home.Close()
	target, err := os.Open(filepath.Join(netnsDir, ns))
	if err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("lab: open namespace %s: %w", ns, err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("lab: enter namespace %s: %w", ns, err)
	}
	ferr := f()
	if err := unix.Setns(int(home.Fd()), unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("lab: leave namespace %s: %w", ns, err) // thread stays locked
	}
	runtime.UnlockOSThread()
	return ferr
}

// configure brings lo and eth0 up in ns and gives eth0 addr/24, using the
// same ioctls as ifconfig.
func (e *netnsEnv) configure(ns string, addr netip.Addr) error {
	return inNS(ns, func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("lab: %s: socket: %w", ns, err)
		}
		defer unix.Close(fd)
		ip := addr.As4()
		mask := net.CIDRMask(nsSubnet.Bits(), 32)
		for _, step := range []struct {
			ifname string
			req    uint
			value  []byte
		}{
			{"eth0", unix.SIOCSIFADDR, ip[:]},
			{"eth0", unix.SIOCSIFNETMASK, mask},
		} {
			ifr, err := unix.NewIfreq(step.ifname)
			if err != nil {
				return err
			}
			if err := ifr.SetInet4Addr(step.value); err != nil {
				return err
			}
			if err := unix.IoctlIfreq(fd, step.req, ifr); err != nil {
				return fmt.Errorf("lab: %s: set %s address: %w", ns, step.ifname, err)
			}
		}
		for _, name := range []string{"lo", "eth0"} {
			if err := ifUp(fd, name); err != nil {
				return fmt.Errorf("lab: %s: bring %s up: %w", ns, name, err)
			}
		}
		ifi, err := net.InterfaceByName("eth0")
		if err != nil {
			return fmt.Errorf("lab: %s: eth0: %w", ns, err)
		}
		e.mu.Lock()
		e.ifindex[ns] = ifi.Index
		e.mu.Unlock()
		return nil
	})
}

func ifUp(fd int, name string) error {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

func (e *netnsEnv) serve(l *Lab, d *device) error { return serveDevice(l, d) }
func (e *netnsEnv) port(real int) int             { return real }
func (e *netnsEnv) namespace(d *device) string    { return e.deviceNS(d) }

func (e *netnsEnv) mcastIface(d *device) *net.Interface {
	e.mu.Lock()
	defer e.mu.Unlock()
	idx, ok := e.ifindex[e.deviceNS(d)]
	if !ok {
		return nil
	}
	return &net.Interface{Index: idx, Name: "eth0", Flags: net.FlagUp | net.FlagMulticast}
}

func (e *netnsEnv) listenTCP(d *device, real int) (net.Listener, error) {
	var ln net.Listener
	err := inNS(e.deviceNS(d), func() error {
		var err error
		ln, err = net.Listen("tcp4", netip.AddrPortFrom(d.addr, uint16(real)).String())
		return err
	})
	return ln, bindError(d, real, err)
}

// listenUDP binds the wildcard address (only this device's namespace has
// it) so multicast to group reaches the socket, and joins group on eth0.
func (e *netnsEnv) listenUDP(d *device, real int, group netip.Addr) (*net.UDPConn, error) {
	var c *net.UDPConn
	err := inNS(e.deviceNS(d), func() error {
		var err error
		c, err = net.ListenUDP("udp4", &net.UDPAddr{Port: real})
		if err != nil || !group.IsValid() {
			return err
		}
		if ifi := e.mcastIface(d); ifi != nil {
			if err := ipv4.NewPacketConn(c).JoinGroup(ifi, &net.UDPAddr{IP: group.AsSlice()}); err != nil {
				c.Close()
				return fmt.Errorf("join %s: %w", group, err)
			}
		}
		return nil
	})
	return c, bindError(d, real, err)
}

// teardown deletes every namespace of this lab (the veths and the bridge go
// with them).
func (e *netnsEnv) teardown() error {
	if len(e.names) == 0 {
		return nil
	}
	var del bytes.Buffer
	for _, n := range e.names {
		if _, err := os.Stat(filepath.Join(netnsDir, n)); err == nil {
			fmt.Fprintf(&del, "netns del %s\n", n)
		}
	}
	e.names = nil
	if del.Len() == 0 {
		return nil
	}
	return ipBatch(context.Background(), "", &del)
}

// ScannerNetns names the scanner's namespace ("" for a loopback lab). Run a
// scanner there with `ip netns exec NAME ...`, ExecInScanner or InScanner.
func (l *Lab) ScannerNetns() string {
	if e, ok := l.net.(*netnsEnv); ok {
		return e.scannerNS()
	}
	return ""
}

// ScannerAddr is the scanner namespace's address on the lab's bridge.
func (l *Lab) ScannerAddr() netip.Addr {
	if _, ok := l.net.(*netnsEnv); ok {
		return hostAddr(scannerHost)
	}
	return netip.Addr{}
}

var errNotNetns = errors.New("lab: not a namespace lab")

// ScannerCommand makes a command that runs in the scanner namespace.
func (l *Lab) ScannerCommand(ctx context.Context, name string, args ...string) (*exec.Cmd, error) {
	ns := l.ScannerNetns()
	if ns == "" {
		return nil, errNotNetns
	}
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, name}, args...)...), nil
}

// ExecInScanner runs a command in the scanner namespace and returns its
// combined output.
func (l *Lab) ExecInScanner(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd, err := l.ScannerCommand(ctx, name, args...)
	if err != nil {
		return nil, err
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("lab: %s in %s: %w", name, l.ScannerNetns(), err)
	}
	return out, nil
}

// InScanner runs f in the scanner namespace on a locked thread: sockets f
// opens live there (for in-process scanners and tests).
func (l *Lab) InScanner(f func() error) error {
	ns := l.ScannerNetns()
	if ns == "" {
		return errNotNetns
	}
	return inNS(ns, f)
}

// ScannerInterface is the scanner namespace's interface, for setting
// IP_MULTICAST_IF on sockets made with InScanner.
func (l *Lab) ScannerInterface() *net.Interface {
	e, ok := l.net.(*netnsEnv)
	if !ok {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return &net.Interface{Index: e.ifindex[e.scannerNS()], Name: "eth0", Flags: net.FlagUp | net.FlagMulticast}
}

// CleanupStale removes the namespaces of labs whose process has died (names
// "pl-<pid>-..."). Namespaces of running labs, and any not named by a lab,
// are left alone.
func CleanupStale() error {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lab: list namespaces: %w", err)
	}
	var del bytes.Buffer
	for _, e := range entries {
		if pid, ok := labPID(e.Name()); ok && !processAlive(pid) {
			fmt.Fprintf(&del, "netns del %s\n", e.Name())
		}
	}
	if del.Len() == 0 {
		return nil
	}
	return ipBatch(context.Background(), "", &del)
}

// labPID reads the owner pid from a lab namespace name.
func labPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "pl-")
	if !ok {
		return 0, false
	}
	pidText, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidText)
	return pid, ok && err == nil && pid > 0
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
