package scan

import (
	"github.com/porchlight/porchlight/vendors"
)

// identify runs the catalogue's rules over the merged evidence and writes the
// result into the device. Where the catalogue knows nothing, what the device
// said about itself (UPnP manufacturer, model, firmware) is shown as is.
func identify(cat *vendors.Catalog, s *devState) {
	d := &s.dev
	if d.MAC != "" {
		d.MACVendor, d.RandomMAC = cat.OUIVendor(d.MAC)
	}
	facts := s.facts
	if facts.Hostname == "" {
		facts.Hostname = d.Hostname
	}
	id := cat.Identify(facts)
	d.Vendor, d.MakerID, d.ProductID, d.Model = "", "", "", id.Model
	if id.Maker != nil {
		d.Vendor, d.MakerID = id.Maker.Name, id.Maker.ID
	}
	if id.Product != nil {
		d.ProductID = id.Product.ID
		if d.Model == "" {
			d.Model = id.Product.Name
		}
	}
	d.Type = id.Type
	if d.Type == "" {
		d.Type = "unknown"
	}
	d.Firmware = id.Firmware
	d.Reasons = id.Reasons
	// Fallbacks: the device's own words, clearly less sure than a rule.
	fill(&d.Vendor, facts.Manufacturer)
	fill(&d.Vendor, d.MACVendor)
	fill(&d.Model, facts.ModelName)
	fill(&d.Model, facts.TXT["md"])
	fill(&d.Model, facts.TXT["model"])
	fill(&d.Model, facts.TXT["ty"])
	fill(&d.Firmware, s.firmware)
	fill(&d.Name, facts.FriendlyName)
}
