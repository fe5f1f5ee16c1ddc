package banner

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
)

// rawGet is the fallback when net/http refuses a response (a control byte in
// a header is enough): a plain HTTP/1.0 GET parsed leniently, so a device
// that sends escape sequences is still seen, with the sequences stripped.
func rawGet(ctx context.Context, ip netip.Addr, port int, useTLS bool, path string, cfg Config) (page, error) {
	conn, err := dial(ctx, ip, port)
	if err != nil {
		return page{}, err
	}
	defer conn.Close()
	defer closeOnDone(ctx, conn)()
	conn.SetDeadline(deadline(ctx, cfg.ReadTimeout))
	if useTLS {
		tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // banner read only
		defer tc.Close()
		conn = tc
	}
	host := net.JoinHostPort(ip.String(), strconv.Itoa(port))
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.0\r\nHost: "+host+"\r\nUser-Agent: porchlight\r\n\r\n"); err != nil {
		return page{}, err
	}
	data, _ := io.ReadAll(io.LimitReader(conn, maxHeader+maxBody))
	return ParseRawResponse(data)
}

var errNotHTTP = errors.New("banner: not an HTTP response")

// ParseRawResponse splits an HTTP/1.x response into status, headers and body
// without rejecting odd bytes; header lines without a colon are skipped.
func ParseRawResponse(data []byte) (page, error) {
	head, body, found := bytes.Cut(data, []byte("\r\n\r\n"))
	if !found {
		head, body, _ = bytes.Cut(data, []byte("\n\n"))
	}
	if len(head) > maxHeader {
		head = head[:maxHeader]
	}
	lines := strings.Split(string(head), "\n")
	proto, rest, _ := strings.Cut(strings.TrimRight(lines[0], "\r"), " ")
	code, _, _ := strings.Cut(rest, " ")
	status, err := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "HTTP/") || err != nil || status < 100 || status > 999 {
		return page{}, errNotHTTP
	}
	hdr := http.Header{}
	for _, line := range lines[1:] {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || len(hdr) >= 100 {
			continue
		}
		hdr.Add(textproto.CanonicalMIMEHeaderKey(k), strings.TrimSpace(v))
	}
	if len(body) > maxBody {
		body = body[:maxBody]
	}
	return page{status: status, header: hdr, body: body}, nil
}
