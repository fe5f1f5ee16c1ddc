package lab

import (
	"fmt"
	"io"
	"strings"
)

// Handout writes the teacher's handout: each device's address, what is wrong
// with it, and how to open its admin page. This is a simulated household, so
// the handout does give the factory login to try: finding and changing it is
// the lesson.
func (l *Lab) Handout(w io.Writer) {
	fmt.Fprintf(w, "Porchlight lab: %s\n%s\n", l.scen.Name, l.scen.Description)
	fmt.Fprintf(w, "Network: %s  (%d devices)\n", l.prefix, len(l.devices))
	for _, info := range l.Devices() {
		fmt.Fprintf(w, "\n%s  %s %s (%s)\n", info.Addr, info.Maker, info.Model, info.Type)
		fmt.Fprintf(w, "  Name:      %s\n", oneLine(info.Name))
		fmt.Fprintf(w, "  Firmware:  %s\n", info.Firmware)
		fmt.Fprintf(w, "  Problem:   %s\n", info.Problem)
		if info.AdminURL == "" {
			fmt.Fprintf(w, "  Admin:     none (set up from the maker's app)\n")
			continue
		}
		fmt.Fprintf(w, "  Admin:     %s\n", info.AdminURL)
		if login := factoryLogin(info); login != "" {
			fmt.Fprintf(w, "  Try:       %s\n", login)
		}
	}
}

// factoryLogin says which login opens the admin page as shipped.
func factoryLogin(info DeviceInfo) string {
	for _, lg := range info.Logins {
		for _, s := range lg.Services {
			if s == "http" {
				if lg.Password == "" {
					return fmt.Sprintf("user %q with no password", lg.User)
				}
				if lg.Default {
					return fmt.Sprintf("user %q, password %q (the factory default)", lg.User, lg.Password)
				}
				return fmt.Sprintf("user %q; its owner set a password (see the lab's scenario)", lg.User)
			}
		}
	}
	return ""
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
