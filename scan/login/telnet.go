package login

import (
	"context"
	"errors"
	"net"
	"os"
	"regexp"
	"strings"

	"github.com/porchlight/porchlight/scan/telnet"
)

var (
	loginPrompt    = regexp.MustCompile(`(?i)(login|user ?name|user)\s*:\s*$`)
	passwordPrompt = regexp.MustCompile(`(?i)pass(word|wd)?\s*:\s*$`)
	// openShell is a root or user shell prompt at the end of the text.
	openShell = regexp.MustCompile(`(?m)^[^\n]{0,64}[#$]\s*$`)
	// shellPrompt also takes ">" and "%" once we have logged in.
	shellPrompt  = regexp.MustCompile(`[#$>%]\s*$`)
	loginFailure = regexp.MustCompile(`(?i)incorrect|invalid|fail|denied|wrong|bad password`)
)

// maxTelnetText caps what one read phase keeps.
const maxTelnetText = 8 << 10

// telnetConn reads text from a telnet server, refusing every option it
// offers (so it never switches into a mode we don't speak).
type telnetConn struct {
	c   net.Conn
	opt telnet.Filter
	out []byte // refusals still to send
}

// feed processes raw bytes, returning the text and queueing replies.
func (tc *telnetConn) feed(raw []byte) []byte {
	text, reply := tc.opt.Feed(raw)
	tc.out = append(tc.out, reply...)
	return text
}

// readUntil reads until one of pats matches the cleaned text read so far,
// returning the text and the index of the pattern (-1 on timeout or close).
func (tc *telnetConn) readUntil(pats ...*regexp.Regexp) (string, int, error) {
	var text []byte
	buf := make([]byte, 512)
	for {
		n, err := tc.c.Read(buf)
		text = append(text, tc.feed(buf[:n])...)
		if len(text) > maxTelnetText {
			text = text[len(text)-maxTelnetText/2:]
		}
		if len(tc.out) > 0 {
			if _, werr := tc.c.Write(tc.out); werr != nil {
				return string(text), -1, werr
			}
			tc.out = tc.out[:0]
		}
		s := strings.ReplaceAll(ansi.ReplaceAllString(string(text), ""), "\r", "")
		s = strings.ReplaceAll(s, "\x00", "")
		for i, p := range pats {
			if p != nil && p.MatchString(s) {
				return s, i, nil
			}
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				err = nil // the device went quiet: no prompt
			}
			return s, -1, err
		}
	}
}

func (tc *telnetConn) send(line string) error {
	_, err := tc.c.Write([]byte(line + "\r\n"))
	return err
}

// Telnet tests logins on a telnet service, one connection per try. The
// service must show a login or password prompt first; a login counts only
// on Success (when set) or a shell prompt, and "incorrect" or a new prompt
// is a failure. A shell with no login at all is reported as Open.
func Telnet(ctx context.Context, g *Gate, t Target, creds []Cred) (Result, error) {
	res := Result{Accepted: -1}
	for i, c := range limit(creds, MaxAttempts) {
		ok, err := telnetTry(ctx, g, t, c, &res, i == 0)
		if err != nil || res.Open || !res.Demanded || !res.Identified {
			return res, err
		}
		if ok {
			res.Accepted = i
			res.Proof = "a shell prompt appeared after the login"
			if t.Success != nil {
				res.Proof = "the device showed what it only shows after a login"
			}
			return res, nil
		}
	}
	return res, nil
}

// telnetTry makes one connection; on the first it also records what the
// service showed and whether it demands a login.
func telnetTry(ctx context.Context, g *Gate, t Target, c Cred, res *Result, first bool) (bool, error) {
	conn, err := g.open(ctx, t)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	tc := &telnetConn{c: conn}
	text, which, err := tc.readUntil(loginPrompt, passwordPrompt, openShell)
	if first {
		res.Shown = Clean(text)
		res.Open = which == 2
		if res.Open {
			res.Proof = "the telnet service gave a shell without asking for a login"
		}
		res.Demanded = which == 0 || which == 1
		res.Identified = res.Demanded && t.identified(text)
		if err != nil || !res.Demanded || !res.Identified {
			return false, err
		}
	} else if which != 0 && which != 1 {
		return false, err
	}
	res.Attempts++
	if which == 0 {
		if err := tc.send(c.User); err != nil {
			return false, err
		}
		_, which, err = tc.readUntil(passwordPrompt, loginFailure, loginPrompt)
		if which != 0 {
			return false, err
		}
	}
	if err := tc.send(c.Pass); err != nil {
		return false, err
	}
	_, which, err = tc.readUntil(t.Success, loginFailure, loginPrompt, passwordPrompt, shellPrompt)
	return which == 0 || which == 4, err
}
