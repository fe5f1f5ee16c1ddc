package lab

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxRTSPHeader caps an RTSP request head; maxRTSPBody caps a body we skip.
const (
	maxRTSPHeader = 8 << 10
	maxRTSPBody   = 4 << 10
)

// rtspRequest is a parsed RTSP request head.
type rtspRequest struct {
	Method, URI string
	CSeq        string
	Header      textproto.MIMEHeader
}

var errBadRTSP = errors.New("rtsp: malformed request")

// readRTSP reads one request head (RFC 2326 §6) and skips its body. It
// reads straight from r, so pipelined requests are not lost, and caps the
// head at maxRTSPHeader bytes and 64 header lines.
func readRTSP(r *bufio.Reader) (rtspRequest, error) {
	line, err := readCappedLine(r)
	if err != nil {
		return rtspRequest{}, err
	}
	parts := strings.Fields(line)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "RTSP/1.") {
		return rtspRequest{}, fmt.Errorf("%w: %.40q", errBadRTSP, line)
	}
	h := textproto.MIMEHeader{}
	size := len(line)
	for n := 0; ; n++ {
		l, err := readCappedLine(r)
		if err != nil {
			return rtspRequest{}, err
		}
		if l == "" {
			break
		}
		size += len(l)
		if n >= 64 || size > maxRTSPHeader {
			return rtspRequest{}, fmt.Errorf("%w: head too large", errBadRTSP)
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return rtspRequest{}, fmt.Errorf("%w: header line %.40q", errBadRTSP, l)
		}
		h.Add(textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(k)), strings.TrimSpace(v))
	}
	req := rtspRequest{Method: parts[0], URI: parts[1], CSeq: h.Get("CSeq"), Header: h}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n > 0 {
		if n > maxRTSPBody {
			return rtspRequest{}, fmt.Errorf("%w: body of %d bytes", errBadRTSP, n)
		}
		if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
			return rtspRequest{}, err
		}
	}
	return req, nil
}

// readCappedLine reads one line (LF or CR LF) of at most the reader's
// buffer size; a longer line is an error, not an allocation.
func readCappedLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", errLineTooLong
		}
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// serveRTSP starts the camera's RTSP server.
func serveRTSP(l *Lab, d *device) error {
	if d.spec.RTSP == nil {
		return nil
	}
	ln, err := l.net.listenTCP(d, d.spec.RTSP.Port)
	if err != nil {
		return err
	}
	l.serveConns(ln, func(c net.Conn) { d.rtspSession(d.wrapConn(l, "rtsp", c)) })
	return nil
}

// rtspSession answers OPTIONS freely (as cameras do) and DESCRIBE only with
// a login, one request at a time, each read with its own deadline.
func (d *device) rtspSession(c net.Conn) {
	br := bufio.NewReaderSize(c, 1024)
	for i := 0; i < 100; i++ {
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		req, err := readRTSP(br)
		if err != nil {
			return
		}
		if _, err := c.Write(d.rtspReply(req)); err != nil {
			return
		}
	}
}

func (d *device) rtspReply(req rtspRequest) []byte {
	spec := d.spec.RTSP
	head := func(status string) *strings.Builder {
		var b strings.Builder
		fmt.Fprintf(&b, "RTSP/1.0 %s\r\nCSeq: %s\r\n", status, cleanEcho(req.CSeq))
		if spec.Server != "" {
			fmt.Fprintf(&b, "Server: %s\r\n", d.text("rtsp", spec.Server))
		}
		fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format("Mon, Jan 02 2006 15:04:05 GMT"))
		return &b
	}
	switch req.Method {
	case "OPTIONS":
		b := head("200 OK")
		b.WriteString("Public: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\n\r\n")
		return []byte(b.String())
	case "DESCRIBE":
		return d.rtspDescribe(req, head)
	case "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER", "SET_PARAMETER":
		b := head("454 Session Not Found")
		b.WriteString("\r\n")
		return []byte(b.String())
	}
	b := head("501 Not Implemented")
	b.WriteString("\r\n")
	return []byte(b.String())
}

func (d *device) rtspDescribe(req rtspRequest, head func(string) *strings.Builder) []byte {
	spec := d.spec.RTSP
	if spec.Auth != authNone {
		if _, ok := d.authorizeHeader(req.Header.Get("Authorization"), req.Method, "rtsp", spec.Auth, spec.Realm, d.keys); !ok {
			b := head("401 Unauthorized")
			if spec.Auth == authDigest || spec.Auth == authBoth {
				fmt.Fprintf(b, "WWW-Authenticate: Digest realm=%q, nonce=%q, stale=\"FALSE\"\r\n", spec.Realm, d.keys.nonce(time.Now()))
			}
			if spec.Auth == authBasic || spec.Auth == authBoth {
				fmt.Fprintf(b, "WWW-Authenticate: Basic realm=%q\r\n", spec.Realm)
			}
			b.WriteString("\r\n")
			return []byte(b.String())
		}
	}
	if u, err := url.Parse(req.URI); err != nil || !strings.EqualFold(strings.TrimSuffix(u.Path, "/"), spec.Path) {
		b := head("404 Not Found")
		b.WriteString("\r\n")
		return []byte(b.String())
	}
	sdp := d.sdp()
	b := head("200 OK")
	fmt.Fprintf(b, "Content-Base: %s/\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s", cleanEcho(req.URI), len(sdp), sdp)
	return []byte(b.String())
}

// sdp describes one H.264 video stream, as a camera's main channel does.
func (d *device) sdp() string {
	return fmt.Sprintf("v=0\r\no=- 1109162014219182 1109162014219192 IN IP4 %[1]s\r\ns=Media Presentation\r\ne=NONE\r\nb=AS:5050\r\nt=0 0\r\n"+
		"a=control:*\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:5000\r\na=recvonly\r\n"+
		"a=x-dimensions:2688,1520\r\na=control:trackID=1\r\na=rtpmap:96 H264/90000\r\n"+
		"a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKpY1QPAET8s3AQEBAg==,aO48gA==\r\n", d.addr)
}
