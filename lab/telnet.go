package lab

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strings"
	"time"
)

// Telnet protocol bytes (RFC 854, 857, 858, 1073).
const (
	tnIAC  = 255
	tnDONT = 254
	tnDO   = 253
	tnWONT = 252
	tnWILL = 251
	tnSB   = 250
	tnSE   = 240

	optEcho = 1
	optSGA  = 3
	optNAWS = 31
)

// telnetHello is what BusyBox telnetd sends first: DO ECHO, DO NAWS,
// WILL ECHO, WILL SGA — the server echoes, in character mode.
var telnetHello = []byte{tnIAC, tnDO, optEcho, tnIAC, tnDO, optNAWS, tnIAC, tnWILL, optEcho, tnIAC, tnWILL, optSGA}

// maxTelnetLine caps a line; maxTelnetRead caps the bytes read for one line,
// negotiation included, so a client streaming options cannot pin the lab.
const (
	maxTelnetLine = 256
	maxTelnetRead = 4096
)

var errLineTooLong = errors.New("telnet: line too long")

// telnetReader reads lines from a telnet client, dropping option
// negotiation and subnegotiation and unescaping IAC IAC.
type telnetReader struct {
	r      *bufio.Reader
	echo   io.Writer // where typed bytes are echoed; nil for none (passwords)
	lastCR bool      // the previous line ended in CR: skip a following LF or NUL
}

// readLine returns the next line without its end (CR, LF, CR LF or CR NUL).
func (t *telnetReader) readLine() (string, error) {
	var line []byte
	for n := 0; n < maxTelnetRead; n++ {
		c, err := t.r.ReadByte()
		if err != nil {
			return string(line), err
		}
		if t.lastCR && (c == '\n' || c == 0) {
			t.lastCR = false
			continue
		}
		t.lastCR = false
		switch {
		case c == tnIAC:
			data, err := t.command()
			if err != nil {
				return string(line), err
			}
			if !data {
				continue
			}
		case c == '\r' || c == '\n':
			t.lastCR = c == '\r'
			t.write("\r\n")
			return string(line), nil
		case c == 8 || c == 127: // backspace, delete
			if len(line) > 0 {
				line = line[:len(line)-1]
				t.write("\b \b")
			}
			continue
		case c < 0x20:
			continue // other control bytes are not part of a login
		}
		if len(line) < maxTelnetLine {
			line = append(line, c)
			t.write(string(c))
		}
	}
	return string(line), errLineTooLong
}

// command consumes what follows an IAC; it reports true when it was IAC IAC
// (a literal 0xff, which readLine then drops as a non-text byte).
func (t *telnetReader) command() (bool, error) {
	c, err := t.r.ReadByte()
	if err != nil {
		return false, err
	}
	switch c {
	case tnIAC:
		return false, nil
	case tnWILL, tnWONT, tnDO, tnDONT:
		_, err = t.r.ReadByte()
		return false, err
	case tnSB:
		for n := 0; n < maxTelnetRead; n++ { // until IAC SE
			b, err := t.r.ReadByte()
			if err != nil {
				return false, err
			}
			if b == tnIAC {
				if b, err = t.r.ReadByte(); err != nil || b == tnSE {
					return false, err
				}
			}
		}
		return false, errLineTooLong
	}
	return false, nil
}

func (t *telnetReader) write(s string) {
	if t.echo != nil {
		_, _ = io.WriteString(t.echo, s)
	}
}

// serveTelnet starts the telnet server unless the owner turned it off.
func serveTelnet(l *Lab, d *device) error {
	if d.spec.Telnet == nil || d.off("telnet") {
		return nil
	}
	d.mu.Lock()
	running := d.telnetLn != nil
	d.mu.Unlock()
	if running {
		return nil
	}
	ln, err := l.net.listenTCP(d, d.spec.Telnet.Port)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.telnetLn = ln
	d.mu.Unlock()
	l.serveConns(ln, func(c net.Conn) { d.telnetSession(d.wrapConn(l, "telnet", c)) })
	return nil
}

// stopTelnet closes the telnet listener (the owner turned telnet off).
func (d *device) stopTelnet() {
	d.mu.Lock()
	ln := d.telnetLn
	d.telnetLn = nil
	d.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
}

// telnetSession runs a login: three tries, then a toy shell.
func (d *device) telnetSession(c net.Conn) {
	spec := d.spec.Telnet
	_ = c.SetDeadline(time.Now().Add(2 * time.Minute))
	tr := &telnetReader{r: bufio.NewReaderSize(c, 512)}
	if _, err := c.Write(telnetHello); err != nil {
		return
	}
	if spec.Banner != "" {
		_, _ = io.WriteString(c, d.text("telnet", d.expand(spec.Banner))+"\r\n")
	}
	for try := 0; try < 3; try++ {
		_, _ = io.WriteString(c, d.text("telnet", d.expand(spec.Login)))
		tr.echo = c
		user, err := tr.readLine()
		if err != nil {
			return
		}
		_, _ = io.WriteString(c, "Password: ")
		tr.echo = nil
		pass, err := tr.readLine()
		_, _ = io.WriteString(c, "\r\n")
		if err != nil {
			return
		}
		if d.checkLogin("telnet", strings.TrimSpace(user), pass) {
			tr.echo = c
			d.shell(c, tr)
			return
		}
		_, _ = io.WriteString(c, "Login incorrect\r\n")
	}
}

// shell answers like a BusyBox shell that has almost nothing installed.
func (d *device) shell(c net.Conn, tr *telnetReader) {
	prompt := d.expand(d.spec.Telnet.Prompt)
	for {
		if _, err := io.WriteString(c, prompt); err != nil {
			return
		}
		line, err := tr.readLine()
		if err != nil {
			return
		}
		cmd, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch cmd {
		case "":
		case "exit", "logout":
			return
		case "cat", "ls", "echo", "ps":
			_, _ = io.WriteString(c, "\r\n")
		default:
			_, _ = io.WriteString(c, "-sh: "+cleanEcho(cmd)+": not found\r\n")
		}
	}
}

// cleanEcho keeps printable ASCII, so a shell echo never carries a client's
// escape sequences back.
func cleanEcho(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
}
