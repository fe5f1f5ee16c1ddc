package banner

import (
	"context"
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
	conn.SetDeadline(deadline(ctx, cfg.ReadTimeout))
	var (
		tf   telnet.Filter
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
