package vendors

import (
	"fmt"
	"slices"
	"strings"
)

// Scores for each kind of evidence a rule field matches. Strong evidence is
// what a device says about itself in a structured field (UPnP manufacturer
// and model, mDNS TXT, a JSON or XML page); a header or title is a little
// weaker; a service type or a name is weaker still. The MAC prefix (OUI)
// only ever breaks ties: many makers build on other companies' chips.
var fieldScore = map[string]int{
	"manufacturer": 40, "model_name": 40, "body": 40, "txt": 35, "model_number": 30,
	"server": 30, "realm": 30, "title": 25, "banner": 25, "mdns_service": 20,
	"device_type": 15, "friendly_name": 15, "hostname": 15, "oui_name": 5,
}

const (
	productBonus = 10 // a product rule is more specific than a maker rule
	ouiTieBreak  = 3  // less than any real field, so it only breaks ties
	maxQuoted    = 60 // longest evidence quoted in a reason
	maxCaptured  = 64 // longest firmware or model text kept
)

// ruleMatch is one rule that matched, with its score and reasons.
type ruleMatch struct {
	rule    *compiledRule
	score   int
	reasons []string
}

// Identify matches evidence against the rules and returns the best
// identification. Evidence that no rule claims (a generic "Linux UPnP/1.0"
// server, say) leaves the maker unknown; a UPnP device type or mDNS service
// can still give the device type.
func (c *Catalog) Identify(e Evidence) Identification {
	id := Identification{Type: "unknown"}
	if c == nil || c.compiled == nil {
		return id
	}
	ouiOrg, _ := c.OUIVendor(e.MAC)
	have := present(&e, ouiOrg)
	var matches []ruleMatch
	for i := range c.compiled.rules {
		if c.compiled.rules[i].needs&^have != 0 {
			continue // some field has no evidence at all to match
		}
		if m, ok := c.compiled.rules[i].match(&e, ouiOrg); ok {
			matches = append(matches, m)
		}
	}
	best, ok := c.pickMaker(matches, e.MAC, ouiOrg)
	if ok {
		id.Maker = best.maker
		id.Product = best.product
		id.Reasons = best.reasons
		id.Firmware, id.Model = extractAll(best.maker, best.product, matches, &e)
	}
	id.Type = pickType(id, &e)
	if id.Model == "" {
		id.Model = evidenceModel(&e)
	}
	if id.Model == "" && id.Product != nil {
		id.Model = id.Product.Name
	}
	return id
}

// choice is the winning maker and product, with the reasons for it.
type choice struct {
	maker   *Maker
	product *Product
	reasons []string
}

// pickMaker scores each maker by its best matching rule, adds the OUI
// tie-break, and picks the highest (data order breaks exact ties).
func (c *Catalog) pickMaker(matches []ruleMatch, mac, ouiOrg string) (choice, bool) {
	type tally struct {
		score        int
		best, bestPr *ruleMatch
	}
	tallies := map[*Maker]*tally{}
	var order []*Maker
	for i := range matches {
		m := &matches[i]
		t := tallies[m.rule.maker]
		if t == nil {
			t = &tally{}
			tallies[m.rule.maker] = t
			order = append(order, m.rule.maker)
		}
		if t.best == nil || m.score > t.best.score {
			t.best = m
		}
		if m.rule.product != nil && (t.bestPr == nil || m.score > t.bestPr.score) {
			t.bestPr = m
		}
		t.score = max(t.score, m.score)
	}
	var winner *Maker
	var ouiReason string
	bestScore := 0
	for _, mk := range order {
		s := tallies[mk].score
		r := c.ouiReason(mk, mac, ouiOrg)
		if r != "" {
			s += ouiTieBreak
		}
		if s > bestScore {
			winner, bestScore, ouiReason = mk, s, r
		}
	}
	if winner == nil {
		return choice{}, false
	}
	t := tallies[winner]
	ch := choice{maker: winner}
	if t.bestPr != nil {
		ch.product = t.bestPr.rule.product
		ch.reasons = append(ch.reasons, t.bestPr.reasons...)
	}
	// Add what the maker-level rules saw too: more reasons, same verdict.
	for _, m := range matches {
		if m.rule.maker != winner || m.rule.product != nil {
			continue
		}
		for _, r := range m.reasons {
			if !slices.Contains(ch.reasons, r) {
				ch.reasons = append(ch.reasons, r)
			}
		}
	}
	if ouiReason != "" {
		ch.reasons = append(ch.reasons, ouiReason)
	}
	return ch, true
}

