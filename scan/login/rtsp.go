package login

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"
)

// RTSPResponse is the status and headers of an RTSP answer.
type RTSPResponse struct {
	Status int
	Header textproto.MIMEHeader
}

// ReadRTSPResponse reads an RTSP status line and headers, at most 16 KiB.
func ReadRTSPResponse(r io.Reader) (RTSPResponse, error) {
	tp := textproto.NewReader(bufio.NewReader(io.LimitReader(r, 16<<10)))
	line, err := tp.ReadLine()
	if err != nil {
		return RTSPResponse{}, fmt.Errorf("rtsp status line: %w", err)
	}
	proto, rest, _ := strings.Cut(line, " ")
	code, _, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "RTSP/") || err != nil || n < 100 || n > 999 {
		return RTSPResponse{}, fmt.Errorf("rtsp status line %q: %w", Clean(line), errBadReply)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return RTSPResponse{Status: n}, fmt.Errorf("rtsp headers: %w", err)
	}
	return RTSPResponse{Status: n, Header: h}, nil
}

// describe sends one DESCRIBE on a fresh connection.
func (g *Gate) describe(ctx context.Context, t Target, auth string) (RTSPResponse, error) {
	conn, err := g.open(ctx, t)
	if err != nil {
		return RTSPResponse{}, err
	}
	defer conn.Close()
	req := "DESCRIBE " + g.rtspURL(t) + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\nUser-Agent: porchlight\r\n"
	if auth != "" {
		req += "Authorization: " + auth + "\r\n"
	}
	if _, err := conn.Write([]byte(req + "\r\n")); err != nil {
		return RTSPResponse{}, fmt.Errorf("rtsp describe %s: %w", g.addr(t.Port), err)
	}
	return ReadRTSPResponse(conn)
}

func (g *Gate) rtspURL(t Target) string {
	return "rtsp://" + g.addr(t.Port) + oneLine(t.path())
}

// RTSPOpen checks whether the stream at t.Path plays with no password:
// DESCRIBE without credentials answered 200.
func RTSPOpen(ctx context.Context, g *Gate, t Target) (Result, error) {
	res := Result{Accepted: -1}
	r, err := g.describe(ctx, t, "")
	if err != nil {
		return res, err
	}
	res.Shown = Clean(r.Header.Get("Server"))
	res.Demanded = r.Status == 401
	if r.Status == 200 {
		res.Open = true
		res.Proof = "the video stream answered without asking for a password (RTSP 200)"
	}
	return res, nil
}

// RTSP tests Basic or Digest logins on the stream at t.Path: DESCRIBE
// without credentials must be refused with 401; a login counts only on 200.
func RTSP(ctx context.Context, g *Gate, t Target, creds []Cred) (Result, error) {
	res := Result{Accepted: -1}
	pre, err := g.describe(ctx, t, "")
	if err != nil || pre.Status != 401 {
		return res, err
	}
	cs := ParseChallenges(pre.Header.Values("WWW-Authenticate"))
	dg, basic := pickDigest(cs), find(cs, "basic")
	if dg == nil && basic == nil {
		return res, nil
	}
	res.Demanded = true
	realm := ""
	if basic != nil {
		realm = basic.Params["realm"]
	}
	if dg != nil {
		realm = dg.ch.Params["realm"]
	}
	res.Shown = Clean(realm + " " + pre.Header.Get("Server"))
	if res.Identified = t.identified(realm, pre.Header.Get("Server")); !res.Identified {
		return res, nil
	}
	for i, c := range limit(creds, MaxAttempts) {
		auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(c.User+":"+c.Pass))
		if dg != nil {
			auth = dg.authorization("DESCRIBE", g.rtspURL(t), c)
		}
		res.Attempts++
		r, err := g.describe(ctx, t, auth)
		if err != nil {
			return res, err
		}
		if r.Status == 200 {
			res.Accepted = i
			res.Proof = "the stream that refused us without a password (401) answered with it (200)"
			return res, nil
		}
		if next := pickDigest(ParseChallenges(r.Header.Values("WWW-Authenticate"))); dg != nil && next != nil {
			dg = next
		}
	}
	return res, nil
}
