package vendors

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// compiled holds what Load derives from the data once: compiled patterns
// and the indexes behind lookups. It is never modified after Load.
type compiled struct {
	makers     map[string]*Maker
	products   map[string]*Product // "maker/product"
	owner      map[*Product]*Maker
	rules      []compiledRule // every maker and product rule, in data order
	makerOUI   map[*Maker]*regexp.Regexp
	makerOUIs  map[*Maker][]string // "44:19:B6" prefixes
	probePaths []string
	search     []searchEntry
	vocab      []string // every search word, for one similarity pass per query word
}

// compiledRule is a Rule with its patterns compiled.
type compiledRule struct {
	maker   *Maker
	product *Product // nil for a maker-level rule
	src     *Rule

	fields   []compiledField
	needs    fieldMask // evidence kinds every field needs; a quick pre-check
	txtKey   string
	firmware *regexp.Regexp
	model    *regexp.Regexp
}

// compiledField is one non-empty match field of a rule.
type compiledField struct {
	name string
	re   *regexp.Regexp
}

// ruleField is one pattern field of a Rule, by its JSON name.
type ruleField struct{ name, re string }

// patterns lists the rule's match fields by JSON name (empty ones included).
func (r *Rule) patterns() []ruleField {
	_, txtRe, _ := strings.Cut(r.TXT, "=")
	return []ruleField{
		{"manufacturer", r.Manufacturer}, {"model_name", r.ModelName}, {"model_number", r.ModelNumber},
		{"friendly_name", r.FriendlyName}, {"hostname", r.Hostname}, {"device_type", r.DeviceType},
		{"server", r.Server}, {"realm", r.Realm}, {"title", r.Title}, {"mdns_service", r.MDNSService},
		{"txt", txtRe}, {"banner", r.Banner}, {"body", r.Body}, {"oui_name", r.OUIName},
		{"firmware", r.Firmware}, {"model", r.Model},
	}
}

// patternCache holds every data pattern compiled case-insensitively, so
// that validation and compilation compile each distinct pattern once.
type patternCache map[string]*regexp.Regexp

// get compiles re case-insensitively, or returns it from the cache.
func (pc patternCache) get(re string) (*regexp.Regexp, error) {
	if re == "" {
		return nil, nil
	}
	if c, ok := pc[re]; ok {
		return c, nil
	}
	c, err := regexp.Compile("(?i)" + re)
	if err != nil {
		return nil, err
	}
	pc[re] = c
	return c, nil
}

// compile builds the indexes and compiles every pattern.
func (c *Catalog) compile(ci func(string) (*regexp.Regexp, error)) error {
	cc := &compiled{
		makers:    map[string]*Maker{},
		products:  map[string]*Product{},
		owner:     map[*Product]*Maker{},
		makerOUI:  map[*Maker]*regexp.Regexp{},
		makerOUIs: map[*Maker][]string{},
	}
	paths := map[string]bool{}
	for i := range c.Makers {
		m := &c.Makers[i]
		cc.makers[m.ID] = m
		if re, err := ci(m.OUIName); err != nil {
			return fmt.Errorf("vendors: compile %s oui_name: %w", m.ID, err)
		} else if re != nil {
			cc.makerOUI[m] = re
		}
		cc.makerOUIs[m] = m.OUIs
		for j := range m.Match {
			if err := cc.addRule(ci, m, nil, &m.Match[j], paths); err != nil {
				return err
			}
		}
		for j := range m.Products {
			p := &m.Products[j]
			cc.products[m.ID+"/"+p.ID] = p
			cc.owner[p] = m
			for k := range p.Match {
				if err := cc.addRule(ci, m, p, &p.Match[k], paths); err != nil {
					return err
				}
			}
		}
	}
	for p := range paths {
		cc.probePaths = append(cc.probePaths, p)
	}
	sort.Strings(cc.probePaths)
	cc.search = buildSearch(c.Makers)
	cc.vocab = searchVocab(cc.search)
	c.compiled = cc
	return nil
}

func (cc *compiled) addRule(ci func(string) (*regexp.Regexp, error), m *Maker, p *Product, r *Rule, paths map[string]bool) error {
	cr := compiledRule{maker: m, product: p, src: r}
	cr.txtKey, _, _ = strings.Cut(r.TXT, "=")
	cr.txtKey = strings.ToLower(cr.txtKey)
	for _, f := range r.patterns() {
		re, err := ci(f.re)
		if err != nil {
			return fmt.Errorf("vendors: compile %s rule %s: %w", m.ID, f.name, err)
		}
		switch {
		case re == nil:
		case f.name == "firmware":
			cr.firmware = re
		case f.name == "model":
			cr.model = re
		default:
			cr.fields = append(cr.fields, compiledField{name: f.name, re: re})
			cr.needs |= fieldBit[f.name]
		}
	}
	if r.HTTPPath != "" {
		paths[r.HTTPPath] = true
	}
	for _, from := range []string{r.FirmwareFrom, r.ModelFrom} {
		if p, ok := strings.CutPrefix(from, "body:"); ok {
			paths[p] = true
		}
	}
	cc.rules = append(cc.rules, cr)
	return nil
}
