package scan

import (
	"context"
	"net/netip"
	"time"

	"github.com/porchlight/porchlight/scan/sadp"
	"github.com/porchlight/porchlight/vendors"
)

// SADP timing: a camera answers at once; the multicast window matches SSDP's
// so it never makes discovery longer.
const (
	sadpWait          = 400 * time.Millisecond
	sadpMulticastWait = ssdpMulticastWait
)

// sadp asks ip's SADP port directly (loopback labs, Recheck): Hikvision
// cameras state their model and firmware there without a login.
func (p *prober) sadp(ctx context.Context, ip netip.Addr, emit func(evidence)) {
	devs, _ := sadp.SearchUnicast(ctx, ip, sadp.Port, p.wait(sadpWait))
	for _, d := range devs {
		emit(sadpEvidence(d))
	}
}

// sadpMulticast sends the SADP probe on the chosen interface and turns the
// answers from inside the targets into evidence. A socket that cannot be
// opened costs only this source, which only Hikvision-made devices answer,
// so it is not worth a note to the user.
func (s *scanner) sadpMulticast(ctx context.Context, emit func(evidence)) {
	_ = sadp.SearchMulticast(ctx, s.mcast.ifi, s.mcast.src, sadpMulticastWait, func(d sadp.Device) {
		if inTargets(s.opts.Targets, d.From) {
			emit(sadpEvidence(d))
		}
	})
}

// sadpEvidence turns one SADP answer into evidence: the model, serial number
// and firmware. Hikvision's model name is its model number
// ("DS-2CD2042WD-I"), so the model fills both, as a UPnP description of the
// same camera would. The MAC
// the device states goes to identification only (facts.MAC, for the maker
// tie-break), not to the device's key: a device's word about its own MAC
// must never merge it with another device's record. The neighbour table
// gives the MAC that keys a device.
func sadpEvidence(d sadp.Device) evidence {
	e := evidence{ip: d.From, source: "sadp", firmware: d.Firmware}
	e.dev.Serial = d.Serial
	e.facts = vendors.Evidence{MAC: d.MAC, ModelName: d.Model, ModelNumber: d.Model, ModelFrom: "SADP"}
	return e
}
