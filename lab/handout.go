package lab

import (
	"fmt"
	"io"
	"strings"
)

// Handout writes the teacher's handout: each device's address, what is wrong
// with it, and how to open its admin page. This is a simulated household, so
// the handout does give the factory logins to try: finding and changing them
// is the lesson. Lines fit an 80-column terminal.
func (l *Lab) Handout(w io.Writer) {
	fmt.Fprintf(w, "Porchlight lab: %s\n%s", l.scen.Name, wrap("", l.scen.Description, "", 78))
	fmt.Fprintf(w, "Network: %s  (%d devices)\n", l.prefix, len(l.devices))
	for _, info := range l.Devices() {
		fmt.Fprintf(w, "\n%s  %s %s (%s)\n", info.Addr, oneLine(info.Maker), oneLine(info.Model), info.Type)
		fmt.Fprintf(w, "  Name:      %s\n", oneLine(info.Name))
		fmt.Fprintf(w, "  Firmware:  %s\n", oneLine(info.Firmware))
		fmt.Fprint(w, wrap("  Problem:   ", info.Problem, "             ", 78))
		if info.AdminURL == "" {
			fmt.Fprintf(w, "  Admin:     none (set up from the maker's app)\n")
		} else {
			fmt.Fprintf(w, "  Admin:     %s\n", info.AdminURL)
		}
		for _, line := range factoryLogins(info) {
			fmt.Fprintf(w, "  Try:       %s\n", line)
		}
	}
}

// factoryLogins says which factory logins still open the device, per
// service, and how the admin page opens when it has no password at all.
func factoryLogins(info DeviceInfo) []string {
	var out []string
	for _, lg := range info.Logins {
		if !lg.Default && lg.Password != "" {
			continue // set by the owner: not part of the exercise
		}
		for _, s := range lg.Services {
			where := s
			if s == "http" {
				where = "admin page"
			} else if p := info.Port(s); p != 0 {
				where = fmt.Sprintf("%s (port %d)", s, p)
			}
			if lg.Password == "" {
				out = append(out, fmt.Sprintf("%s: user %q with no password", where, lg.User))
			} else {
				out = append(out, fmt.Sprintf("%s: user %q, password %q", where, lg.User, lg.Password))
			}
		}
	}
	return out
}

// wrap wraps text at width: the first line starts with first, the others
// with indent.
func wrap(first, text, indent string, width int) string {
	var b strings.Builder
	line := first
	for _, word := range strings.Fields(oneLine(text)) {
		if len(line)+len(word) > width && strings.TrimSpace(line) != strings.TrimSpace(first) {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		line += word + " "
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
	return b.String()
}

// oneLine keeps printable text on one line (hostile names carry escapes).
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
