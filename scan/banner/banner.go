// Package banner learns what answers on an open TCP port: the HTTP server,
// its login scheme and page title, the SSH, telnet and FTP greetings, the
// RTSP server, and a printer's make and firmware over IPP. Probes are
// read-only and protocol-correct; binary protocols are named by port without
// a byte sent. Every string that comes back is cleaned and capped here.
package banner

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/porchlight/porchlight/scan/clean"
)

// Config tunes a probe. Zero values take the defaults.
type Config struct {
	// ReadTimeout bounds each read (default 2s).
	ReadTimeout time.Duration
	// Paths are extra HTTP paths to fetch (capped) from web ports, because the
	// vendor rules read them.
	Paths []string
}

func (c Config) withDefaults() Config {
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 2 * time.Second
	}
	return c
}

// Result is what one port said about itself.
type Result struct {
	Port     int
	Protocol string // http, https, ssh, telnet, ftp, rtsp, ipp, mqtt, ...
	Banner   string // greeting or Server header
	Auth     string // basic, digest, form, prompt, none, or ""
	Realm    string
	Title    string
	// Server is the HTTP or RTSP Server header (also in Banner), for identification.
	Server string
	// Bodies maps HTTP paths that answered 2xx to their capped, cleaned bodies.
	Bodies map[string]string
	// Printer facts from IPP.
	MakeModel string
	Firmware  string
	Name      string
}

// Body and header caps. A device page is small; anything larger is not read.
const (
	maxBody   = 64 << 10
	keepBody  = 16 << 10 // cleaned body kept for the rules
	maxHeader = 16 << 10
	maxGreet  = 4 << 10
)

// Probe talks to ip:port with the protocol the port number suggests, or
// waits briefly for a greeting on an unknown port. It never returns an error:
// a port that says nothing useful gives a Result with only Port and maybe
// Protocol. ctx bounds the whole probe.
func Probe(ctx context.Context, ip netip.Addr, port int, cfg Config) Result {
	return ProbeAs(ctx, ip, port, protocolOf(port), cfg)
}

// ProbeAs is Probe with the expected protocol given ("" = read a greeting and
// guess), for services on ports that do not name them.
func ProbeAs(ctx context.Context, ip netip.Addr, port int, protocol string, cfg Config) Result {
	cfg = cfg.withDefaults()
	res := Result{Port: port}
	switch protocol {
	case "http":
		probeHTTP(ctx, ip, port, false, cfg, &res)
	case "https":
		probeHTTP(ctx, ip, port, true, cfg, &res)
	case "ssh":
		probeGreeting(ctx, ip, port, cfg, &res)
	case "telnet":
		probeTelnet(ctx, ip, port, cfg, &res)
	case "ftp":
		probeFTP(ctx, ip, port, cfg, &res)
	case "rtsp":
		probeRTSP(ctx, ip, port, cfg, &res)
	case "ipp":
		probeIPP(ctx, ip, port, cfg, &res)
	case "":
		probeGreeting(ctx, ip, port, cfg, &res)
		if res.Protocol == "" && res.Banner == "" && ctx.Err() == nil {
			// A silent server on a port that names nothing is most often a web
			// server (devices use many high ports); ask it as one.
			probeHTTP(ctx, ip, port, false, cfg, &res)
		}
	default:
		// Binary protocols (MQTT, Cast, Kasa, Dahua): the port names them; we
		// send nothing, because their first message would already be a request.
		res.Protocol = protocol
	}
	return res
}

// protocolOf names the protocol expected on a port, "" when unknown.
func protocolOf(port int) string {
	switch port {
	case 80, 8080, 8000, 8008, 8060, 8081, 8888, 1400, 5000, 7000, 49152, 49153, 7676, 52881, 1900:
		return "http"
	case 443, 8443, 5001:
		return "https"
	case 22, 2222:
		return "ssh"
	case 23, 2323:
		return "telnet"
	case 21, 2121:
		return "ftp"
	case 554, 8554:
		return "rtsp"
	case 631:
		return "ipp"
	case 1883:
		return "mqtt"
	case 8883:
		return "mqtts"
	case 8009:
		return "cast"
	case 9999:
		return "kasa"
	case 37777:
		return "dahua"
	}
	return ""
}

// dial opens a TCP connection bounded by ctx.
func dial(ctx context.Context, ip netip.Addr, port int) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
}

// deadline is the earlier of ctx's deadline and now+d.
func deadline(ctx context.Context, d time.Duration) time.Time {
	t := time.Now().Add(d)
	if dl, ok := ctx.Deadline(); ok && dl.Before(t) {
		return dl
	}
	return t
}

// closeOnDone closes conn when ctx ends, so a blocked read returns at once.
// The returned stop must be called when the conn is no longer used.
func closeOnDone(ctx context.Context, conn net.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() { conn.Close() })
}

func short(s string) string { return clean.String(s, clean.Short) }
func long(s string) string  { return clean.String(s, clean.Long) }
