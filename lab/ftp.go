package lab

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"
)

// serveFTP starts the FTP control server (no data connections: logins and
// banners are what a check needs).
func serveFTP(l *Lab, d *device) error {
	if d.spec.FTP == nil {
		return nil
	}
	ln, err := l.net.listenTCP(d, d.spec.FTP.Port)
	if err != nil {
		return err
	}
	l.serveConns(ln, func(c net.Conn) { d.ftpSession(d.wrapConn(l, "ftp", c)) })
	return nil
}

// parseFTPCommand splits a command line into an upper-case verb and its
// argument (RFC 959 §4.1).
func parseFTPCommand(line string) (string, string) {
	verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
	return strings.ToUpper(strings.TrimSpace(verb)), strings.TrimSpace(arg)
}

// anonymousFTP reports whether anonymous logins work now.
func (d *device) anonymousFTP() bool { return d.spec.FTP.Anonymous && !d.off("ftp-anonymous") }

func (d *device) ftpSession(c net.Conn) {
	br := bufio.NewReaderSize(c, 512)
	say := func(format string, a ...any) bool {
		_ = c.SetWriteDeadline(time.Now().Add(30 * time.Second))
		_, err := fmt.Fprintf(c, format+"\r\n", a...)
		return err == nil
	}
	if !say("220 %s", d.text("ftp", d.expand(d.spec.FTP.Banner))) {
		return
	}
	user, loggedIn, failures := "", false, 0
	for i := 0; i < 200; i++ {
		_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
		line, err := readCappedLine(br)
		if err != nil {
			if err == errLineTooLong {
				say("500 Command line too long.")
			}
			return
		}
		verb, arg := parseFTPCommand(line)
		var reply string
		switch verb {
		case "USER":
			user, loggedIn = arg, false
			reply = "331 Password required for " + cleanEcho(arg) + "."
			if isAnonymous(arg) && d.anonymousFTP() {
				reply = "331 Anonymous login ok, send your complete email address as your password."
			}
		case "PASS":
			switch {
			case user == "":
				reply = "503 Login with USER first."
			case isAnonymous(user) && d.anonymousFTP():
				loggedIn, reply = true, "230 Anonymous access granted, restrictions apply."
			case !isAnonymous(user) && d.checkLogin("ftp", user, arg):
				loggedIn, reply = true, "230 User "+cleanEcho(user)+" logged in."
			default:
				failures++
				reply = "530 Login incorrect."
			}
		case "QUIT":
			say("221 Goodbye.")
			return
		case "SYST":
			reply = "215 UNIX Type: L8"
		case "FEAT":
			reply = "211-Features:\r\n MDTM\r\n REST STREAM\r\n SIZE\r\n UTF8\r\n211 End"
		case "NOOP":
			reply = "200 NOOP command successful."
		case "PWD", "XPWD", "CWD", "TYPE", "LIST", "NLST", "PASV", "EPSV", "RETR", "STOR":
			reply = d.ftpLoggedIn(loggedIn, verb)
		default:
			reply = "500 " + cleanEcho(verb) + " not understood."
		}
		if !say("%s", reply) || failures >= 3 {
			return
		}
	}
}

// ftpLoggedIn answers the commands that need a login; the lab has no files
// and opens no data connections.
func (d *device) ftpLoggedIn(loggedIn bool, verb string) string {
	if !loggedIn {
		return "530 Please login with USER and PASS."
	}
	switch verb {
	case "PWD", "XPWD":
		return `257 "/" is the current directory.`
	case "CWD":
		return "250 CWD command successful."
	case "TYPE":
		return "200 Type set."
	}
	return "425 Unable to build data connection: Connection refused."
}

func isAnonymous(user string) bool {
	return strings.EqualFold(user, "anonymous") || strings.EqualFold(user, "ftp")
}
