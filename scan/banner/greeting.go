package banner

import (
	"bufio"
	"context"
	"io"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan/telnet"
)

// probeGreeting reads what a server says first (SSH, or any unknown port)
// without sending anything, and names the protocol from it.
func probeGreeting(ctx context.Context, ip netip.Addr, port int, cfg Config, res *Result) {
	conn, err := dial(ctx, ip, port)
	if err != nil {
		return
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	wait := cfg.ReadTimeout
	if protocolOf(port) == "" {
		wait = min(wait, 800*time.Millisecond) // most unknown ports are silent servers
	}
	conn.SetReadDeadline(deadline(ctx, wait))
	buf := make([]byte, 1024)
	n, _ := io.ReadAtLeast(conn, buf, 1)
	proto, text := ClassifyGreeting(buf[:n])
	res.Protocol, res.Banner = proto, text
	if res.Protocol == "" {
		res.Protocol = protocolOf(port)
	}
	if res.Protocol == "telnet" {
		// A telnet server on an unusual port: finish the conversation properly.
		readTelnet(ctx, conn, buf[:n], cfg, res)
	}
}

// ClassifyGreeting names the protocol of a server's first bytes (ssh, ftp,
// telnet, smtp, or "" when unknown) and returns the cleaned greeting line.
func ClassifyGreeting(b []byte) (protocol, text string) {
	if len(b) > 0 && b[0] == telnet.IAC {
		return "telnet", ""
	}
	s := string(b)
	// SSH allows lines before the identification string (RFC 4253 §4.2).
	for line := range strings.SplitSeq(s, "\n") {
		if strings.HasPrefix(line, "SSH-") {
			return "ssh", short(strings.TrimRight(line, "\r"))
		}
	}
	first, _, _ := strings.Cut(s, "\n")
	first = strings.TrimRight(first, "\r")
	switch {
	case strings.HasPrefix(first, "220") && strings.Contains(strings.ToUpper(first), "SMTP"):
		return "smtp", long(first)
	case strings.HasPrefix(first, "220"):
		return "ftp", long(first)
	}
	return "", long(first)
}

// probeFTP reads the 220 greeting (all lines of a multi-line one) and says QUIT.
func probeFTP(ctx context.Context, ip netip.Addr, port int, cfg Config, res *Result) {
	conn, err := dial(ctx, ip, port)
	if err != nil {
		return
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	conn.SetDeadline(deadline(ctx, cfg.ReadTimeout))
	tp := textproto.NewReader(bufio.NewReader(io.LimitReader(conn, maxGreet)))
	_, msg, err := tp.ReadResponse(220)
	if err != nil && msg == "" {
		return
	}
	res.Protocol, res.Banner, res.Auth = "ftp", long(msg), "prompt"
	io.WriteString(conn, "QUIT\r\n")
}

// probeRTSP asks OPTIONS (what the server is) and DESCRIBE (whether it wants a
// login, and in which realm) without credentials.
func probeRTSP(ctx context.Context, ip netip.Addr, port int, cfg Config, res *Result) {
	conn, err := dial(ctx, ip, port)
	if err != nil {
		return
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	conn.SetDeadline(deadline(ctx, cfg.ReadTimeout))
	url := "rtsp://" + ip.String() + ":" + strconv.Itoa(port) + "/"
	br := bufio.NewReader(io.LimitReader(conn, 2*maxHeader))
	status, hdr, err := rtspRequest(conn, br, "OPTIONS", url, 1)
	if err != nil {
		return
	}
	res.Protocol = "rtsp"
	res.Server = short(hdr.Get("Server"))
	res.Banner = res.Server
	if status == 401 {
		res.Auth, res.Realm = ParseWWWAuthenticate(hdr.Values("Www-Authenticate"))
		return
	}
	status, hdr, err = rtspRequest(conn, br, "DESCRIBE", url, 2)
	if err != nil {
		return
	}
	if res.Server == "" {
		res.Server = short(hdr.Get("Server"))
		res.Banner = res.Server
	}
	switch status {
	case 401:
		res.Auth, res.Realm = ParseWWWAuthenticate(hdr.Values("Www-Authenticate"))
	case 200:
		res.Auth = "none"
	}
}

// rtspRequest sends one request and reads the status and headers of the answer,
// skipping any body it announces.
func rtspRequest(w io.Writer, br *bufio.Reader, method, url string, cseq int) (int, textproto.MIMEHeader, error) {
	req := method + " " + url + " RTSP/1.0\r\nCSeq: " + strconv.Itoa(cseq) + "\r\nUser-Agent: porchlight\r\n"
	if method == "DESCRIBE" {
		req += "Accept: application/sdp\r\n"
	}
	if _, err := io.WriteString(w, req+"\r\n"); err != nil {
		return 0, nil, err
	}
	return ReadRTSPResponse(br)
}

// ReadRTSPResponse parses an RTSP status line and headers, and discards a
// body of up to maxHeader bytes.
func ReadRTSPResponse(br *bufio.Reader) (int, textproto.MIMEHeader, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return 0, nil, err
	}
	proto, rest, _ := strings.Cut(line, " ")
	if !strings.HasPrefix(proto, "RTSP/") {
		return 0, nil, errNotRTSP
	}
	code, _, _ := strings.Cut(rest, " ")
	status, err := strconv.Atoi(code)
	if err != nil || status < 100 || status > 999 {
		return 0, nil, errNotRTSP
	}
	hdr, err := tp.ReadMIMEHeader()
	if err != nil && hdr == nil {
		return 0, nil, err
	}
	if n, err := strconv.Atoi(hdr.Get("Content-Length")); err == nil && n > 0 && n <= maxHeader {
		io.CopyN(io.Discard, br, int64(n))
	}
	return status, hdr, nil
}

type protoError string

func (e protoError) Error() string { return string(e) }

const errNotRTSP = protoError("banner: not an RTSP response")
