package advice

import (
	"fmt"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan"
)

// Explanation is a finding in plain words: a short title, what it means and
// why it matters. Each is a few short sentences.
type Explanation struct {
	Title string
	What  string
	Why   string
}

// Explain words one finding for the device it was found on.
func Explain(d scan.Device, f scan.Finding, now time.Time) Explanation {
	kind := Kind(d)
	switch f.ID {
	case scan.FindDefaultPassword:
		return Explanation{
			Title: "It still takes the factory password",
			What: fmt.Sprintf("This %s still lets people in with the password it had when it was new. "+
				"The same password is on lots of these, and anyone can look it up online.", kind),
			Why: "Someone on your network could log in and take it over. " +
				"A harmful program could do the same, with no one there.",
		}
	case scan.FindKnownExploited:
		return Explanation{
			Title: "It has a weak spot that criminals use",
			What: fmt.Sprintf("This model has a known weak spot%s. "+
				"Criminals are using it to break in to devices like this one right now.", cveWords(f)),
			Why: "They can get in without knowing the password. " +
				"Then they can watch, listen, or use it to attack other things.",
		}
	case scan.FindFirmwareOutdated:
		return Explanation{
			Title: "Its software is out of date",
			What: "Firmware is the software built into a device. " +
				fmt.Sprintf("The firmware on this %s is older than the newest one from the maker.%s", kind, versionWords(d, f)),
			Why: "New versions fix safety holes. " +
				"An old version leaves those holes open for anyone who knows about them.",
		}
	case scan.FindSupportEnded:
		return Explanation{
			Title: "The maker has stopped sending safety fixes",
			What: "A security update is a free fix the maker sends to close a safety hole. " +
				SupportWords(d.Support, now),
			Why: "Any new safety hole in this model will never be fixed. " +
				"It gets less safe to use as time goes on.",
		}
	case scan.FindSupportEndingSoon:
		return Explanation{
			Title: "Safety fixes will stop soon",
			What: "A security update is a free fix the maker sends to close a safety hole. " +
				SupportWords(d.Support, now),
			Why: "After that date, new safety holes in this model will not be fixed. " +
				"It is worth planning what to do before then.",
		}
	case scan.FindSupportUnknown:
		return Explanation{
			Title: "No one has said how long it will get safety fixes",
			What: "A security update is a free fix the maker sends to close a safety hole. " +
				"In the UK, makers must say how long they will send them. " +
				"We could not find a date for this model.",
			Why: "You cannot tell how long it will stay safe to use. " +
				"If the fixes have stopped, new safety holes will stay open.",
		}
	case scan.FindNoDisclosure:
		return Explanation{
			Title: "There is no way to tell the maker about a problem",
			What: "In the UK, makers must give people a way to report safety problems. " +
				"We could not find one for this maker.",
			Why: "If someone finds a safety hole, they cannot tell the maker. " +
				"So it may never get fixed.",
		}
	case scan.FindTelnetOpen:
		return Explanation{
			Title: "It has an old, unsafe way in left open",
			What: fmt.Sprintf("This %s lets people connect with telnet. ", kind) +
				"Telnet is an old way to control a device by typing commands. " +
				"It sends passwords where others can read them.",
			Why: "Harmful programs look for telnet all the time and try the usual passwords. " +
				"Lots of cheap cameras have been taken over this way.",
		}
	case scan.FindAnonymousAccess:
		return Explanation{
			Title: "Anyone can get in without a password",
			What:  fmt.Sprintf("Part of this %s lets anyone in without a password%s.", kind, serviceWords(f)),
			Why: "Anyone on your network can look at it or change it. " +
				"That includes guests and any harmful program on another device.",
		}
	case scan.FindUPnPPortMapping:
		return Explanation{
			Title: "Your router has opened a door to the internet",
			What: "A device asked your router to let the internet reach it. " +
				"This is called a port mapping, and the router said yes without asking you." + mappingWords(f),
			Why: "People on the internet may be able to reach that device. " +
				"If it has a weak spot, they can use it.",
		}
	}
	return Explanation{
		Title: titleOr(f.Title, "Something needs a look"),
		What:  "We found something on this device that may not be safe.",
		Why:   "It is worth checking, in case it lets someone in.",
	}
}

func titleOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// cveWords names the weakness by its public number, explained.
func cveWords(f scan.Finding) string {
	cve := f.Detail["cve"]
	if cve == "" {
		return ""
	}
	return ", known as " + cve
}

// versionWords says which version it has and which is newest, when known.
func versionWords(d scan.Device, f scan.Finding) string {
	latest := f.Detail["latest"]
	if d.Firmware == "" || latest == "" {
		return ""
	}
	return fmt.Sprintf(" It has version %s. The newest is %s.", d.Firmware, latest)
}

// serviceWords names the open service ("ftp:21" reads "(file sharing, FTP)").
func serviceWords(f scan.Finding) string {
	proto, _, _ := strings.Cut(f.Service, ":")
	switch proto {
	case "":
		return ""
	case "ftp":
		return ": its file sharing (FTP)"
	case "http", "https":
		return ": its settings page"
	case "rtsp":
		return ": its video stream"
	case "mqtt":
		return ": its message service (MQTT)"
	case "telnet":
		return ": its telnet"
	}
	return " (" + proto + ")"
}

// mappingWords says which door is open, when the scanner gave the details.
func mappingWords(f scan.Finding) string {
	port, to := f.Detail["external_port"], f.Detail["internal_client"]
	switch {
	case port != "" && to != "":
		return fmt.Sprintf(" Door %s leads to the device at %s.", port, to)
	case port != "":
		return fmt.Sprintf(" The open door is number %s.", port)
	}
	return ""
}
