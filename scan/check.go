package scan

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan/rtt"
	"github.com/porchlight/porchlight/vendors"
)

// This file is the seam between discovery and checks: the discovery pipeline
// calls runChecks once per identified device; Recheck re-probes one device
// (probeHost, in probe.go) and runs runChecks again.

// DefaultLoginSpacing is the pause between two connections of the login
// test to one device when Options.LoginSpacing is zero.
const DefaultLoginSpacing = 250 * time.Millisecond

// checkEnv is what the checks need from the running scan.
type checkEnv struct {
	opts    Options
	catalog *vendors.Catalog
	now     time.Time
	// found, when not nil, is called for each finding as soon as it is known
	// (the pipeline turns it into a FindingFound event).
	found func(Finding)
	// previous, when not nil, is the same device as last checked (Recheck):
	// logins proven changed are not tried again.
	previous *Device
	// spent counts the credentials an earlier, unfinished run of these
	// checks already sent, per service key: a second run sends only what is
	// left of login.MaxAttempts.
	spent map[string]int
	// rtt, when not nil, is the scan's estimate of how long answers take:
	// every exchange waits at least its own timeout, longer while it is slow.
	rtt *rtt.Estimator
}

// checker holds one device's check run.
type checker struct {
	env     checkEnv
	dev     *Device
	maker   *vendors.Maker
	product *vendors.Product
	// unfinished names, in plain words, the tests that ran out of time or
	// were stopped: their silence proves nothing.
	unfinished []string
	// sent counts the credentials sent per service key, this run and earlier.
	sent map[string]int
}

// checkRun is what one run of the checks leaves besides the device.
type checkRun struct {
	unfinished []string       // tests that did not finish, in plain words
	sent       map[string]int // credentials sent per service key, all runs
}

// ErrUnfinished means a test could not finish (the device or this computer
// was too slow, or the scan was stopped), so nothing is known from it.
var ErrUnfinished = errors.New("a test could not finish")

// couldNotFinish is the PSTI reason, and the start of the note, for a device
// whose tests did not all finish.
const couldNotFinish = "could not finish the test"

// runChecks runs every check on an identified device and returns it with
// Support, Disclosure, PSTI and Findings filled in, plus which tests did not
// finish and how many credentials went to each service. Checked is set only
// when every test finished: a test cut short by a timeout or a stop must
// never read as passed (history would record the problem as fixed).
// Findings it did prove are kept either way.
func runChecks(ctx context.Context, dev Device, env checkEnv) (Device, checkRun) {
	if env.catalog == nil {
		env.catalog, _ = vendors.Embedded()
	}
	if env.now.IsZero() {
		env.now = time.Now()
	}
	dev.Findings = nil
	c := &checker{env: env, dev: &dev, sent: maps.Clone(env.spent)}
	if c.sent == nil {
		c.sent = map[string]int{}
	}
	if env.catalog != nil && dev.MakerID != "" {
		c.maker = env.catalog.Maker(dev.MakerID)
		c.product = env.catalog.Product(dev.MakerID, dev.ProductID)
	}
	updates := c.support()
	reporting := c.disclosure()
	c.firmware()
	c.exploits()
	c.telnet()
	passwords := verdict{Unknown, "not tested: this device is not on a private network"}
	if ip, err := netip.ParseAddr(dev.IP); err == nil && IsPrivateAddr(ip) {
		c.upnp(ctx, ip)
		passwords = c.access(ctx, ip)
	}
	if ctx.Err() != nil {
		c.unfinished = append(c.unfinished, "the scan stopped")
	}
	if len(c.unfinished) > 0 && passwords.status != Fail {
		passwords = verdict{Unknown, couldNotFinish + " (" + c.unfinished[0] + ")"}
	}
	dev.PSTI = PSTI{
		Passwords: passwords.status, Reporting: reporting.status, Updates: updates.status,
		Reasons: map[string]string{"passwords": passwords.reason, "reporting": reporting.reason, "updates": updates.reason},
	}
	dev.Checked = len(c.unfinished) == 0
	return dev, checkRun{unfinished: c.unfinished, sent: c.sent}
}

