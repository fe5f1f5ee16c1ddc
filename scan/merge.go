package scan

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/porchlight/porchlight/vendors"
)

// evidence is one piece of what a source learned about one address. Sources
// send it to the merge goroutine, which alone owns device state.
type evidence struct {
	ip     netip.Addr
	mac    string
	source string           // counted in Progress; "" for bookkeeping-only evidence
	dev    Device           // fields to fold in: Hostname, Name, UDN, Serial, MDNSName, Location, Services
	facts  vendors.Evidence // what identification reads
	// firmware is a version a source read directly (IPP, UPnP softwareVersion);
	// identification rules take precedence.
	firmware string
	note     string // something the user should know about this device
	hostDone bool   // the unicast probes of ip have finished
	// mcastDone says the multicast sources have finished.
	mcastDone bool
}

// devState is the merge goroutine's record of one device.
type devState struct {
	dev      Device
	facts    vendors.Evidence
	ips      []netip.Addr
	firmware string
	sources  map[string]bool
	queued   bool // sent to (or waiting for) a check worker

	// Check runs: evidence that arrives after a device went to its checks
	// and changes what they depend on earns one more run (maxCheckRuns).
	waiting  bool           // in the scanner's queue
	checking bool           // with a check worker now
	runs     int            // check runs started
	checked  string         // checkBasis of the device its last run was given
	sent     map[string]int // credentials sent per service, over all runs
}

// maxCheckRuns bounds the check runs of one device: the first, and one more
// when later evidence changed what the checks depend on.
const maxCheckRuns = 2

// checkBasis is what the checks depend on: who made the device, its model,
// firmware, address and services. A change to any of it after a check ran
// means the verdicts may be wrong.
func checkBasis(d Device) string {
	var b strings.Builder
	b.WriteString(d.IP + "|" + d.MakerID + "|" + d.ProductID + "|" + d.Type + "|" + d.Firmware + "|" + d.Location)
	for _, svc := range d.Services {
		b.WriteString("|" + strconv.Itoa(svc.Port) + "/" + svc.Protocol)
	}
	return b.String()
}

// apply folds e into s and reports whether anything changed.
func (s *devState) apply(e evidence) bool {
	before := s.snapshot()
	if e.ip.IsValid() && !slices.Contains(s.ips, e.ip) {
		s.ips = append(s.ips, e.ip)
		if s.dev.IP == "" || (e.ip.Is4() && !isIPv4(s.dev.IP)) {
			s.dev.IP = e.ip.String()
		}
	}
	if e.mac != "" && s.dev.MAC == "" {
		s.dev.MAC = e.mac
		s.facts.MAC = e.mac
	}
	if e.source != "" && !s.sources[e.source] {
		s.sources[e.source] = true
		s.dev.Sources = append(s.dev.Sources, e.source)
		slices.Sort(s.dev.Sources)
	}
	fill(&s.dev.Hostname, e.dev.Hostname)
	fill(&s.dev.Name, e.dev.Name)
	fill(&s.dev.UDN, e.dev.UDN)
	fill(&s.dev.Serial, e.dev.Serial)
	fill(&s.dev.MDNSName, e.dev.MDNSName)
	fill(&s.dev.Location, e.dev.Location)
	fill(&s.firmware, e.firmware)
	for _, svc := range e.dev.Services {
		s.dev.Services = mergeService(s.dev.Services, svc)
	}
	mergeFacts(&s.facts, e.facts)
	return before != s.snapshot()
}

