package scan

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/porchlight/porchlight/scan/banner"
	"github.com/porchlight/porchlight/scan/mdns"
	"github.com/porchlight/porchlight/scan/rtt"
	"github.com/porchlight/porchlight/scan/ssdp"
	"github.com/porchlight/porchlight/scan/sweep"
	"github.com/porchlight/porchlight/scan/unicast"
	"github.com/porchlight/porchlight/vendors"
)

// Timing of the per-host probes.
const (
	hostBudget      = 15 * time.Second // absolute limit for everything on one host
	connectTimeout  = 400 * time.Millisecond
	bannerRead      = 2 * time.Second
	ssdpWait        = 600 * time.Millisecond
	mdnsWait        = 400 * time.Millisecond
	descTimeout     = 3 * time.Second
	bannersPerHost  = 4 // simultaneous port probes on one device
	locationsPerDev = 3 // descriptions fetched per device
)

// prober runs the unicast probes for hosts; one is shared by a scan.
type prober struct {
	ports   []int
	paths   []string
	unicast bool // also send unicast SSDP and mDNS to every host (loopback, Recheck)
	macs    *neighCache
	// rtt is how long answers take during this scan: every timeout below
	// is at least its base and grows when answers come late (a slow
	// network, or this computer too busy to hear them in time).
	rtt *rtt.Estimator
	// discoverOnly skips banners and description fetches (Options.DiscoverOnly).
	discoverOnly bool
}

// probe runs every unicast probe on ip and emits evidence as it arrives,
// ending with a hostDone marker. emit must not block for long.
func (p *prober) probe(ctx context.Context, ip netip.Addr, emit func(evidence)) {
	ctx, cancel := context.WithTimeout(ctx, hostBudget)
	defer cancel()
	defer emit(evidence{ip: ip, hostDone: true})
	var wg sync.WaitGroup
	if p.unicast {
		wg.Go(func() { p.ssdp(ctx, ip, emit) })
		wg.Go(func() { p.mdns(ctx, ip, emit) })
		wg.Go(func() { p.sadp(ctx, ip, emit) })
	}
	var once sync.Once
	seen := func() { // the host is there: say so at once, with its MAC if known
		once.Do(func() { emit(evidence{ip: ip, mac: p.macs.lookup(ctx, ip), source: "sweep"}) })
	}
	res := sweep.Host(ctx, ip, p.ports, sweep.Config{Timeout: connectTimeout, RTT: p.rtt, Present: func() bool { return p.macs.lookup(ctx, ip) != "" }}, func(port int) {
		seen()
		emit(evidence{ip: ip, source: "sweep", dev: Device{Services: []Service{{Port: port}}}})
	})
	if res.Alive {
		seen()
	}
	if p.discoverOnly {
		res.Open = nil
	}
	sem := make(chan struct{}, bannersPerHost)
	for _, port := range res.Open {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			r := banner.Probe(ctx, ip, port, banner.Config{ReadTimeout: p.rtt.Timeout(bannerRead), Paths: p.paths})
			emit(bannerEvidence(ip, r))
		})
	}
	wg.Wait()
}

// ssdp asks ip for its UPnP devices and fetches their descriptions.
func (p *prober) ssdp(ctx context.Context, ip netip.Addr, emit func(evidence)) {
	resps, _ := ssdp.SearchUnicast(ctx, ip, ssdp.Port, p.wait(ssdpWait))
	if p.discoverOnly {
		for i := range resps {
			resps[i].Location = ""
		}
	}
	for _, e := range describe(ctx, resps, p.rtt.Timeout(descTimeout)) {
		emit(e)
	}
}

// wait is a unicast query's window: base, or longer while answers are slow.
func (p *prober) wait(base time.Duration) unicast.Wait {
	return func() time.Duration { return p.rtt.Timeout(base) }
}

// mdns browses ip's DNS-SD services directly.
func (p *prober) mdns(ctx context.Context, ip netip.Addr, emit func(evidence)) {
	h, _ := mdns.QueryUnicast(ctx, ip, mdns.Port, p.wait(mdnsWait))
	if len(h.Services) > 0 {
		emit(mdnsEvidence(h))
	}
}

