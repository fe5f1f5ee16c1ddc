// Package vendors holds Porchlight's embedded knowledge of smart-device makers:
// how to recognise their products, how long they promise security updates,
// where to report a vulnerability, which factory logins they shipped, and how
// a householder changes a password or installs an update.
//
// Every fact carries its public source and the date it was checked. The
// catalogue is read-only once loaded; it imports nothing else from Porchlight.
package vendors

// Catalog is the loaded, validated and compiled vendor knowledge.
// It is safe for concurrent use and never modified after Load returns.
type Catalog struct {
	// DataDate is the date the data set as a whole was last reviewed (YYYY-MM-DD).
	DataDate string
	Makers   []Maker
	// Generic holds guides and the short login list used when the maker is unknown.
	Generic Generic

	compiled *compiled // indexes and compiled patterns, built once by Load
	files    []string  // data file of each maker, for positioned errors
}

// Source is where a fact comes from and when somebody last checked it there.
type Source struct {
	URL string `json:"url"`
	// Checked is YYYY-MM-DD, or YYYY-MM when only the month is known (a
	// reference compiled in a month, with no day given); never a guessed day.
	Checked string `json:"checked"`
	Note    string `json:"note,omitempty"`
}

// Maker is one company whose devices are found in homes.
type Maker struct {
	ID      string   `json:"id"`   // stable, lower-case, e.g. "tp-link"
	Name    string   `json:"name"` // as shown to people, e.g. "TP-Link"
	Aliases []string `json:"aliases,omitempty"`
	// Type is the kind of device most of this maker's products are, used
	// when the maker is known but the product is not ("" = no default).
	Type string `json:"type,omitempty"`
	// OUIs are IEEE MA-L prefixes ("44:19:B6") this maker registered; a tie-breaker only.
	OUIs []string `json:"ouis,omitempty"`
	// OUIName is a regular expression matching the organisation names this
	// maker registered in the IEEE table ("Hikvision"); a tie-breaker only.
	OUIName string `json:"oui_name,omitempty"`

	Support    SupportPolicy `json:"support"`
	Disclosure Disclosure    `json:"disclosure"`
	// UniquePasswords says whether current products ship with per-device or user-set passwords.
	UniquePasswords *Fact `json:"unique_passwords,omitempty"`

	Match    []Rule    `json:"match,omitempty"` // maker-level identification rules
	Products []Product `json:"products"`
	Guides   Guides    `json:"guides"`
}

// Fact is a short statement with its source.
type Fact struct {
	Text   string `json:"text"`
	Source Source `json:"source"`
}

// SupportPolicy is the maker's stated security-update policy (PSTI Schedule 1 paragraph 3).
type SupportPolicy struct {
	Policy    string `json:"policy"` // plain words; "" when the maker publishes none
	Published bool   `json:"published"`
	Source    Source `json:"source"`
}

// Disclosure is where the maker takes vulnerability reports (PSTI Schedule 1 paragraph 2).
type Disclosure struct {
	URL   string `json:"url,omitempty"`
	Email string `json:"email,omitempty"`
	// NonePublished is true when a search found no public contact; Source says where we looked.
	NonePublished bool   `json:"none_published,omitempty"`
	Source        Source `json:"source"`
}