// snapshot is a cheap fingerprint of what apply can change.
func (s *devState) snapshot() string {
	var b strings.Builder
	b.WriteString(s.dev.IP + "|" + s.dev.MAC + "|" + strings.Join(s.dev.Sources, ",") + "|" + s.dev.Hostname + "|" +
		s.dev.Name + "|" + s.dev.UDN + "|" + s.dev.Serial + "|" + s.dev.MDNSName + "|" + s.dev.Location + "|" + s.firmware)
	for _, svc := range s.dev.Services {
		b.WriteString("|" + svc.Protocol + svc.Banner + svc.Auth + svc.Realm + svc.Title)
		b.WriteByte(byte(svc.Port))
		b.WriteByte(byte(svc.Port >> 8))
	}
	f := s.facts
	b.WriteString("|" + f.Manufacturer + f.ModelName + f.ModelNumber + f.FriendlyName + f.Hostname)
	for _, l := range [][]string{f.DeviceTypes, f.Servers, f.Realms, f.Titles, f.MDNSServices, f.Banners} {
		b.WriteString("|" + strings.Join(l, ","))
	}
	for _, m := range []map[string]string{f.TXT, f.Bodies} {
		b.WriteString("|")
		for k := range m {
			b.WriteString(k + ",")
		}
	}
	return b.String()
}

func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// fill sets *dst to v when *dst is empty: the first source to say wins.
func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// mergeService adds svc to list, or fills the empty fields of the entry with its port.
func mergeService(list []Service, svc Service) []Service {
	for i := range list {
		if list[i].Port == svc.Port {
			fill(&list[i].Protocol, svc.Protocol)
			fill(&list[i].Banner, svc.Banner)
			fill(&list[i].Auth, svc.Auth)
			fill(&list[i].Realm, svc.Realm)
			fill(&list[i].Title, svc.Title)
			return list
		}
	}
	list = append(list, svc)
	slices.SortFunc(list, func(a, b Service) int { return a.Port - b.Port })
	return list
}

// mergeFacts folds src into dst: first value wins for single fields, lists
// are unioned (capped), maps keep the first value per key.
func mergeFacts(dst *vendors.Evidence, src vendors.Evidence) {
	fill(&dst.MAC, src.MAC)
	if dst.ModelName == "" && dst.ModelNumber == "" {
		dst.ModelFrom = src.ModelFrom // the model's words and their source go together
	}
	fill(&dst.Manufacturer, src.Manufacturer)
	fill(&dst.ModelName, src.ModelName)
	fill(&dst.ModelNumber, src.ModelNumber)
	fill(&dst.FriendlyName, src.FriendlyName)
	fill(&dst.Hostname, src.Hostname)
	dst.DeviceTypes = union(dst.DeviceTypes, src.DeviceTypes)
	dst.Servers = union(dst.Servers, src.Servers)
	dst.Realms = union(dst.Realms, src.Realms)
	dst.Titles = union(dst.Titles, src.Titles)
	dst.MDNSServices = union(dst.MDNSServices, src.MDNSServices)
	dst.Banners = union(dst.Banners, src.Banners)
	dst.TXT = mergeMap(dst.TXT, src.TXT)
	dst.Bodies = mergeMap(dst.Bodies, src.Bodies)
}

// maxFacts caps each evidence list, so a chatty device cannot grow state without bound.
const maxFacts = 32

func union(dst, src []string) []string {
	for _, s := range src {
		if s != "" && !slices.Contains(dst, s) && len(dst) < maxFacts {
			dst = append(dst, s)
		}
	}
	return dst
}

func mergeMap(dst, src map[string]string) map[string]string {
	for k, v := range src {
		if dst == nil {
			dst = map[string]string{}
		}
		if _, ok := dst[k]; !ok && len(dst) < 4*maxFacts {
			dst[k] = v
		}
	}
	return dst
}

// copyDevice returns a deep copy, so events never share memory with scan state.
func copyDevice(d Device) Device {
	d.Reasons = slices.Clone(d.Reasons)
	d.Sources = slices.Clone(d.Sources)
	d.Services = slices.Clone(d.Services)
	d.Findings = slices.Clone(d.Findings)
	for i := range d.Findings {
		if d.Findings[i].Detail != nil {
			m := make(map[string]string, len(d.Findings[i].Detail))
			for k, v := range d.Findings[i].Detail {
				m[k] = v
			}
			d.Findings[i].Detail = m
		}
	}
	if d.PSTI.Reasons != nil {
		m := make(map[string]string, len(d.PSTI.Reasons))
		for k, v := range d.PSTI.Reasons {
			m[k] = v
		}
		d.PSTI.Reasons = m
	}
	return d
}
