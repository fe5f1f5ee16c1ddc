package lab

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
)

//go:embed scenarios/*.json
var scenarioFS embed.FS

// scenario is one embedded household.
type scenario struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Generate, when set, builds the devices from another scenario's devices
	// (the large benchmark household).
	Generate *generator   `json:"generate,omitempty"`
	Devices  []DeviceSpec `json:"devices"`
}

// generator makes Count devices by cloning the devices of From, with
// addresses, MACs, names and serials drawn from a seeded random source, so
// the same seed always gives the same household.
type generator struct {
	From  string `json:"from"`
	Count int    `json:"count"`
	Seed  uint64 `json:"seed"`
}

// DeviceSpec is one simulated device as the scenario data describes it.
type DeviceSpec struct {
	// From names a device of another scenario ("home/router") this one
	// starts from; only the fields given here differ.
	From string `json:"from,omitempty"`

	ID       string `json:"id"`   // short name within the scenario: "router", "camera"
	Host     int    `json:"host"` // last octet of its address in the lab's /24
	Product  string `json:"product"`
	Maker    string `json:"maker"` // as the device names its maker (UPnP manufacturer)
	Model    string `json:"model"`
	ModelNum string `json:"model_number,omitempty"`
	Type     string `json:"type"`
	Firmware string `json:"firmware"`
	// Latest is the firmware an "update" installs when the vendor catalogue
	// does not know the product's latest version; "" means no update exists.
	Latest string `json:"latest_firmware,omitempty"`
	// LatestFormat, when set, is how this device writes a catalogue version
	// ("20220809-122808/v{version}-g99f7e0b" for a Shelly Gen1).
	LatestFormat string `json:"latest_format,omitempty"`
	MAC          string `json:"mac"`
	Name         string `json:"name"` // friendly name
	Hostname     string `json:"hostname,omitempty"`
	Serial       string `json:"serial,omitempty"`
	// Description, MakerURL and ModelURL fill the UPnP fields of roots that
	// do not set their own.
	Description string `json:"description,omitempty"`
	MakerURL    string `json:"maker_url,omitempty"`
	ModelURL    string `json:"model_url,omitempty"`
	// Problem is one plain sentence for the teacher's handout.
	Problem string `json:"problem"`
	// Findings are the finding ids a full scan with consent must report.
	Findings []string `json:"findings"`
	Note     string   `json:"note,omitempty"` // where a value came from, for reviewers

	Accounts []Account `json:"accounts,omitempty"`

	HTTP     *HTTPSpec           `json:"http,omitempty"`
	SSDP     *SSDPSpec           `json:"ssdp,omitempty"`
	MDNS     []MDNSService       `json:"mdns,omitempty"`
	Telnet   *TelnetSpec         `json:"telnet,omitempty"`
	RTSP     *RTSPSpec           `json:"rtsp,omitempty"`
	FTP      *FTPSpec            `json:"ftp,omitempty"`
	MQTT     *MQTTSpec           `json:"mqtt,omitempty"`
	SSH      *SSHSpec            `json:"ssh,omitempty"`
	IPP      *IPPSpec            `json:"ipp,omitempty"`
	SADP     *SADPSpec           `json:"sadp,omitempty"` // Hikvision discovery (sadp.go)
	Mappings []PortMapping       `json:"port_mappings,omitempty"`
	Misbeh   map[string][]string `json:"misbehave,omitempty"`
}

// Account is one login the device accepts. Services says where it works:
// http, rtsp, telnet, ftp, ssh, mqtt.
type Account struct {
	User     string   `json:"user"`
	Password string   `json:"password"`
	Services []string `json:"services"`
	// Default marks the maker's documented factory login (so the catalogue
	// test can check it against vendors/), as opposed to one the owner set.
	Default bool `json:"default,omitempty"`
	// LoginService is the vendors.DefaultLogin service this default is
	// documented under (http-basic, http-digest, http-form, telnet, ...).
	LoginService string `json:"login_service,omitempty"`
}

// HTTPSpec is the device's web server.
type HTTPSpec struct {
	Ports  []int  `json:"ports"`  // real ports; the first serves the admin page
	Server string `json:"server"` // Server header ("" sends none)
	Auth   string `json:"auth"`   // basic, digest, digest+basic, form, none, "" (no admin page)
	Realm  string `json:"realm"`  // for basic and digest
	Title  string `json:"title"`  // HTML <title> of the admin pages
	Form   *Form  `json:"form,omitempty"`
	// Profile adds a maker's own endpoints (hikvision, shelly-gen1, hue, cast,
	// sonos, hp, samsung, wd, xiongmai, tplink).
	Profile string `json:"profile,omitempty"`
}

// Form is an HTML login form.
type Form struct {
	Path      string `json:"path"`
	UserField string `json:"user_field"`
	PassField string `json:"pass_field"`
}

