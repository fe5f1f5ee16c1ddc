package banner

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
)

// Telnet protocol bytes (RFC 854).
const (
	iac  = 255
	dont = 254
	do   = 253
	wont = 252
	will = 251
	sb   = 250
	se   = 240
)

// probeTelnet reads a telnet server's greeting up to its login prompt,
// refusing every option it proposes, and never types anything.
func probeTelnet(ctx context.Context, ip netip.Addr, port int, cfg Config, res *Result) {
	conn, err := dial(ctx, ip, port)
	if err != nil {
		return
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	conn.SetDeadline(deadline(ctx, cfg.ReadTimeout))
	var (
		tf   TelnetFilter
		text []byte
		buf  = make([]byte, 512)
	)
	res.Protocol = "telnet"
	for len(text) < maxGreet {
		n, err := conn.Read(buf)
		plain, reply := tf.Feed(buf[:n])
		text = append(text, plain...)
		if len(reply) > 0 {
			if _, werr := conn.Write(reply); werr != nil {
				break
			}
		}
		if Prompt(text) {
			res.Auth = "prompt"
			break
		}
		if err != nil {
			break
		}
	}
	res.Banner = long(string(text))
}

// Prompt reports whether text ends with a login or password prompt.
func Prompt(text []byte) bool {
	t := strings.ToLower(strings.TrimRight(string(text), " \t\r\n"))
	for _, p := range []string{"login:", "username:", "user name:", "user:", "password:"} {
		if strings.HasSuffix(t, p) {
			return true
		}
	}
	return false
}

// TelnetFilter separates the text of a telnet stream from its option
// negotiation, and builds the refusals to send back. It keeps state across
// Feed calls, so a command split between two reads is handled.
type TelnetFilter struct {
	state   int  // 0 data, 1 after IAC, 2 after IAC+verb, 3 in subnegotiation, 4 IAC in subnegotiation
	verb    byte // the pending DO/DONT/WILL/WONT
	subLeft int  // bytes of subnegotiation still allowed before we give up on it
}

// Feed consumes b and returns the plain text in it and the bytes to reply:
// WONT to every DO, DONT to every WILL.
func (f *TelnetFilter) Feed(b []byte) (text, reply []byte) {
	for _, c := range b {
		switch f.state {
		case 0:
			if c == iac {
				f.state = 1
			} else {
				text = append(text, c)
			}
		case 1:
			switch c {
			case iac:
				text = append(text, c) // escaped 255
				f.state = 0
			case do, dont, will, wont:
				f.verb, f.state = c, 2
			case sb:
				f.state, f.subLeft = 3, 1024
			default:
				f.state = 0 // a two-byte command (NOP, GA, ...)
			}
		case 2:
			switch f.verb {
			case do:
				reply = append(reply, iac, wont, c)
			case will:
				reply = append(reply, iac, dont, c)
			}
			f.state = 0
		case 3:
			f.subLeft--
			if c == iac {
				f.state = 4
			} else if f.subLeft <= 0 {
				f.state = 0
			}
		case 4:
			if c == se {
				f.state = 0
			} else {
				f.state = 3
			}
		}
	}
	return bytes.ToValidUTF8(text, nil), reply
}
