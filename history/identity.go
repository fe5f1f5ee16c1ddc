package history

import (
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/scan"
)

// identifier is one way of recognising a device again in a later scan.
type identifier struct{ kind, value string }

// Identifier kinds, strongest first. A phone's randomised MAC ("rmac") can
// change between scans, so it ranks below the names a device gives itself;
// "host" (the address) is the last resort for devices that give nothing
// else, such as loopback lab devices without a MAC. It is not keyed on what
// the device seems to be, because identification can improve between scans.
const (
	kindMAC    = "mac"
	kindUDN    = "udn"
	kindSerial = "serial"
	kindMDNS   = "mdns"
	kindRMAC   = "rmac"
	kindHost   = "host"
)

// weak kinds identify a device only when nothing stronger contradicts them.
func weak(kind string) bool { return kind == kindMDNS || kind == kindRMAC || kind == kindHost }

// maxIdentifier caps what we store of one identifier; longer values are cut.
const maxIdentifier = 256

// identifiers lists the ways to recognise d, strongest first.
func identifiers(d scan.Device) []identifier {
	var ids []identifier
	add := func(kind, value string) {
		value = strings.ToLower(strings.TrimSpace(value))
		if value == "" {
			return
		}
		if len(value) > maxIdentifier {
			value = value[:maxIdentifier]
		}
		ids = append(ids, identifier{kind, value})
	}
	mac := strings.ReplaceAll(d.MAC, "-", ":")
	random := randomMAC(d)
	if !random {
		add(kindMAC, mac)
	}
	add(kindUDN, strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d.UDN)), "uuid:"))
	if usefulSerial(d.Serial) {
		add(kindSerial, d.Serial)
	}
	add(kindMDNS, d.MDNSName)
	if random {
		add(kindRMAC, mac)
	}
	add(kindHost, d.IP)
	return ids
}

// randomMAC is true for a locally administered MAC (bit 1 of the first
// octet), whether or not scan flagged it.
func randomMAC(d scan.Device) bool {
	if d.RandomMAC {
		return true
	}
	if len(d.MAC) < 2 {
		return false
	}
	b, err := strconv.ParseUint(d.MAC[:2], 16, 8)
	return err == nil && b&0x02 != 0
}

// usefulSerial rejects placeholders devices send instead of a serial
// ("0", "000000", "unknown"), which would merge unrelated devices.
func usefulSerial(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return false
	}
	switch strings.ToLower(s) {
	case "unknown", "none", "null", "n/a", "serial", "123456", "1234567890":
		return false
	}
	return strings.Trim(s, s[:1]) != ""
}
