// Package neigh reads the operating system's neighbour table (ARP for IPv4,
// NDP for IPv6): which addresses on the local link have which MAC. It only
// reads what the system already knows; it never sends a packet.
// The parsers are pure and tested on every OS; reading is per OS.
package neigh

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
)

// Entry is one neighbour.
type Entry struct {
	IP    netip.Addr
	MAC   string // lower-case, colon-separated, two digits per byte
	Iface string
}

// ErrUnsupported means this OS has no neighbour table reader.
var ErrUnsupported = errors.New("neigh: neighbour table not supported on this system")

// maxEntries caps how much of a table we read.
const maxEntries = 4096

// NormalizeMAC returns mac as "aa:bb:cc:dd:ee:ff", accepting ':' or '-'
// separators and one-digit bytes (macOS prints "0:11:2:..."). It returns ""
// for anything that is not a usable unicast MAC (all zero, broadcast, multicast).
func NormalizeMAC(mac string) string {
	parts := strings.FieldsFunc(mac, func(r rune) bool { return r == ':' || r == '-' })
	if len(parts) != 6 {
		return ""
	}
	for i, p := range parts {
		if len(p) == 1 {
			parts[i] = "0" + p
		}
	}
	hw, err := net.ParseMAC(strings.Join(parts, ":"))
	if err != nil || len(hw) != 6 || hw[0]&1 == 1 || (hw[0]|hw[1]|hw[2]|hw[3]|hw[4]|hw[5]) == 0 {
		return ""
	}
	return hw.String()
}

// ParseProcARP parses Linux /proc/net/arp. Incomplete entries (flags 0x0) are skipped.
//
//	IP address       HW type     Flags       HW address            Mask     Device
//	192.168.1.1      0x1         0x2         a0:63:91:01:02:03     *        eth0
func ParseProcARP(r io.Reader) []Entry {
	var out []Entry
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	sc.Scan() // header
	for sc.Scan() && len(out) < maxEntries {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[2] == "0x0" {
			continue
		}
		out = appendEntry(out, f[0], f[3], f[5])
	}
	return out
}

// ParseIPNeigh parses `ip neigh show` (either family). Entries without a
// link-layer address (FAILED, INCOMPLETE) are skipped.
//
//	fe80::1 dev eth0 lladdr a0:63:91:01:02:03 router REACHABLE
func ParseIPNeigh(r io.Reader) []Entry {
	var out []Entry
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for sc.Scan() && len(out) < maxEntries {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var dev, mac string
		for i := 1; i+1 < len(f); i++ {
			switch f[i] {
			case "dev":
				dev = f[i+1]
			case "lladdr":
				mac = f[i+1]
			}
		}
		out = appendEntry(out, f[0], mac, dev)
	}
	return out
}

// ParseARPDarwin parses `arp -an` on macOS and the BSDs.
//
//	? (192.168.1.1) at a0:63:91:1:2:3 on en0 ifscope [ethernet]
//	? (192.168.1.7) at (incomplete) on en0 ifscope [ethernet]
func ParseARPDarwin(r io.Reader) []Entry {
	var out []Entry
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for sc.Scan() && len(out) < maxEntries {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || f[2] != "at" {
			continue
		}
		ip := strings.Trim(f[1], "()")
		dev := ""
		if len(f) >= 6 && f[4] == "on" {
			dev = f[5]
		}
		out = appendEntry(out, ip, f[3], dev)
	}
	return out
}

// ParseARPWindows parses `arp -a` on Windows.
//
//	Interface: 192.168.1.10 --- 0xb
//	  Internet Address      Physical Address      Type
//	  192.168.1.1           a0-63-91-01-02-03     dynamic
func ParseARPWindows(r io.Reader) []Entry {
	var out []Entry
	iface := ""
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for sc.Scan() && len(out) < maxEntries {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 2 && strings.HasSuffix(f[0], ":") && strings.EqualFold(f[0], "Interface:"):
			iface = f[1]
		case len(f) >= 3:
			out = appendEntry(out, f[0], f[1], iface)
		}
	}
	return out
}

// appendEntry adds a neighbour when ip and mac are both usable.
func appendEntry(out []Entry, ip, mac, dev string) []Entry {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return out
	}
	m := NormalizeMAC(mac)
	if m == "" {
		return out
	}
	if len(dev) > 32 {
		dev = dev[:32]
	}
	return append(out, Entry{IP: addr.Unmap().WithZone(""), MAC: m, Iface: dev})
}
