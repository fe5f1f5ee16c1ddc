package login

import (
	"bufio"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/scan/telnet"
)

var localhost = netip.MustParseAddr("127.0.0.1")

// tcpServer runs handle for every connection to a real listener on
// 127.0.0.1, port 0, and stops it (waiting for handlers) when the test ends.
func tcpServer(t *testing.T, handle func(c net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				handle(c)
			})
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().(*net.TCPAddr).Port
}

// lineReader reads CRLF lines, skipping telnet IAC sequences.
type lineReader struct{ r *bufio.Reader }

func (l lineReader) line() (string, error) {
	var b strings.Builder
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return b.String(), err
		}
		switch {
		case c == telnet.IAC:
			verb, _ := l.r.ReadByte()
			if verb >= telnet.WILL {
				l.r.ReadByte()
			}
		case c == '\n':
			return strings.TrimRight(b.String(), "\r"), nil
		case c != 0:
			b.WriteByte(c)
		}
	}
}

func newGate(t *testing.T) *Gate {
	t.Helper()
	return NewGate(localhost, 0, nil)
}

func creds(pairs ...string) []Cred {
	var out []Cred
	for _, p := range pairs {
		u, pw, _ := strings.Cut(p, "/")
		out = append(out, Cred{User: u, Pass: pw})
	}
	return out
}
