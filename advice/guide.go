package advice

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// Guide is the guided fix for one finding.
type Guide struct {
	Title string
	// Steps are numbered in order; the device's address is already filled in.
	Steps []string
	// Passphrase says a new-password suggestion belongs with these steps.
	Passphrase bool
	// Recheck says a re-check can show whether the fix worked (a support
	// period, say, is not something the householder can fix).
	Recheck bool
	// NextTry is what to try when a re-check still finds the problem.
	NextTry []string
}

// Placeholders a guide step may contain (vendor data or built-in wording).
// {address} is the device's IP address; {url} its settings page.
const (
	PlaceAddress = "{address}"
	PlaceURL     = "{url}"
)

// Fix builds the guided fix for finding f on device d. Steps come from the
// maker's guides in the catalogue, else the catalogue's generic guides, else
// built-in wording, so a guide is never empty.
func Fix(cat *vendors.Catalog, d scan.Device, f scan.Finding, now time.Time) Guide {
	guides := guidesFor(cat, d)
	g := Guide{}
	switch f.ID {
	case scan.FindDefaultPassword:
		g = Guide{Title: "Change the factory password", Passphrase: true, Recheck: true,
			Steps:   withAddress(d, pick(guides.ChangePassword, builtinChangePassword)),
			NextTry: nextTryPassword}
	case scan.FindAnonymousAccess:
		g = anonymousGuide(d, f, guides)
	case scan.FindFirmwareOutdated, scan.FindKnownExploited:
		g = Guide{Title: "Update its software", Recheck: true,
			Steps:   withAddress(d, pick(guides.Update, builtinUpdate)),
			NextTry: nextTryUpdate}
		if f.ID == scan.FindKnownExploited {
			g.Title = "Close the weak spot"
		}
	case scan.FindSupportEnded:
		g = Guide{Title: "Replace it, or keep it apart", Steps: withAddress(d, pick(guides.Replace, builtinReplace))}
	case scan.FindSupportEndingSoon:
		g = Guide{Title: "Plan ahead", Steps: endingSoonSteps(d, now)}
	case scan.FindSupportUnknown:
		g = Guide{Title: "Find out how long it will get fixes", Steps: supportUnknownSteps(cat, d)}
	case scan.FindNoDisclosure:
		g = Guide{Title: "Tell the people who check the rules", Steps: []string{
			"You do not need to change anything on the device.",
			ReportUK(cat),
			"When you buy your next device, choose a maker that says how to report problems.",
		}}
	case scan.FindTelnetOpen:
		g = Guide{Title: "Turn off telnet", Recheck: true, Steps: withAddress(d, builtinTelnet), NextTry: nextTryTelnet}
	case scan.FindUPnPPortMapping:
		g = Guide{Title: "Close the door in your router", Recheck: true, Steps: withAddress(d, builtinUPnP), NextTry: nextTryUPnP}
	default:
		g = Guide{Title: "Take a closer look", Steps: withAddress(d, builtinGeneric)}
	}
	return g
}

// guidesFor finds the maker's guides, else the generic ones (may be empty).
func guidesFor(cat *vendors.Catalog, d scan.Device) vendors.Guides {
	if cat == nil {
		return vendors.Guides{}
	}
	if d.MakerID != "" {
		if m := cat.Maker(d.MakerID); m != nil {
			return m.Guides
		}
	}
	return cat.Generic.Guides
}

func pick(steps, fallback []string) []string {
	if len(steps) > 0 {
		return steps
	}
	return fallback
}

func anonymousGuide(d scan.Device, f scan.Finding, guides vendors.Guides) Guide {
	proto, _, _ := strings.Cut(f.Service, ":")
	switch proto {
	case "http", "https", "":
		return Guide{Title: "Set a password", Passphrase: true, Recheck: true,
			Steps:   withAddress(d, pick(guides.ChangePassword, builtinChangePassword)),
			NextTry: nextTryPassword}
	}
	return Guide{Title: "Close the open door", Passphrase: true, Recheck: true,
		Steps:   withAddress(d, openServiceSteps(proto)),
		NextTry: nextTryService}
}

