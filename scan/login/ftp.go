package login

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// ftpConn speaks the control connection of FTP (RFC 959).
type ftpConn struct {
	c net.Conn
	r *bufio.Reader
}

// maxReplyLines caps a multi-line reply.
const maxReplyLines = 32

// ReadFTPReply reads one reply, following multi-line replies ("220-" ...
// "220 "), and returns its code and text.
func ReadFTPReply(r *bufio.Reader) (int, string, error) {
	var text []string
	code := 0
	for range maxReplyLines {
		line, err := readLine(r)
		if err != nil {
			return 0, strings.Join(text, " "), err
		}
		text = append(text, line)
		if len(line) < 3 {
			continue
		}
		n, err := strconv.Atoi(line[:3])
		if err != nil || n < 100 || n > 599 {
			if code == 0 {
				return 0, strings.Join(text, " "), fmt.Errorf("ftp reply %q: %w", Clean(line), errBadReply)
			}
			continue
		}
		if code == 0 {
			code = n
		}
		if n == code && (len(line) == 3 || line[3] == ' ') {
			return code, strings.Join(text, " "), nil
		}
	}
	return 0, strings.Join(text, " "), fmt.Errorf("ftp reply: %w", errBadReply)
}

var errBadReply = fmt.Errorf("malformed reply")

// readLine reads a CRLF or LF line, capped at 1 KiB (the rest is skipped).
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if len(b) < 1024 {
			b = append(b, chunk...)
		}
		if err != nil {
			if err == io.EOF && len(b) > 0 {
				return string(b), nil
			}
			return string(b), err
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

func (f *ftpConn) cmd(line string) (int, string, error) {
	if _, err := f.c.Write([]byte(line + "\r\n")); err != nil {
		return 0, "", err
	}
	return ReadFTPReply(f.r)
}

// FTP tests logins on an FTP service, one connection per try. Before the
// first USER, a command that needs a login (PWD) must be refused with 5xx;
// a login counts only on 230.
func FTP(ctx context.Context, g *Gate, t Target, creds []Cred) (Result, error) {
	res := Result{Accepted: -1}
	for i, c := range limit(creds, MaxAttempts) {
		ok, err := ftpTry(ctx, g, t, c, &res, i == 0)
		if err != nil || !res.Demanded || !res.Identified {
			return res, err
		}
		if ok {
			res.Accepted = i
			res.Proof = "the server answered 230 (logged in)"
			return res, nil
		}
	}
	return res, nil
}

// FTPAnonymous checks whether the server lets the "anonymous" account in
// (RFC 1635), the public convention rather than anyone's password.
func FTPAnonymous(ctx context.Context, g *Gate, t Target) (Result, error) {
	res, err := FTP(ctx, g, t, []Cred{{User: "anonymous", Pass: "guest@example.com"}})
	if res.Accepted == 0 {
		res.Open, res.Accepted = true, -1
		res.Proof = `the server let the "anonymous" account in (230)`
	}
	return res, err
}

func ftpTry(ctx context.Context, g *Gate, t Target, c Cred, res *Result, first bool) (bool, error) {
	conn, err := g.open(ctx, t)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	f := &ftpConn{c: conn, r: bufio.NewReaderSize(conn, 1024)}
	code, banner, err := ReadFTPReply(f.r)
	if err != nil || code != 220 {
		return false, err
	}
	if first {
		res.Shown = Clean(banner)
		code, _, err := f.cmd("PWD")
		if err != nil {
			return false, err
		}
		res.Demanded = code >= 500
		res.Identified = res.Demanded && t.identified(banner)
		if !res.Identified {
			return false, nil
		}
	}
	defer f.cmd("QUIT")
	res.Attempts++
	code, _, err = f.cmd("USER " + oneLine(c.User))
	if err != nil || code == 230 {
		return code == 230, err
	}
	if code != 331 && code != 332 {
		return false, nil
	}
	code, _, err = f.cmd("PASS " + oneLine(c.Pass))
	return code == 230, err
}

// oneLine drops CR and LF so a value can never add a command.
func oneLine(s string) string {
	return strings.NewReplacer("\r", "", "\n", "").Replace(s)
}