// SSDPSpec is what the device announces over SSDP and serves as UPnP
// descriptions.
type SSDPSpec struct {
	Server string `json:"server"`
	// Port serves the description XML (real port).
	Port  int        `json:"port"`
	Roots []UPnPRoot `json:"roots"`
	// DescPath, when set, replaces the first root's description path (for
	// scenarios that copy a device and move its description).
	DescPath string `json:"desc_path,omitempty"`
	// Headers are extra response headers real devices add (hue-bridgeid, X-RINCON-*).
	Headers [][2]string `json:"headers,omitempty"`
	MaxAge  int         `json:"max_age,omitempty"`
}

// UPnPRoot is one UPnP device (a root device, or an embedded one).
type UPnPRoot struct {
	UUID       string        `json:"uuid"` // without "uuid:"; may use placeholders
	DeviceType string        `json:"device_type"`
	Path       string        `json:"path,omitempty"` // description path (roots only)
	Name       string        `json:"friendly_name,omitempty"`
	Desc       string        `json:"model_description,omitempty"`
	MakerURL   string        `json:"manufacturer_url,omitempty"`
	ModelURL   string        `json:"model_url,omitempty"`
	Presenter  string        `json:"presentation_url,omitempty"`
	Extra      [][2]string   `json:"extra,omitempty"` // vendor elements, in order
	Services   []UPnPService `json:"services,omitempty"`
	Embedded   []UPnPRoot    `json:"embedded,omitempty"`
	// AppURL is the DIAL Application-URL header served with the description.
	AppURL string `json:"dial_app_url,omitempty"`
}

// UPnPService is one service of a UPnP device.
type UPnPService struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	SCPD    string `json:"scpd"`
	Control string `json:"control"`
	Event   string `json:"event"`
}

// MDNSService is one DNS-SD service instance.
type MDNSService struct {
	Type     string   `json:"type"`     // "_sonos._tcp"
	Instance string   `json:"instance"` // may use placeholders
	Port     int      `json:"port"`
	TXT      []string `json:"txt"`
}

// TelnetSpec is a telnet login.
type TelnetSpec struct {
	Port   int    `json:"port"`
	Banner string `json:"banner,omitempty"` // printed before the login prompt
	Login  string `json:"login_prompt"`     // "LocalHost login: "
	Prompt string `json:"shell_prompt"`     // "# "
}

// RTSPSpec is an RTSP server.
type RTSPSpec struct {
	Port   int    `json:"port"`
	Server string `json:"server"`
	Auth   string `json:"auth"` // digest, basic, none
	Realm  string `json:"realm"`
	Path   string `json:"path"` // stream path, e.g. /Streaming/Channels/101
}

// FTPSpec is an FTP server.
type FTPSpec struct {
	Port      int    `json:"port"`
	Banner    string `json:"banner"` // after "220 "
	Anonymous bool   `json:"anonymous"`
}

// MQTTSpec is an MQTT 3.1.1 broker.
type MQTTSpec struct {
	Port      int  `json:"port"`
	Anonymous bool `json:"anonymous"`
}

// SSHSpec is an SSH server with password logins.
type SSHSpec struct {
	Port    int    `json:"port"`
	Version string `json:"version"` // "SSH-2.0-dropbear_2019.78"
}

// IPPSpec is an IPP printer endpoint.
type IPPSpec struct {
	Port int    `json:"port"`
	Path string `json:"path"` // "/ipp/print"
}

// PortMapping is one UPnP IGD port mapping; Client names another device of
// the scenario (by ID) whose address becomes the internal client.
type PortMapping struct {
	External    int    `json:"external_port"`
	Protocol    string `json:"protocol"`
	Internal    int    `json:"internal_port"`
	Client      string `json:"client"`
	Description string `json:"description"`
}

// loadScenario reads, expands and validates an embedded scenario.
func loadScenario(name string) (*scenario, error) {
	return loadScenarioFS(scenarioFS, name)
}

// rawScenario is a scenario file before "from" references are resolved.
type rawScenario struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Generate    *generator        `json:"generate,omitempty"`
	Devices     []json.RawMessage `json:"devices"`
}

func loadScenarioFS(fsys fs.FS, name string) (*scenario, error) {
	b, err := fs.ReadFile(fsys, "scenarios/"+name+".json")
	if err != nil {
		return nil, fmt.Errorf("lab: scenario %q: %w", name, ErrNoScenario)
	}
	var raw rawScenario
	if err := strictDecode(b, &raw); err != nil {
		return nil, fmt.Errorf("lab: decode scenarios/%s.json: %w", name, err)
	}
	s := &scenario{Name: raw.Name, Description: raw.Description, Generate: raw.Generate}
	for i, rd := range raw.Devices {
		d, err := resolveDevice(fsys, name, rd)
		if err != nil {
			return nil, fmt.Errorf("lab: scenarios/%s.json: devices[%d]: %w", name, i, err)
		}
		s.Devices = append(s.Devices, d)
	}
	if s.Generate != nil {
		src, err := loadScenarioFS(fsys, s.Generate.From)
		if err != nil {
			return nil, err
		}
		s.Devices = generate(src.Devices, *s.Generate)
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("lab: scenarios/%s.json: %w", name, err)
	}
	return s, nil
}

