package scan

import (
	"testing"

	"github.com/porchlight/porchlight/vendors"
)

// BenchmarkIdentifyDevice identifies one device from the evidence a scan
// gathers for a TP-Link router (MAC, SSDP and UPnP description, HTTP
// Server, realm and title), as the merge loop does each time evidence
// arrives, so it bounds how fast a busy network's evidence can be taken in.
func BenchmarkIdentifyDevice(b *testing.B) {
	cat, err := vendors.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	st := &devState{
		dev: Device{Key: "50:c7:bf:3a:61:0e", IP: "192.168.1.1", MAC: "50:c7:bf:3a:61:0e"},
		facts: vendors.Evidence{
			MAC: "50:c7:bf:3a:61:0e", Manufacturer: "TP-LINK", ModelName: "Archer C7",
			ModelNumber: "3.15.3 Build 180114 Rel.39265n", FriendlyName: "Archer_C7",
			DeviceTypes: []string{"urn:schemas-upnp-org:device:InternetGatewayDevice:1", "urn:schemas-upnp-org:device:WANDevice:1"},
			Servers:     []string{"ipos/7.0 UPnP/1.0 Archer_C7/2.0", "Router Webserver"},
			Realms:      []string{"TP-LINK AC1750 Wireless Dual Band Gigabit Router Archer C7"},
			Titles:      []string{"Archer C7"},
		},
	}
	for b.Loop() {
		identify(cat, st)
	}
	if st.dev.MakerID != "tp-link" {
		b.Fatalf("identified as %q (%v), want tp-link", st.dev.MakerID, st.dev.Reasons)
	}
}
