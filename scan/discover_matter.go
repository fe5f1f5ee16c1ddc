package scan

import (
	"strings"

	"github.com/porchlight/porchlight/scan/mdns"
	"github.com/porchlight/porchlight/scan/neigh"
)

// matterServices are the DNS-SD types of Matter nodes: operational,
// commissionable and commissioner.
var matterServices = map[string]bool{"_matter._tcp": true, "_matterc._udp": true, "_matterd._udp": true}

// matterMAC returns the MAC a Matter node spells in its host name, or "".
// A commissioned Matter device advertises no maker or model over DNS-SD (its
// _matter._tcp instance is "<fabric>-<node>" with session timing TXT only),
// but the Matter SDK names a Wi-Fi or Ethernet node's host after its MAC in
// upper-case hex ("18B4305C8E12.local."; connectedhomeip ServiceNaming.cpp
// MakeHostName). That MAC's registered maker is the one clue such a device
// gives where there is no link layer to ask (loopback, another subnet).
// Thread nodes use a 64-bit EUI instead, which is no MAC and is ignored.
func matterMAC(h mdns.Host) string {
	for _, in := range h.Instances {
		if !matterServices[in.Service] {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(in.Target, "."), ".local")
		if len(name) != 12 {
			continue
		}
		var b strings.Builder
		for i := 0; i < 12; i += 2 {
			if i > 0 {
				b.WriteByte(':')
			}
			b.WriteString(name[i : i+2])
		}
		if mac := neigh.NormalizeMAC(b.String()); mac != "" {
			return mac
		}
	}
	return ""
}