// ouiReason says why the MAC supports this maker, or "" when it does not.
func (c *Catalog) ouiReason(m *Maker, mac, ouiOrg string) string {
	if ouiOrg == "" {
		return ""
	}
	re := c.compiled.makerOUI[m]
	if (re != nil && re.MatchString(ouiOrg)) || slices.Contains(c.compiled.makerOUIs[m], strings.ToUpper(macPrefix(mac))) {
		return fmt.Sprintf("network card registered to %q", quote(ouiOrg))
	}
	return ""
}

// fieldMask has one bit per rule field kind.
type fieldMask uint32

var fieldBit = func() map[string]fieldMask {
	m := map[string]fieldMask{}
	for i, name := range []string{"manufacturer", "model_name", "model_number", "friendly_name", "hostname", "device_type",
		"server", "realm", "title", "mdns_service", "txt", "banner", "body", "oui_name"} {
		m[name] = 1 << i
	}
	return m
}()

// present marks the kinds of evidence that are not empty. TXT and bodies
// count as present when there are any; the rule's own key is checked later.
func present(e *Evidence, ouiOrg string) fieldMask {
	var m fieldMask
	set := func(name string, ok bool) {
		if ok {
			m |= fieldBit[name]
		}
	}
	set("manufacturer", e.Manufacturer != "")
	set("model_name", e.ModelName != "")
	set("model_number", e.ModelNumber != "")
	set("friendly_name", e.FriendlyName != "")
	set("hostname", e.Hostname != "")
	set("device_type", len(e.DeviceTypes) > 0)
	set("server", len(e.Servers) > 0)
	set("realm", len(e.Realms) > 0)
	set("title", len(e.Titles) > 0)
	set("mdns_service", len(e.MDNSServices) > 0)
	set("txt", len(e.TXT) > 0)
	set("banner", len(e.Banners) > 0)
	set("body", len(e.Bodies) > 0)
	set("oui_name", ouiOrg != "")
	return m
}

// match reports whether every field of the rule matches the evidence.
func (cr *compiledRule) match(e *Evidence, ouiOrg string) (ruleMatch, bool) {
	m := ruleMatch{rule: cr}
	for _, f := range cr.fields {
		got, ok := cr.field(f, e, ouiOrg)
		if !ok {
			return ruleMatch{}, false
		}
		m.score += fieldScore[f.name]
		m.reasons = append(m.reasons, reason(f.name, cr, got, e))
	}
	if cr.product != nil {
		m.score += productBonus
	}
	return m, true
}

// field finds the first evidence value the field's pattern matches.
func (cr *compiledRule) field(f compiledField, e *Evidence, ouiOrg string) (string, bool) {
	for _, v := range cr.values(f.name, e, ouiOrg) {
		if v == "" {
			continue
		}
		if f.name == "body" {
			if loc := f.re.FindStringIndex(v); loc != nil {
				return v[loc[0]:loc[1]], true
			}
			continue
		}
		if f.re.MatchString(v) {
			return v, true
		}
	}
	return "", false
}

// values lists the evidence a field is matched against.
func (cr *compiledRule) values(name string, e *Evidence, ouiOrg string) []string {
	switch name {
	case "txt":
		return []string{e.TXT[cr.txtKey]}
	case "body":
		return []string{e.Bodies[cr.src.HTTPPath]}
	case "oui_name":
		return []string{ouiOrg}
	}
	return evidenceValues(name, e)
}

