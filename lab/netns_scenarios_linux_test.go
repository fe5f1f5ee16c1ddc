package lab

import (
	"net"
	"net/netip"
	"testing"
)

// TestNetnsEveryScenarioServes starts the scenarios not covered by the other
// namespace tests (home and large are) in namespaces and connects, from the
// scanner namespace, to every TCP port of every device on its real port.
func TestNetnsEveryScenarioServes(t *testing.T) {
	for _, name := range Scenarios() {
		if name == "home" || name == "large" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			l := startNetns(t, name)
			devs := l.Devices()
			if len(devs) == 0 {
				t.Fatal("no devices")
			}
			dialled := 0
			err := l.InScanner(func() error {
				for _, d := range devs {
					for _, p := range d.Ports {
						if p.UDP {
							continue
						}
						c, err := net.DialTimeout("tcp", netip.AddrPortFrom(d.Addr, uint16(p.Port)).String(), testTimeout)
						if err != nil {
							t.Errorf("%s %s port %d from the scanner namespace: %v", d.ID, p.Protocol, p.Port, err)
							continue
						}
						c.Close()
						dialled++
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if dialled == 0 {
				t.Errorf("no TCP port reached among %d devices", len(devs))
			}
		})
	}
}
