package scan

import (
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/lab"
	"github.com/porchlight/porchlight/scan/sadp"
)

// TestHomeLabIdentifiedFromDiscovery scans the loopback home lab, without
// consent (no login is tried) and with it, and checks the two devices whose
// identity comes from discovery alone: the camera's model and firmware from
// SADP, and so its outdated firmware and the exploited flaw that firmware
// has; the Matter thermostat's maker from the MAC its Matter host name spells.
func TestHomeLabIdentifiedFromDiscovery(t *testing.T) {
	l := startHome(t)
	for _, consent := range []bool{false, true} {
		t.Run(fmt.Sprintf("consent=%v", consent), func(t *testing.T) {
			checkIdentifiedFromDiscovery(t, l, scanLab(t, l, consent), consent)
		})
	}
}

func checkIdentifiedFromDiscovery(t *testing.T, l *lab.Lab, devs map[string]Device, consent bool) {
	cam := labDevice(t, l, devs, "camera")
	if cam.ProductID != "ds-2cd2042wd-i" || cam.Firmware != "V5.2.5 build 141201" || cam.Model != "DS-2CD2042WD-I" ||
		cam.Serial != "DS-2CD2042WD-I20150112AACH512345678" || !slices.Contains(cam.Sources, "sadp") {
		t.Errorf("camera: product %q firmware %q model %q serial %q sources %v; want it from SADP (reasons %v)",
			cam.ProductID, cam.Firmware, cam.Model, cam.Serial, cam.Sources, cam.Reasons)
	}
	if cam.MAC != "" {
		t.Errorf("camera MAC %q on loopback: a MAC a device states about itself must not key it", cam.MAC)
	}
	for _, r := range cam.Reasons {
		if strings.Contains(r, "UPnP model") {
			t.Errorf("camera reason %q: the model came over SADP, not UPnP (reasons %q)", r, cam.Reasons)
		}
	}
	if !slices.ContainsFunc(cam.Reasons, func(r string) bool { return strings.Contains(r, "SADP model") }) {
		t.Errorf("camera reasons %q; want the SADP model named as SADP's", cam.Reasons)
	}
	var cves []string
	outdated := false
	for _, f := range cam.Findings {
		switch f.ID {
		case FindKnownExploited:
			cves = append(cves, f.Detail["cve"])
		case FindFirmwareOutdated:
			outdated = true
		case FindDefaultPassword:
			if !consent {
				t.Errorf("default-password reported without consent: %+v", f)
			}
		}
	}
	if !outdated || !slices.Equal(cves, []string{"CVE-2017-7921"}) {
		t.Errorf("camera: firmware-outdated %v, known-exploited %v; want true, [CVE-2017-7921]", outdated, cves)
	}

	th := labDevice(t, l, devs, "thermostat")
	if th.MakerID != "google" || th.ProductID != "nest-learning-thermostat-4th-gen" || th.Type != "thermostat" {
		t.Errorf("thermostat: %s/%s type %q (reasons %v); want google/nest-learning-thermostat-4th-gen from its Matter host name",
			th.MakerID, th.ProductID, th.Type, th.Reasons)
	}
	if len(th.Findings) != 0 {
		t.Errorf("thermostat: findings %v; it has nothing wrong", ids(th.Findings))
	}
}

// TestHomeLabRecheckAfterFirmwareUpdate installs the camera's update
// through its own admin page, as a user would, and re-checks it: the
// re-probe reads the new firmware from SADP, so the firmware and exploit
// findings are gone.
func TestHomeLabRecheckAfterFirmwareUpdate(t *testing.T) {
	l := startHome(t)
	before := labDevice(t, l, scanLab(t, l, false), "camera")
	if !slices.Contains(uniqueIDs(before.Findings), FindKnownExploited) {
		t.Fatalf("camera before the update: %v, want known-exploited", uniqueIDs(before.Findings))
	}
	cam, err := l.Device("camera")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, strings.TrimSuffix(cam.AdminURL, "/")+"/update", nil)
	for _, lg := range cam.Logins {
		if lg.User == "admin" {
			req.SetBasicAuth(lg.User, lg.Password)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("installing the update through the admin page: %s", resp.Status)
	}
	after, err := Recheck(t.Context(), before, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if after.Firmware != "V5.5.0 build 170725" {
		t.Errorf("firmware after the update %q, want V5.5.0 build 170725 from SADP", after.Firmware)
	}
	for _, id := range []string{FindFirmwareOutdated, FindKnownExploited} {
		if slices.Contains(uniqueIDs(after.Findings), id) {
			t.Errorf("after the update still %s: %+v", id, after.Findings)
		}
	}
}

// TestSADPEvidence: what SADP says lands where identification reads it;
// the stated MAC identifies but never keys the device.
func TestSADPEvidence(t *testing.T) {
	d := sadp.Device{From: netip.MustParseAddr("192.168.1.64"), Model: "DS-2CD2042WD-I", Serial: "DS-2CD2042WD-I2015",
		MAC: "44:19:b6:6d:20:14", Firmware: "V5.2.5 build 141201"}
	e := sadpEvidence(d)
	if e.ip != d.From || e.mac != "" || e.source != "sadp" || e.firmware != d.Firmware || e.dev.Serial != d.Serial ||
		e.facts.ModelName != d.Model || e.facts.ModelNumber != d.Model || e.facts.MAC != d.MAC || e.facts.ModelFrom != "SADP" {
		t.Errorf("sadpEvidence = %+v", e)
	}
}

// labDevice is the scanned state of the lab device id.
func labDevice(t *testing.T, l *lab.Lab, devs map[string]Device, id string) Device {
	t.Helper()
	info, err := l.Device(id)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := devs[info.Addr.String()]
	if !ok {
		t.Fatalf("lab device %s at %s was not found", id, info.Addr)
	}
	return d
}