// evidenceValues lists the evidence of a field kind that needs no TXT key
// or HTTP path: what rules match against and what captures read from.
func evidenceValues(name string, e *Evidence) []string {
	switch name {
	case "manufacturer":
		return []string{e.Manufacturer}
	case "model_name":
		return []string{e.ModelName}
	case "model_number":
		return []string{e.ModelNumber}
	case "friendly_name":
		return []string{e.FriendlyName}
	case "hostname":
		return []string{e.Hostname}
	case "device_type":
		return e.DeviceTypes
	case "server":
		return e.Servers
	case "realm":
		return e.Realms
	case "title":
		return e.Titles
	case "mdns_service":
		return e.MDNSServices
	case "banner":
		return e.Banners
	}
	return nil
}

// modelFrom names who stated the model: UPnP unless the evidence says.
func modelFrom(e *Evidence) string {
	if e.ModelFrom == "" {
		return "UPnP"
	}
	return e.ModelFrom
}

// reason says in plain words which evidence a field matched, naming the
// source that said it.
func reason(name string, cr *compiledRule, got string, e *Evidence) string {
	q := quote(got)
	switch name {
	case "manufacturer":
		return fmt.Sprintf("UPnP manufacturer %q", q)
	case "model_name":
		return fmt.Sprintf("%s model name %q", modelFrom(e), q)
	case "model_number":
		return fmt.Sprintf("%s model number %q", modelFrom(e), q)
	case "friendly_name":
		return fmt.Sprintf("device name %q", q)
	case "hostname":
		return fmt.Sprintf("host name %q", q)
	case "device_type":
		return fmt.Sprintf("UPnP device type %q", q)
	case "server":
		return fmt.Sprintf("server header %q", q)
	case "realm":
		return fmt.Sprintf("login realm %q", q)
	case "title":
		return fmt.Sprintf("web page title %q", q)
	case "mdns_service":
		return fmt.Sprintf("mDNS service %q", q)
	case "txt":
		return fmt.Sprintf("mDNS record %s=%q", cr.txtKey, q)
	case "banner":
		return fmt.Sprintf("service banner %q", q)
	case "body":
		return fmt.Sprintf("web page %s contains %q", cr.src.HTTPPath, q)
	case "oui_name":
		return fmt.Sprintf("network card registered to %q", q)
	}
	return q
}

// quote caps evidence for a reason; it is already free of control bytes.
func quote(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > maxQuoted {
		return string(r[:maxQuoted]) + "…"
	}
	return s
}

// extractAll reads firmware and model from the matched rules of the chosen
// maker and product, best-scoring rule first.
func extractAll(mk *Maker, p *Product, matches []ruleMatch, e *Evidence) (firmware, model string) {
	mine := make([]ruleMatch, 0, len(matches))
	for _, m := range matches {
		if m.rule.maker == mk && (m.rule.product == nil || m.rule.product == p) {
			mine = append(mine, m)
		}
	}
	slices.SortStableFunc(mine, func(a, b ruleMatch) int { return b.score - a.score })
	for _, m := range mine {
		if firmware == "" && m.rule.firmware != nil {
			firmware = capture(m.rule.firmware, m.rule.src.FirmwareFrom, m.rule.src.HTTPPath, e)
		}
		if model == "" && m.rule.model != nil {
			model = capture(m.rule.model, m.rule.src.ModelFrom, m.rule.src.HTTPPath, e)
		}
	}
	return firmware, model
}