// resolveDevice decodes one device. With "from": "scenario/id" it starts
// from that device and lays the entry's own fields over it: objects merge
// key by key, anything else (arrays included) replaces. A classroom reuses
// the home devices this way and says only what differs.
func resolveDevice(fsys fs.FS, self string, rd json.RawMessage) (DeviceSpec, error) {
	var head struct {
		From string `json:"from"`
	}
	_ = json.Unmarshal(rd, &head)
	var d DeviceSpec
	if head.From == "" {
		err := strictDecode(rd, &d)
		return d, err
	}
	scen, id, _ := strings.Cut(head.From, "/")
	if scen == self {
		return d, fmt.Errorf("from %q: a scenario cannot copy from itself", head.From)
	}
	base, err := loadScenarioFS(fsys, scen)
	if err != nil {
		return d, err
	}
	i := slices.IndexFunc(base.Devices, func(b DeviceSpec) bool { return b.ID == id })
	if i < 0 {
		return d, fmt.Errorf("from %q: no such device", head.From)
	}
	var merged, over map[string]any
	b, _ := json.Marshal(base.Devices[i])
	_ = json.Unmarshal(b, &merged)
	if err := json.Unmarshal(rd, &over); err != nil {
		return d, err
	}
	mergeJSON(merged, over)
	delete(merged, "from")
	b, _ = json.Marshal(merged)
	err = strictDecode(b, &d)
	return d, err
}

// mergeJSON lays over onto base: objects merge, everything else replaces.
func mergeJSON(base, over map[string]any) {
	for k, v := range over {
		bm, ok1 := base[k].(map[string]any)
		om, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			mergeJSON(bm, om)
			continue
		}
		base[k] = v
	}
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// findingIDs are the stable finding ids of scan/device.go. The lab may not
// import scan, so they are repeated here and kept honest by a test that reads
// scan/device.go.
var findingIDs = []string{
	"default-password", "firmware-outdated", "support-ended", "support-ending-soon",
	"support-unknown", "no-disclosure-contact", "telnet-open", "anonymous-access",
	"upnp-port-mapping", "known-exploited",
}

func (s *scenario) validate() error {
	ids := map[string]bool{}
	hosts := map[int]bool{}
	macs := map[string]bool{}
	for i, d := range s.Devices {
		at := fmt.Sprintf("devices[%d] (%s)", i, d.ID)
		switch {
		case d.ID == "" || ids[d.ID]:
			return fmt.Errorf("%s: id empty or repeated", at)
		case d.Host < 1 || d.Host > 253 || hosts[d.Host]:
			return fmt.Errorf("%s: host %d out of 1..253 or repeated", at, d.Host)
		case !strings.Contains(d.Product, "/"):
			return fmt.Errorf("%s: product %q: want maker-id/product-id", at, d.Product)
		case d.Problem == "":
			return fmt.Errorf("%s: problem: a plain sentence for the handout is required", at)
		}
		mac, err := net.ParseMAC(d.MAC)
		if err != nil || len(mac) != 6 || macs[mac.String()] {
			return fmt.Errorf("%s: mac %q invalid or repeated", at, d.MAC)
		}
		for _, f := range d.Findings {
			if !slices.Contains(findingIDs, f) {
				return fmt.Errorf("%s: finding %q is not a scan finding id", at, f)
			}
		}
		if err := d.validateMisbehaviour(); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		ids[d.ID], hosts[d.Host], macs[mac.String()] = true, true, true
	}
	for _, d := range s.Devices {
		for _, m := range d.Mappings {
			if !ids[m.Client] {
				return fmt.Errorf("%s: port mapping to unknown device %q", d.ID, m.Client)
			}
		}
	}
	return nil
}

// generate clones templates into g.Count devices at hosts 1..Count. Each
// clone keeps its template's OUI (the real maker's) and gets a fresh NIC part,
// serial and name; port mappings are dropped (their clients would not exist).
func generate(templates []DeviceSpec, g generator) []DeviceSpec {
	r := rand.New(rand.NewPCG(g.Seed, g.Seed^0x9e3779b97f4a7c15))
	out := make([]DeviceSpec, 0, g.Count)
	for i := range g.Count {
		t := templates[r.IntN(len(templates))]
		d := t
		d.ID = fmt.Sprintf("%s-%03d", t.ID, i+1)
		d.Host = i + 1
		mac, _ := net.ParseMAC(t.MAC)
		d.MAC = fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], i>>8&0xff|r.IntN(0x10)<<4, r.IntN(256), i&0xff)
		d.Serial = fmt.Sprintf("%s%06d", strings.ToUpper(t.ID[:min(3, len(t.ID))]), r.IntN(1000000))
		d.Name = fmt.Sprintf("%s %d", t.Name, i+1)
		d.Mappings = nil
		d.Findings = slices.DeleteFunc(slices.Clone(t.Findings), func(f string) bool { return f == "upnp-port-mapping" })
		out = append(out, d)
	}
	return out
}