// gaveUp records that a test did not finish when err says it ran out of
// time or was stopped; a refusal or a closed port is an answer, not that.
func (c *checker) gaveUp(what string, err error) {
	if err == nil || !cutShort(err) {
		return
	}
	if !slices.Contains(c.unfinished, what) {
		c.unfinished = append(c.unfinished, what)
	}
}

func cutShort(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// timeout is how long one exchange with the device may take now.
func (c *checker) timeout(base time.Duration) time.Duration { return c.env.rtt.Timeout(base) }

// emit records a finding and reports it at once.
func (c *checker) emit(f Finding) {
	c.dev.Findings = append(c.dev.Findings, f)
	if c.env.found != nil {
		c.env.found(f)
	}
}

// verdict is one PSTI line.
type verdict struct{ status, reason string }

// PSTIBasis names the legal provision behind each PSTI line ("passwords",
// "reporting", "updates"), for reports that cite it.
func PSTIBasis(line string) string {
	switch line {
	case "passwords":
		return "PSTI Regulations 2023, Schedule 1 paragraph 1; ETSI EN 303 645 provision 5.1"
	case "reporting":
		return "PSTI Regulations 2023, Schedule 1 paragraph 2; ETSI EN 303 645 provision 5.2"
	case "updates":
		return "PSTI Regulations 2023, Schedule 1 paragraph 3; ETSI EN 303 645 provision 5.3"
	}
	return ""
}

// Recheck re-probes one device and re-runs its checks (used after a guided
// fix). Logins already proven changed are not tried again, and a login that
// worked before is tried once, so checking again after every step never
// adds up to more than the limits allow.
func Recheck(ctx context.Context, dev Device, opts Options) (Device, error) {
	ip, err := netip.ParseAddr(dev.IP)
	if err != nil {
		return dev, &TargetError{Target: dev.IP, Err: ErrBadTarget}
	}
	if !IsPrivateAddr(ip) {
		return dev, &TargetError{Target: dev.IP, Err: ErrPublicTarget}
	}
	cat := opts.Catalog
	if cat == nil {
		if cat, err = vendors.Embedded(); err != nil {
			return dev, fmt.Errorf("recheck %s: load vendor data: %w", ip, err)
		}
	}
	fresh, err := probeHost(ctx, ip, opts)
	if err != nil {
		return dev, fmt.Errorf("recheck %s: %w", ip, err)
	}
	now := time.Now()
	if opts.Now != nil {
		now = opts.Now()
	}
	prev := dev
	env := checkEnv{opts: opts, catalog: cat, now: now, previous: &prev, rtt: &rtt.Estimator{}}
	checked, run := runChecks(ctx, merged(dev, fresh), env)
	if len(run.unfinished) > 0 {
		return dev, fmt.Errorf("recheck %s: %w (%s)", ip, ErrUnfinished, strings.Join(run.unfinished, "; "))
	}
	return checked, nil
}

// merged keeps what the full scan knew (multicast answers, the neighbour
// table) and takes what the fresh unicast probe saw now: a port closed by a
// fix, or new firmware after an update.
func merged(old, fresh Device) Device {
	d := old
	if len(fresh.Services) > 0 {
		d.Services = fresh.Services
	}
	if fresh.Firmware != "" {
		d.Firmware = fresh.Firmware
	}
	if d.MakerID == "" && fresh.MakerID != "" {
		d.MakerID, d.ProductID, d.Vendor, d.Model, d.Type = fresh.MakerID, fresh.ProductID, fresh.Vendor, fresh.Model, fresh.Type
	}
	if fresh.Location != "" {
		d.Location = fresh.Location
	}
	return d
}
