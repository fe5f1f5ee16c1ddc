package main

import (
	"flag"
	"os"
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// targetFlags are the flags every scanning command shares.
type targetFlags struct {
	targets   string
	iface     string
	wide      bool
	timeout   time.Duration
	vendors   string
	noHistory bool
}

func (t *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.targets, "targets", "", "addresses or networks to check, comma separated (private only), e.g. 192.168.1.0/24")
	fs.StringVar(&t.iface, "interface", "", "network interface to use for discovery (default: the one with the default route)")
	fs.BoolVar(&t.wide, "wide", false, "allow networks up to a /16 instead of a /22 (private space only)")
	fs.DurationVar(&t.timeout, "timeout", 30*time.Second, "give up on the whole scan after this long")
	fs.StringVar(&t.vendors, "vendors", "", "load an updated vendor data file over the built-in one")
	fs.BoolVar(&t.noHistory, "no-history", false, "do not read or write the scan history database")
}

// options turns the flags into scan options, refusing targets outside private space.
func (t *targetFlags) options() (scan.Options, error) {
	opts := scan.Options{Interface: t.iface, Timeout: t.timeout}
	if t.timeout <= 0 {
		return opts, usagef("--timeout must be positive, such as 30s or 2m.")
	}
	if t.targets != "" {
		prefixes, err := scan.ParseTargets([]string{t.targets}, t.wide)
		if err != nil {
			return opts, err
		}
		opts.Targets = prefixes
	}
	cat, err := t.catalog()
	if err != nil {
		return opts, err
	}
	opts.Catalog = cat
	return opts, nil
}

// catalog loads the vendor data, with --vendors laid over the built-in set.
func (t *targetFlags) catalog() (*vendors.Catalog, error) {
	if t.vendors != "" {
		if _, err := os.Stat(t.vendors); err != nil {
			return nil, usagef("cannot read the vendor data file %s; check the path.", t.vendors)
		}
	}
	return vendors.Open(t.vendors)
}
