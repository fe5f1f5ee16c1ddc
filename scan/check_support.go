package scan

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/porchlight/porchlight/scan/version"
	"github.com/porchlight/porchlight/vendors"
)

// smartTypes are device types that are "smart products" under PSTI; a
// computer or phone of unknown make gets no support finding.
var smartTypes = []string{"router", "camera", "doorbell", "tv", "speaker", "plug", "light", "hub", "printer", "nas", "thermostat", "streamer"}

// name is how findings name the device's maker and product.
func (c *checker) name() string {
	switch {
	case c.product != nil && c.maker != nil:
		return c.maker.Name + " " + c.product.Name
	case c.maker != nil:
		return c.maker.Name + " device"
	}
	return "device"
}

// support fills Device.Support and raises support-ended, -ending-soon or
// -unknown; it returns the PSTI updates line (Schedule 1 paragraph 3).
func (c *checker) support() verdict {
	st := vendors.UnknownSupp
	if c.product != nil {
		st = c.env.catalog.Status(c.product, c.env.now)
	}
	s := Support{Status: string(st)}
	if c.maker != nil {
		s.Policy, s.Source = c.maker.Support.Policy, c.maker.Support.Source.URL
	}
	if c.product != nil && c.product.Support != nil {
		s.Until, s.Source = c.product.Support.Until, c.product.Support.Source.URL
	}
	c.dev.Support = s
	switch st {
	case vendors.Ended:
		c.emit(Finding{ID: FindSupportEnded, Severity: High,
			Title:    "No more security updates",
			Evidence: fmt.Sprintf("%s stopped getting security updates after %s", c.name(), s.Until),
			Detail:   map[string]string{"until": s.Until, "source": s.Source}})
		return verdict{Fail, fmt.Sprintf("security updates ended after %s", s.Until)}
	case vendors.EndingSoon:
		c.emit(Finding{ID: FindSupportEndingSoon, Severity: Low,
			Title:    "Security updates end within a year",
			Evidence: fmt.Sprintf("%s gets security updates only until %s", c.name(), s.Until),
			Detail:   map[string]string{"until": s.Until, "source": s.Source}})
		return verdict{Pass, fmt.Sprintf("the maker states security updates until %s, less than a year away", s.Until)}
	case vendors.Supported:
		return verdict{Pass, fmt.Sprintf("the maker states security updates until %s", s.Until)}
	}
	return c.supportUnknown()
}

func (c *checker) supportUnknown() verdict {
	switch {
	case c.maker == nil && !slices.Contains(smartTypes, c.dev.Type):
		return verdict{Unknown, "we could not tell who made this device"}
	case c.maker == nil:
		c.emit(Finding{ID: FindSupportUnknown, Severity: Low,
			Title:    "Unknown how long it gets security updates",
			Evidence: "we could not tell who made this device, so we cannot say how long it gets security updates"})
		return verdict{Unknown, "we could not tell who made this device"}
	case !c.maker.Support.Published:
		c.emit(Finding{ID: FindSupportUnknown, Severity: Low,
			Title:    "Maker does not say how long it gets security updates",
			Evidence: fmt.Sprintf("%s publishes no period of security updates for its products", c.maker.Name),
			Detail:   map[string]string{"source": c.maker.Support.Source.URL}})
		return verdict{Fail, fmt.Sprintf("%s publishes no security-update period", c.maker.Name)}
	}
	c.emit(Finding{ID: FindSupportUnknown, Severity: Low,
		Title:    "Unknown how long it gets security updates",
		Evidence: fmt.Sprintf("%s has an update policy, but it gives no end date for %s", c.maker.Name, c.name()),
		Detail:   map[string]string{"policy": c.maker.Support.Policy, "source": c.maker.Support.Source.URL}})
	return verdict{Unknown, fmt.Sprintf("%s's policy gives no end date for this model", c.maker.Name)}
}