func openServiceSteps(proto string) []string {
	what := map[string]string{"ftp": "FTP (file sharing)", "rtsp": "the video stream", "mqtt": "MQTT"}[proto]
	if what == "" {
		what = strings.ToUpper(proto)
	}
	return []string{
		"Open a web browser and go to {url}",
		"Log in with your own password.",
		fmt.Sprintf("Find the settings for %s. They are often under Services, Network or Sharing.", what),
		"Turn it off if you do not use it. If you do use it, turn off guest or anonymous access and set a password.",
		"Save the change.",
	}
}

func endingSoonSteps(d scan.Device, now time.Time) []string {
	return []string{
		"You do not need to do anything today.",
		SupportWords(d.Support, now),
		"Before then, plan to replace it with a model that still gets updates.",
		"When you shop, look for how long the maker promises updates. It should be on the box or the web page.",
	}
}

func supportUnknownSteps(cat *vendors.Catalog, d scan.Device) []string {
	steps := []string{
		"You do not need to change anything on the device.",
		"Look on the maker's website for how long they will send updates for this model.",
	}
	if r := ReportMaker(cat, d); !strings.HasPrefix(r, "We could not") {
		steps = append(steps, "If you cannot find it, ask the maker. "+strings.TrimPrefix(r, "To tell the maker about a safety problem, "))
	}
	return append(steps,
		"Keep its software up to date in the meantime.",
		"Next time you buy a device, choose one that says how long it will get updates.")
}

// withAddress fills the device's address into the steps. When no step names
// the address, it adds a first step that does, so the person always knows
// where to go.
func withAddress(d scan.Device, steps []string) []string {
	ip, url := Address(d), SettingsURL(d)
	r := strings.NewReplacer(PlaceAddress, ip, PlaceURL, url, "{ip}", ip)
	here := ip
	if hasWeb(d) {
		here = url
	}
	out := make([]string, 0, len(steps)+1)
	named := false
	for _, s := range steps {
		named = named || strings.Contains(s, PlaceAddress) || strings.Contains(s, PlaceURL) || strings.Contains(s, "{ip}")
		if ip != "" && exampleAddress.MatchString(s) {
			// A maker's guide names its usual address ("go to 192.168.0.1");
			// this device's own address is the one that works.
			s = exampleAddress.ReplaceAllStringFunc(s, func(m string) string {
				if strings.HasPrefix(m, "such as ") {
					return "which is " + here
				}
				return here
			})
			s = strings.ReplaceAll(s, here+" or "+here, here)
			named = true
		}
		out = append(out, r.Replace(s))
	}
	if !named && ip != "" {
		first := fmt.Sprintf("This %s's address on your network is %s.", Kind(d), ip)
		if hasWeb(d) {
			first = "Its settings page is at " + url + ". Open that in a web browser on a phone or computer at home."
		}
		out = append([]string{first}, out...)
	}
	return out
}

// exampleAddress is an IPv4 address written in a guide as the maker's usual
// one, with an optional "such as" and scheme.
var exampleAddress = regexp.MustCompile(`(?:such as )?(?:https?://)?\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/?`)

// Address is the device's IP address as text.
func Address(d scan.Device) string { return d.IP }

// SettingsURL is the web address of the device's settings page: its first
// web service, else the web port a finding names, else plain http on the
// default port.
func SettingsURL(d scan.Device) string {
	host := d.IP
	if a, err := netip.ParseAddr(d.IP); err == nil && a.Is6() && !a.Is4In6() {
		host = "[" + d.IP + "]"
	}
	if proto, port, ok := webService(d); ok {
		if (proto == "http" && port == 80) || (proto == "https" && port == 443) {
			return proto + "://" + host + "/"
		}
		return proto + "://" + host + ":" + strconv.Itoa(port) + "/"
	}
	return "http://" + host + "/"
}

