// Package scan finds the devices on a home network and checks them. Run
// streams typed events on a channel that scan owns and closes.
package scan

import "time"

// Device is one device on the network, as the JSON report shows it
// (schema porchlight.scan/v1). Events carry copies of it.
type Device struct {
	// Key identifies the device within one scan: its MAC when known, else its IP.
	Key       string `json:"key"`
	IP        string `json:"ip"`
	MAC       string `json:"mac"`
	MACVendor string `json:"mac_vendor,omitempty"`
	RandomMAC bool   `json:"random_mac,omitempty"` // locally administered (randomised) MAC
	Hostname  string `json:"hostname"`
	Vendor    string `json:"vendor"`
	Model     string `json:"model"`
	Type      string `json:"type"`
	Firmware  string `json:"firmware"`
	Name      string `json:"name"` // the friendly name the device gives itself

	// MakerID and ProductID point into the vendor catalogue ("" when unknown).
	MakerID   string `json:"maker_id,omitempty"`
	ProductID string `json:"product_id,omitempty"`
	// Reasons say why we think it is what we say (for the detail screen).
	Reasons []string `json:"identified_by,omitempty"`
	// Stable identifiers, used by history to recognise a device across scans.
	UDN      string `json:"udn,omitempty"`
	Serial   string `json:"serial,omitempty"`
	MDNSName string `json:"mdns_name,omitempty"`
	// Location is the UPnP description URL the device announced (for the IGD check).
	Location string `json:"upnp_location,omitempty"`

	Sources  []string  `json:"sources"`
	Services []Service `json:"services"`

	Support    Support    `json:"support"`
	Disclosure Disclosure `json:"disclosure"`
	PSTI       PSTI       `json:"psti"`
	Findings   []Finding  `json:"findings"`
	// Checked is true once the checks have run for this device.
	Checked bool `json:"checked"`
}

// Service is one open port and what answered on it.
type Service struct {
	Port     int    `json:"port"`
	Protocol string `json:"protocol"` // http, https, telnet, ssh, ftp, rtsp, mqtt, ipp, upnp, ...
	Banner   string `json:"banner,omitempty"`
	// Auth says how the service asks for credentials: basic, digest, form, prompt, none, or "".
	Auth  string `json:"auth,omitempty"`
	Realm string `json:"realm,omitempty"`
	Title string `json:"title,omitempty"`
}

// Support is the security-update status of the device's product on the scan date.
type Support struct {
	Status string `json:"status"` // supported, ending-soon, ended, unknown
	Until  string `json:"until,omitempty"`
	Policy string `json:"policy,omitempty"`
	Source string `json:"source,omitempty"`
}

// Disclosure is where the maker takes vulnerability reports.
type Disclosure struct {
	URL   string `json:"url"`
	Email string `json:"email"`
}

// Verdicts for each PSTI line.
const (
	Pass    = "pass"
	Fail    = "fail"
	Unknown = "unknown"
)

// PSTI is the three-line verdict against the UK PSTI regulations, Schedule 1
// (paragraph 1 passwords, 2 reporting, 3 update periods) and ETSI EN 303 645
// provisions 5.1, 5.2 and 5.3.
type PSTI struct {
	Passwords string            `json:"passwords"`
	Reporting string            `json:"reporting"`
	Updates   string            `json:"updates"`
	Reasons   map[string]string `json:"reasons"`
}

// Severities, worst first.
const (
	Critical = "critical"
	High     = "high"
	Medium   = "medium"
	Low      = "low"
	Info     = "info"
)

// Finding ids are stable across versions; reports and history key on them.
const (
	FindDefaultPassword   = "default-password"
	FindFirmwareOutdated  = "firmware-outdated"
	FindSupportEnded      = "support-ended"
	FindSupportEndingSoon = "support-ending-soon"
	FindSupportUnknown    = "support-unknown"
	FindNoDisclosure      = "no-disclosure-contact"
	FindTelnetOpen        = "telnet-open"
	FindAnonymousAccess   = "anonymous-access"
	FindUPnPPortMapping   = "upnp-port-mapping"
	FindKnownExploited    = "known-exploited"
)

// Finding is one problem found on a device. Evidence never contains a password.
type Finding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Service  string `json:"service,omitempty"` // "http:80"
	Evidence string `json:"evidence"`
	// Detail carries machine-readable extras (CVE, latest version, mapping), for advice.
	Detail map[string]string `json:"detail,omitempty"`
}

// Event is what Run streams: DeviceFound, DeviceUpdated, FindingFound, Progress, Note or Done.
type Event interface{ isEvent() }

// DeviceFound reports a device seen for the first time.
type DeviceFound struct{ Device Device }

// DeviceUpdated reports new evidence, identification or check results for a device.
type DeviceUpdated struct{ Device Device }

// FindingFound reports one finding as soon as a check produces it.
type FindingFound struct {
	Key     string // Device.Key
	Finding Finding
}

// Progress reports counts per discovery source and how many hosts are done.
type Progress struct {
	Sources    map[string]int // source name -> devices seen by it
	HostsDone  int
	HostsTotal int
	Phase      string // "discovering", "checking"
}

// Note is something worth telling the user that is not a finding
// (a device that misbehaved, a source that could not start).
type Note struct {
	Key  string // Device.Key, or "" for the whole scan
	Text string
}

// Done is the last event; the channel closes after it.
type Done struct {
	Started, Finished time.Time
	Targets           []string
	Err               error // nil, or why the scan stopped early (context.Canceled for Ctrl-C)
}

func (DeviceFound) isEvent()   {}
func (DeviceUpdated) isEvent() {}
func (FindingFound) isEvent()  {}
func (Progress) isEvent()      {}
func (Note) isEvent()          {}
func (Done) isEvent()          {}