// Product is one model or product family.
type Product struct {
	ID     string   `json:"id"`   // unique within the maker, e.g. "archer-c7"
	Name   string   `json:"name"` // "Archer C7"
	Models []string `json:"models,omitempty"`
	Type   string   `json:"type"` // router, camera, doorbell, tv, speaker, plug, light, hub, printer, nas, thermostat, computer, phone, streamer
	Match  []Rule   `json:"match,omitempty"`

	Released string `json:"released,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD
	// ReleasedSource says where the release (launch) date comes from; required with Released.
	ReleasedSource *Source         `json:"released_source,omitempty"`
	Support        *ProductSupport `json:"support,omitempty"`
	Latest         *Firmware       `json:"latest_firmware,omitempty"`
	Logins         []DefaultLogin  `json:"default_logins,omitempty"`
	Exploits       []KnownExploit  `json:"known_exploited,omitempty"`
	// Admin is the product's own admin page, where the product lets it be
	// left with no password at all (not a default login: there is none).
	Admin *AdminPage `json:"admin_page,omitempty"`
	// Family marks an entry that stands for a range of a maker's models
	// ("other Hikvision cameras"): a fact about some of them, such as a
	// known exploited flaw, proves nothing about the one found.
	Family bool `json:"family,omitempty"`
}

// AdminPage is where a product's admin page lives and what only the admin
// content (never a login page) shows, so that an open page can be told apart.
type AdminPage struct {
	Path   string `json:"path"` // starts with "/"
	Open   string `json:"open"` // regular expression
	Source Source `json:"source"`
}

// ProductSupport is the end of security updates for one product, where the maker publishes it.
type ProductSupport struct {
	Until  string `json:"until"` // YYYY-MM-DD, or YYYY-MM / YYYY meaning the end of that period
	Note   string `json:"note,omitempty"`
	Source Source `json:"source"`
}

// Firmware is the newest firmware the maker publishes for a product.
type Firmware struct {
	Version string `json:"version"`
	Date    string `json:"date,omitempty"`
	Source  Source `json:"source"`
}

// KnownExploit is a CISA KEV entry that applies to a product, optionally below a fixed version.
type KnownExploit struct {
	CVE     string `json:"cve"`
	Title   string `json:"title"`
	FixedIn string `json:"fixed_in,omitempty"` // first firmware without the flaw; "" = every version
	Source  Source `json:"source"`
}

// DefaultLogin is one documented factory login for a service of a product.
// It says how to recognise the login first and what proves success, so that a
// login page that never asked for a password is never mistaken for success.
type DefaultLogin struct {
	Service  string `json:"service"` // http-basic, http-digest, http-form, telnet, ssh, ftp, rtsp
	Username string `json:"username"`
	Password string `json:"password"`
	// Path is the URL path to request (HTTP, RTSP); empty means "/".
	Path string `json:"path,omitempty"`
	// Form describes an HTML form login (service http-form).
	Form *LoginForm `json:"form,omitempty"`
	// Identify must match before any try (a realm, title or banner), so we only
	// send a maker's defaults to that maker's device.
	Identify string `json:"identify,omitempty"` // regular expression
	// Success is a regular expression only an authenticated response contains.
	Success string `json:"success,omitempty"`
	Source  Source `json:"source"`
}

// LoginForm is how to post an HTML login form.
type LoginForm struct {
	Method    string `json:"method,omitempty"` // POST by default
	UserField string `json:"user_field"`
	PassField string `json:"pass_field"`
	Extra     string `json:"extra,omitempty"` // extra url-encoded fields
}

// Rule recognises a maker or product from evidence. All non-empty fields must match.
// Patterns are case-insensitive regular expressions. A rule needs at least one
// field other than OUIName: the MAC prefix is only ever a tie-breaker.
type Rule struct {
	Manufacturer string `json:"manufacturer,omitempty"`  // UPnP manufacturer
	ModelName    string `json:"model_name,omitempty"`    // UPnP modelName
	ModelNumber  string `json:"model_number,omitempty"`  // UPnP modelNumber
	FriendlyName string `json:"friendly_name,omitempty"` // UPnP friendlyName or mDNS instance name
	Hostname     string `json:"hostname,omitempty"`
	DeviceType   string `json:"device_type,omitempty"`  // UPnP deviceType URN
	Server       string `json:"server,omitempty"`       // SSDP SERVER or HTTP Server header
	Realm        string `json:"realm,omitempty"`        // WWW-Authenticate realm
	Title        string `json:"title,omitempty"`        // HTML <title>
	MDNSService  string `json:"mdns_service,omitempty"` // e.g. "_googlecast._tcp"
	TXT          string `json:"txt,omitempty"`          // "key=regexp" on any TXT record
	Banner       string `json:"banner,omitempty"`       // telnet/SSH/FTP/RTSP banner
	HTTPPath     string `json:"http_path,omitempty"`    // a path whose body must match Body
	Body         string `json:"body,omitempty"`
	// OUIName narrows the rule to MACs registered to a matching organisation.
	OUIName string `json:"oui_name,omitempty"`
	// Firmware, when set, is a regexp whose first group captures the firmware
	// version from the field named by FirmwareFrom: server, model_number,
	// model_name, friendly_name, title, banner, txt:<key>, body (the rule's
	// HTTPPath) or body:<path>.
	Firmware     string `json:"firmware,omitempty"`
	FirmwareFrom string `json:"firmware_from,omitempty"`
	// Model, when set, captures the model from the same kinds of field (ModelFrom).
	Model     string `json:"model,omitempty"`
	ModelFrom string `json:"model_from,omitempty"`
}

// Guides are plain-language, numbered steps for the two fixes a householder makes.
type Guides struct {
	ChangePassword []string `json:"change_password"`
	Update         []string `json:"update"`
	// Replace is advice for a product past its support period (may be empty: a generic guide is used).
	Replace []string `json:"replace,omitempty"`
	Source  Source   `json:"source"`
}

// Generic is the fallback knowledge for devices whose maker is unknown.
type Generic struct {
	Guides Guides         `json:"guides"`
	Logins []DefaultLogin `json:"default_logins"` // at most five pairs
	// ReportUK is where to report a product that breaks the UK PSTI rules.
	ReportUK Fact `json:"report_uk"`
}

// SupportStatus is whether a product still gets security updates on a date.
type SupportStatus string

// Support statuses, as in the JSON report.
const (
	Supported   SupportStatus = "supported"
	EndingSoon  SupportStatus = "ending-soon" // ends within 12 months
	Ended       SupportStatus = "ended"
	UnknownSupp SupportStatus = "unknown"
)

// Evidence is everything discovery learned about one device, in the form the
// identification rules read. Strings are already cleaned of control bytes.
type Evidence struct {
	MAC          string // "44:19:b6:01:02:03" or ""
	Manufacturer string // UPnP manufacturer
	ModelName    string // UPnP modelName (or another source's model, see ModelFrom)
	ModelNumber  string // UPnP modelNumber (likewise)
	// ModelFrom names who stated ModelName and ModelNumber, for the
	// reasons shown to the user: "UPnP" when empty, "SADP", "IPP", ...
	ModelFrom    string
	FriendlyName string            // UPnP friendlyName or mDNS instance name
	DeviceTypes  []string          // UPnP deviceType URNs (root and embedded)
	Servers      []string          // SSDP SERVER and HTTP Server headers
	Realms       []string          // WWW-Authenticate realms
	Titles       []string          // HTML titles
	MDNSServices []string          // "_ipp._tcp", ...
	TXT          map[string]string // merged TXT records, keys lower-cased
	Banners      []string          // telnet, SSH, FTP, RTSP, MQTT banners
	Bodies       map[string]string // HTTP path -> capped body, for the paths ProbePaths names
	Hostname     string
}

// Identification is what the catalogue concluded about a device, with why.
type Identification struct {
	Maker    *Maker   // nil when unknown
	Product  *Product // nil when only the maker (or nothing) is known
	Model    string   // model text, even when no product matched
	Type     string   // device type, "unknown" when nothing says
	Firmware string
	Reasons  []string // "UPnP manufacturer \"TP-Link\"", ...
}