// bannerEvidence turns one port's answer into evidence.
func bannerEvidence(ip netip.Addr, r banner.Result) evidence {
	svc := Service{Port: r.Port, Protocol: r.Protocol, Banner: r.Banner, Auth: r.Auth, Realm: r.Realm, Title: r.Title}
	e := evidence{ip: ip, source: r.Protocol, dev: Device{Services: []Service{svc}}}
	if r.Protocol == "" {
		e.source = ""
	}
	e.facts = vendors.Evidence{
		Servers: nonEmpty(r.Server),
		Realms:  nonEmpty(r.Realm),
		Titles:  nonEmpty(r.Title),
		Bodies:  r.Bodies,
	}
	if r.Server == "" && r.Banner != "" {
		e.facts.Banners = nonEmpty(r.Banner)
	}
	if r.MakeModel != "" {
		e.facts.ModelName, e.facts.ModelFrom = r.MakeModel, "IPP"
		e.facts.Banners = append(e.facts.Banners, r.MakeModel)
	}
	e.facts.FriendlyName = r.Name
	e.firmware = r.Firmware
	return e
}

// ssdpEvidence is describe with the base description timeout.
func ssdpEvidence(ctx context.Context, resps []ssdp.Response) []evidence {
	return describe(ctx, resps, descTimeout)
}

// describe turns the answers of one host into evidence, fetching each
// distinct description (from the answering host only) within timeout. A
// LOCATION that points elsewhere becomes a note, not a fetch.
func describe(ctx context.Context, resps []ssdp.Response, timeout time.Duration) []evidence {
	var out []evidence
	fetched := map[string]bool{}
	for _, r := range resps {
		e := evidence{ip: r.From, source: "ssdp", facts: vendors.Evidence{Servers: nonEmpty(r.Server)}}
		if id := r.Extra["hue-bridgeid"]; id != "" {
			e.facts.TXT = map[string]string{"bridgeid": id}
		}
		if r.Location != "" && !fetched[r.Location] && len(fetched) < locationsPerDev {
			fetched[r.Location] = true
			desc, err := ssdp.Fetch(ctx, r.Location, r.From, timeout)
			switch {
			case err == nil:
				addDescription(&e, r, desc)
			case isForeign(err):
				e.note = "It announced a UPnP description on another address (" + r.Location + "), which Porchlight did not fetch."
			}
		}
		out = append(out, e)
	}
	return out
}

func isForeign(err error) bool { return errors.Is(err, ssdp.ErrForeignLocation) }

// addDescription copies a UPnP description into evidence.
func addDescription(e *evidence, r ssdp.Response, desc ssdp.Description) {
	root := desc.Root()
	e.dev.Location = r.Location
	e.dev.UDN = strings.TrimPrefix(root.UDN, "uuid:")
	e.dev.Serial = root.SerialNumber
	e.dev.Name = root.FriendlyName
	e.facts.Manufacturer = root.Manufacturer
	e.facts.ModelName = root.ModelName
	e.facts.ModelNumber = root.ModelNumber
	e.facts.FriendlyName = root.FriendlyName
	for _, d := range desc.Devices {
		e.facts.DeviceTypes = append(e.facts.DeviceTypes, d.DeviceType)
		fill(&e.facts.Manufacturer, d.Manufacturer)
		fill(&e.facts.ModelName, d.ModelName)
		fill(&e.firmware, d.SoftwareVersion)
	}
	if port := locationPort(r.Location); port > 0 {
		e.dev.Services = []Service{{Port: port, Protocol: "upnp", Banner: r.Server}}
	}
}

func locationPort(loc string) int {
	_, rest, ok := strings.Cut(loc, "://")
	if !ok {
		return 0
	}
	hostport, _, _ := strings.Cut(rest, "/")
	ap, err := netip.ParseAddrPort(hostport)
	if err != nil {
		if !strings.Contains(hostport, ":") {
			return 80
		}
		_, p, _ := strings.Cut(hostport[strings.LastIndex(hostport, ":"):], ":")
		n, _ := strconv.Atoi(p)
		return n
	}
	return int(ap.Port())
}

// mdnsEvidence turns one responder's DNS-SD answers into evidence.
func mdnsEvidence(h mdns.Host) evidence {
	e := evidence{ip: h.Addr, source: "mdns", facts: vendors.Evidence{MDNSServices: h.Services}}
	e.dev.Hostname = h.Hostname
	e.facts.Hostname = h.Hostname
	txt := map[string]string{}
	for _, in := range h.Instances {
		for k, v := range in.TXT {
			if _, ok := txt[k]; !ok {
				txt[k] = v
			}
		}
		fill(&e.dev.MDNSName, in.Name)
	}
	e.facts.TXT = txt
	e.facts.MAC = matterMAC(h) // identification only, never the device's key
	e.facts.FriendlyName = txt["fn"]
	fill(&e.facts.FriendlyName, e.dev.MDNSName)
	e.dev.Name = e.facts.FriendlyName
	for _, k := range []string{"fw", "fwversion", "firmware", "fw_version"} {
		fill(&e.firmware, txt[k])
	}
	return e
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
