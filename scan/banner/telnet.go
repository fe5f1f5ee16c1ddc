package banner

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"github.com/porchlight/porchlight/scan/telnet"
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
	readTelnet(ctx, conn, nil, cfg, res)
}

// readTelnet carries on a telnet conversation on conn, first being what the
// server has already sent: the greeting probe continues on its own
// connection, since many devices allow one telnet session at a time.
func readTelnet(ctx context.Context, conn net.Conn, first []byte, cfg Config, res *Result) {
	conn.SetDeadline(deadline(ctx, cfg.ReadTimeout))
	var (
		tf   telnet.Filter
		text []byte
		buf  = make([]byte, 512)
	)
	res.Protocol = "telnet"
	// take feeds b through the filter and says whether the greeting is done.
	take := func(b []byte) bool {
		plain, reply := tf.Feed(b)
		text = append(text, plain...)
		if len(reply) > 0 {
			if _, err := conn.Write(reply); err != nil {
				return true
			}
		}
		if Prompt(text) {
			res.Auth = "prompt"
			return true
		}
		return len(text) >= maxGreet
	}
	for done := take(first); !done; {
		n, err := conn.Read(buf)
		done = take(buf[:n]) || err != nil
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