// webService finds the device's web service: from its services, or from a
// finding's service ("http:8080") when the services list is incomplete.
func webService(d scan.Device) (proto string, port int, ok bool) {
	for _, s := range d.Services {
		if s.Protocol == "http" || s.Protocol == "https" {
			return s.Protocol, s.Port, true
		}
	}
	for _, f := range d.Findings {
		proto, p, _ := strings.Cut(f.Service, ":")
		if n, err := strconv.Atoi(p); err == nil && (proto == "http" || proto == "https") {
			return proto, n, true
		}
	}
	return "", 0, false
}

func hasWeb(d scan.Device) bool {
	_, _, ok := webService(d)
	return ok
}

// Built-in steps, used when the catalogue has none. Each step is one action.
var (
	builtinChangePassword = []string{
		"Open a web browser and go to {url}",
		"Log in with the user name and password on the sticker or in the manual.",
		"Find the password settings. They are often under Settings, System, Security or Account.",
		"Type a new password. Three random words make a strong one, like the one we suggest below.",
		"Save the change. Write the new password down and keep it somewhere safe.",
	}
	builtinUpdate = []string{
		"Open the maker's app, or go to {url} in a web browser.",
		"Log in with your own password.",
		"Look for Update, Firmware or Software. It is often under Settings, System or Maintenance.",
		"Choose Check for updates, then install the newest one.",
		"Do not turn the device off while it updates. This can take a few minutes.",
		"If there is a choice, turn on automatic updates.",
	}
	builtinReplace = []string{
		"This model will not get any more safety fixes, so the best thing is to replace it.",
		"When you shop, choose a model that says how long it will get updates.",
		"Until then, move it to your router's guest network. A guest network keeps it apart from your phones and computers.",
		"If it does not need the internet, you can turn off its internet access in your router.",
		"When you stop using it, reset it to factory settings so your details are wiped.",
	}
	builtinTelnet = []string{
		"Open a web browser and go to {url}",
		"Log in with your own password.",
		"Look for Telnet. It is often under Network, Services or System.",
		"Turn it off and save the change.",
		"If there is no way to turn it off, think about replacing the device. Until then, keep it on a guest network.",
	}
	builtinUPnP = []string{
		"Open your router's settings page in a web browser. The address is often on a sticker on the router.",
		"Log in with your own router password.",
		"Look for UPnP. It is often under Advanced, NAT or Forwarding.",
		"Turn UPnP off, or delete the doors it opened. Save the change.",
		"Some games and apps may then ask you to open a door by hand. Only do that for things you trust.",
	}
	builtinGeneric = []string{
		"Open the maker's app, or the device's settings page at {url}",
		"Check that it has your own password and the newest software.",
		"If you do not use it any more, turn it off and unplug it.",
	}
	nextTryPassword = []string{
		"Check that you saved the change. Some devices need a restart after it.",
		"Make sure you changed the password for the admin account, not the Wi-Fi password.",
		"If it still fails, ask the maker for help, or reset the device and set a new password straight away.",
	}
	nextTryUpdate = []string{
		"Wait a few minutes and check again. Some devices restart after an update.",
		"If no update is offered, look on the maker's website for this model.",
		"If there is no newer version, think about replacing it.",
	}
	nextTryTelnet = []string{
		"Check that you saved the change, then restart the device.",
		"If telnet cannot be turned off, keep the device on a guest network, or replace it.",
	}
	nextTryUPnP = []string{
		"Check that you saved the change, then restart the router.",
		"Some devices open the door again. Turn off UPnP in the router to stop that.",
	}
	nextTryService = []string{
		"Check that you saved the change, then restart the device.",
		"If you cannot find the setting, ask the maker for help.",
	}
)
