// Package login tests whether a network service still accepts a documented
// factory login, or needs no login at all. It speaks HTTP (Basic, Digest and
// form logins), telnet, SSH, FTP, RTSP and MQTT, and knows nothing of devices
// or vendor data: the caller says what to try and what proves success.
//
// The safety rules live here, where the packets are sent, so that no caller
// can forget them:
//
//   - every connection goes through a Gate bound to one host: one connection
//     at a time, spaced out, and never to any other address;
//   - before any credential is sent, an unauthenticated request must be
//     refused (401, a login prompt, 530) and the service must match the
//     caller's Identify pattern;
//   - at most MaxAttempts credentials per call, stopping at the first success;
//   - success counts only on evidence that only an authenticated session
//     gets (a success pattern, 200 on a page that was 401, FTP 230, a shell
//     prompt); redirects are never followed and never count;
//   - passwords are never put in a Result or an error.
package login

import (
	"errors"
	"regexp"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
)

// MaxAttempts is the most credentials one call sends to one service.
const MaxAttempts = 6

// DefaultTimeout bounds each exchange with a device when Target.Timeout is zero.
const DefaultTimeout = 3 * time.Second

// maxText caps the device text kept for matching and evidence.
const maxText = 512

// ErrNotAllowed means the Gate refused a connection to another host.
var ErrNotAllowed = errors.New("login: connection to a host other than the device under test")

// Cred is one login to try. The password never leaves this package in any
// result or error.
type Cred struct {
	User, Pass string
}

// Target is one service of the device under test.
type Target struct {
	Port int
	// Path is the URL path for HTTP and RTSP ("" means "/").
	Path string
	// TLS says the HTTP service speaks HTTPS.
	TLS bool
	// Identify, when not nil, must match what the service shows before any
	// credential is sent (realm, Server header, page, banner).
	Identify *regexp.Regexp
	// Success, when not nil, must match the authenticated answer (page body,
	// telnet output) for a login to count.
	Success *regexp.Regexp
	// Form describes an HTML form login (HTTPForm only).
	Form *Form
	// Timeout bounds each exchange (default DefaultTimeout).
	Timeout time.Duration
}

// Form is how to post an HTML login form.
type Form struct {
	Method    string // POST when ""
	UserField string
	PassField string
	Extra     string // extra url-encoded fields
}

// Result is what one test learned. It never holds a password.
type Result struct {
	// Demanded is true when an unauthenticated request was refused.
	Demanded bool
	// Identified is true when the service matched Target.Identify (or there was none).
	Identified bool
	// Open is true when the service let us in with no credentials at all.
	Open bool
	// Attempts counts the credentials sent.
	Attempts int
	// Accepted is the index in creds of the login that worked, or -1.
	Accepted int
	// Shown is what the service showed before login (realm, banner), cleaned and capped.
	Shown string
	// Proof says, in plain words, what proved the login or the open access.
	Proof string
}

func (t Target) timeout() time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return DefaultTimeout
}

func (t Target) path() string {
	if t.Path == "" || t.Path[0] != '/' {
		return "/" + t.Path
	}
	return t.Path
}

// identified reports whether the text a service showed matches Identify.
func (t Target) identified(shown ...string) bool {
	if t.Identify == nil {
		return true
	}
	for _, s := range shown {
		if s != "" && t.Identify.MatchString(s) {
			return true
		}
	}
	return false
}

// limit caps the list to the attempt limit.
func limit(creds []Cred, n int) []Cred {
	if len(creds) > n {
		return creds[:n]
	}
	return creds
}

// Clean strips control and escape sequences (and bidi overrides) from
// device text and caps its length, so it is safe to match, show and store.
func Clean(s string) string { return clean.String(s, maxText) }

// ansi matches terminal escape sequences (CSI, OSC and two-byte escapes).
var ansi = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])`)