// capture applies an extraction pattern to the field it names and returns
// the first group of the first match.
func capture(re interface{ FindStringSubmatch(string) []string }, from, httpPath string, e *Evidence) string {
	var vals []string
	if path, ok := strings.CutPrefix(from, "body:"); ok {
		vals = []string{e.Bodies[path]}
	} else if key, ok := strings.CutPrefix(from, "txt:"); ok {
		vals = []string{e.TXT[strings.ToLower(key)]}
	} else if from == "body" {
		vals = []string{e.Bodies[httpPath]}
	} else {
		vals = evidenceValues(from, e) // validation allows only the fields firmwareFroms lists
	}
	for _, v := range vals {
		if sm := re.FindStringSubmatch(v); len(sm) > 1 {
			if s := strings.TrimSpace(sm[1]); s != "" {
				return capText(s)
			}
		}
	}
	return ""
}

func capText(s string) string {
	if r := []rune(s); len(r) > maxCaptured {
		return string(r[:maxCaptured])
	}
	return s
}

// evidenceModel is the model the device states, when no rule captured one.
func evidenceModel(e *Evidence) string {
	if e.ModelName != "" {
		return capText(e.ModelName)
	}
	for _, k := range []string{"md", "ty", "model", "product"} {
		if v := strings.Trim(e.TXT[k], "() "); v != "" {
			return capText(v)
		}
	}
	return ""
}

// pickType is the product's type, else the maker's usual type, else what
// the UPnP device types or mDNS services say, else "unknown".
func pickType(id Identification, e *Evidence) string {
	switch {
	case id.Product != nil:
		return id.Product.Type
	case id.Maker != nil && id.Maker.Type != "":
		return id.Maker.Type
	}
	if t := evidenceType(e); t != "" {
		return t
	}
	return "unknown"
}

// deviceTypeHints map UPnP device and service type words to a device type,
// most specific first: a TV announces MediaRenderer and a remote-control
// service; a Sonos announces ZonePlayer and MediaRenderer.
var deviceTypeHints = []struct{ word, typ string }{
	{":device:ZonePlayer", "speaker"},
	{":device:RemoteControlReceiver", "tv"},
	{":device:InternetGatewayDevice", "router"},
	{":device:WANDevice", "router"},
	{":device:WANConnectionDevice", "router"},
	{":device:Printer", "printer"},
	{":service:PrintBasic", "printer"},
	{":device:DigitalSecurityCamera", "camera"},
	{":device:IPCamera", "camera"},
	{":device:HVAC_System", "thermostat"},
	{":device:BinaryLight", "light"},
	{":device:DimmableLight", "light"},
	{":device:MediaRenderer", "tv"},
	{":device:MediaServer", "nas"},
	{":device:dial", "streamer"},
}

// mdnsTypeHints map DNS-SD service types to a device type.
var mdnsTypeHints = []struct{ service, typ string }{
	{"_ipp._tcp", "printer"}, {"_ipps._tcp", "printer"}, {"_printer._tcp", "printer"},
	{"_pdl-datastream._tcp", "printer"}, {"_sonos._tcp", "speaker"}, {"_hue._tcp", "hub"},
	{"_axis-video._tcp", "camera"}, {"_googlecast._tcp", "streamer"}, {"_raop._tcp", "speaker"},
	{"_airplay._tcp", "tv"}, {"_spotify-connect._tcp", "speaker"}, {"_amzn-firetv._tcp", "streamer"},
	{"_androidtvremote2._tcp", "tv"},
}

func evidenceType(e *Evidence) string {
	for _, h := range deviceTypeHints {
		for _, dt := range e.DeviceTypes {
			if strings.Contains(strings.ToLower(dt), strings.ToLower(h.word)) {
				return h.typ
			}
		}
	}
	for _, h := range mdnsTypeHints {
		for _, s := range e.MDNSServices {
			if strings.EqualFold(strings.TrimSuffix(strings.TrimSuffix(s, "."), ".local"), h.service) {
				return h.typ
			}
		}
	}
	return ""
}

// ProbePaths lists the HTTP paths discovery should fetch (capped) from any
// device with an open web port, because some rule reads them.
func (c *Catalog) ProbePaths() []string {
	if c == nil || c.compiled == nil {
		return nil
	}
	return slices.Clone(c.compiled.probePaths)
}
