// Package telnet separates the text of a telnet stream from its option
// negotiation (RFC 854/855). Porchlight never negotiates: it refuses every
// option a server proposes, so a server never switches into a mode we do not
// speak. Discovery (reading a greeting) and the login test share it.
package telnet

import "bytes"

// Telnet protocol bytes (RFC 854).
const (
	IAC  = 255
	DONT = 254
	DO   = 253
	WONT = 252
	WILL = 251
	SB   = 250
	SE   = 240
)

// maxSub caps a subnegotiation, so a server that never ends one cannot make
// us swallow everything after it.
const maxSub = 1024

// Filter keeps state across Feed calls, so a command split between two reads
// is handled. The zero value is ready to use.
type Filter struct {
	state   int  // 0 data, 1 after IAC, 2 after IAC+verb, 3 in subnegotiation, 4 IAC in subnegotiation
	verb    byte // the pending DO/DONT/WILL/WONT
	subLeft int  // bytes of subnegotiation still allowed before we give up on it
}

// Feed consumes b and returns the plain text in it (invalid UTF-8 dropped) and
// the bytes to reply: WONT to every DO, DONT to every WILL.
func (f *Filter) Feed(b []byte) (text, reply []byte) {
	for _, c := range b {
		switch f.state {
		case 0:
			if c == IAC {
				f.state = 1
			} else {
				text = append(text, c)
			}
		case 1:
			f.command(c, &text)
		case 2:
			switch f.verb {
			case DO:
				reply = append(reply, IAC, WONT, c)
			case WILL:
				reply = append(reply, IAC, DONT, c)
			}
			f.state = 0
		case 3:
			f.subLeft--
			if c == IAC {
				f.state = 4
			} else if f.subLeft <= 0 {
				f.state = 0
			}
		case 4:
			if c == SE {
				f.state = 0
			} else {
				f.state = 3
			}
		}
	}
	return bytes.ToValidUTF8(text, nil), reply
}

// command handles the byte after an IAC.
func (f *Filter) command(c byte, text *[]byte) {
	switch c {
	case IAC:
		*text = append(*text, c) // an escaped 255
		f.state = 0
	case DO, DONT, WILL, WONT:
		f.verb, f.state = c, 2
	case SB:
		f.state, f.subLeft = 3, maxSub
	default:
		f.state = 0 // a two-byte command (NOP, GA, ...)
	}
}