// disclosure fills Device.Disclosure and raises no-disclosure-contact; it
// returns the PSTI reporting line (Schedule 1 paragraph 2).
func (c *checker) disclosure() verdict {
	if c.maker == nil {
		return verdict{Unknown, "we could not tell who made this device"}
	}
	d := c.maker.Disclosure
	c.dev.Disclosure = Disclosure{URL: d.URL, Email: d.Email}
	if d.URL != "" || d.Email != "" {
		return verdict{Pass, fmt.Sprintf("%s takes security reports", c.maker.Name)}
	}
	c.emit(Finding{ID: FindNoDisclosure, Severity: Low,
		Title:    "No way to report security problems",
		Evidence: fmt.Sprintf("%s publishes no way to report a security problem", c.maker.Name),
		Detail:   map[string]string{"source": d.Source.URL}})
	return verdict{Fail, fmt.Sprintf("%s publishes no way to report security problems", c.maker.Name)}
}

// firmware raises firmware-outdated when the running version is older than
// the newest the maker publishes, or, lacking that, older than a release
// that fixed a known exploited flaw. Versions that don't compare say nothing.
func (c *checker) firmware() {
	if c.product == nil || c.dev.Firmware == "" {
		return
	}
	latest, date, source := "", "", ""
	if l := c.product.Latest; l != nil {
		latest, date, source = l.Version, l.Date, l.Source.URL
	} else if fix := c.newestFix(); fix != nil {
		latest, source = fix.FixedIn, fix.Source.URL
	}
	if latest == "" {
		return
	}
	gap, ok := version.Behind(c.dev.Firmware, latest, date)
	if !ok || gap.Level == "" {
		return
	}
	text := fmt.Sprintf("firmware %s is older than %s", c.dev.Firmware, latest)
	if c.product.Latest == nil {
		text = fmt.Sprintf("firmware %s is older than %s, a release that fixed a known attack", c.dev.Firmware, latest)
	}
	detail := map[string]string{"running": c.dev.Firmware, "latest": latest, "level": gap.Level, "source": source}
	if gap.Steps > 0 {
		detail["behind"] = strconv.Itoa(gap.Steps)
	}
	if date != "" {
		detail["latest_date"] = date
	}
	c.emit(Finding{ID: FindFirmwareOutdated, Severity: Medium,
		Title:    "Firmware is out of date",
		Evidence: text + " (" + gap.String() + ")",
		Detail:   detail})
}

// newestFix is the known exploit whose fix is the newest release, or nil.
func (c *checker) newestFix() *vendors.KnownExploit {
	var best *vendors.KnownExploit
	for i, x := range c.product.Exploits {
		if x.FixedIn == "" {
			continue
		}
		if best == nil {
			best = &c.product.Exploits[i]
		} else if n, ok := version.Compare(x.FixedIn, best.FixedIn); ok && n > 0 {
			best = &c.product.Exploits[i]
		}
	}
	return best
}

// exploits raises known-exploited for each KEV entry that applies to the
// running firmware: every version when no fix is known, else versions older
// than the fix. Unknown or incomparable firmware raises nothing. An entry
// with no fix on a product family (a maker's "other cameras") raises
// nothing either: the flaw is in some of those models, and nothing says this
// is one of them, so asserting it would be a guess.
func (c *checker) exploits() {
	if c.product == nil {
		return
	}
	for _, x := range c.product.Exploits {
		if x.FixedIn == "" && c.product.Family {
			continue
		}
		evidence := fmt.Sprintf("%s is used in real attacks on %s and no fixed firmware is known", x.CVE, c.name())
		if x.FixedIn != "" {
			if n, ok := version.Compare(c.dev.Firmware, x.FixedIn); !ok || n >= 0 {
				continue
			}
			evidence = fmt.Sprintf("%s is used in real attacks; firmware %s is older than the fix in %s", x.CVE, c.dev.Firmware, x.FixedIn)
		}
		c.emit(Finding{ID: FindKnownExploited, Severity: Critical,
			Title:    "Has a flaw attackers are using: " + x.Title,
			Evidence: evidence,
			Detail:   map[string]string{"cve": x.CVE, "fixed_in": x.FixedIn, "source": x.Source.URL}})
	}
}

// telnet raises telnet-open for each telnet port discovery found.
func (c *checker) telnet() {
	for _, s := range c.services("telnet") {
		c.emit(Finding{ID: FindTelnetOpen, Severity: High,
			Title:    "Telnet is open",
			Service:  serviceKey(s),
			Evidence: fmt.Sprintf("telnet answers on port %d; it sends passwords unprotected and is how worms such as Mirai break in", s.Port)})
	}
}

func serviceKey(s Service) string { return fmt.Sprintf("%s:%d", s.Protocol, s.Port) }
