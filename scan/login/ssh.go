package login

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
)

// errStop aborts an SSH auth method before it sends anything; used to learn
// which methods the server offers without sending a credential.
var errStop = errors.New("login: probe only")

// versionConn records the first bytes the server sends (its version line).
type versionConn struct {
	net.Conn
	mu   sync.Mutex
	seen []byte // guarded by mu
}

func (c *versionConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	if len(c.seen) < 256 {
		c.seen = append(c.seen, p[:min(n, 256-len(c.seen))]...)
	}
	c.mu.Unlock()
	return n, err
}

func (c *versionConn) version() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	line, _, _ := strings.Cut(string(c.seen), "\n")
	return Clean(line)
}

// SSH tests password logins on an SSH service, one connection per try,
// using "password" or, when the server only offers it, "keyboard-interactive"
// (answering the password to its prompts). The server must first refuse the
// "none" method; a login counts only when the server accepts authentication.
func SSH(ctx context.Context, g *Gate, t Target, creds []Cred) (Result, error) {
	res := Result{Accepted: -1}
	var pw, ki bool
	probe := []ssh.AuthMethod{
		ssh.PasswordCallback(func() (string, error) { pw = true; return "", errStop }),
		ssh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			ki = true
			return nil, errStop
		}),
	}
	shown, err := sshConnect(ctx, g, t, "root", probe)
	res.Shown = shown
	if err == nil {
		res.Open = true
		res.Proof = "the SSH server let us in without any password"
		return res, nil
	}
	if res.Demanded = pw || ki; !res.Demanded {
		return res, nil
	}
	if res.Identified = t.identified(shown); !res.Identified {
		return res, nil
	}
	for i, c := range limit(creds, MaxAttempts) {
		method := ssh.Password(c.Pass)
		if !pw {
			method = ssh.KeyboardInteractive(answerPassword(c.Pass))
		}
		res.Attempts++
		_, err := sshConnect(ctx, g, t, c.User, []ssh.AuthMethod{method})
		if err == nil {
			res.Accepted = i
			res.Proof = "the SSH server accepted the login"
			return res, nil
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

// answerPassword answers each hidden prompt with the password, and nothing else.
func answerPassword(pass string) ssh.KeyboardInteractiveChallenge {
	return func(_, _ string, questions []string, echos []bool) ([]string, error) {
		answers := make([]string, len(questions))
		for i := range questions {
			if !echos[i] {
				answers[i] = pass
			}
		}
		return answers, nil
	}
}

// sshConnect opens one connection and authenticates; it returns the server's
// version line and nil only when the server accepted authentication.
func sshConnect(ctx context.Context, g *Gate, t Target, user string, auth []ssh.AuthMethod) (string, error) {
	conn, err := g.open(ctx, t)
	if err != nil {
		return "", err
	}
	vc := &versionConn{Conn: conn}
	defer vc.Close()
	cfg := &ssh.ClientConfig{
		User: user,
		Auth: auth,
		// We test the login, not the host: the key is irrelevant and nothing
		// secret beyond the documented default is sent.
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), //nolint:gosec
		ClientVersion:   "SSH-2.0-porchlight",
		Timeout:         t.timeout(),
	}
	c, chans, reqs, err := ssh.NewClientConn(vc, g.addr(t.Port), cfg)
	if err != nil {
		return vc.version(), err
	}
	ssh.NewClient(c, chans, reqs).Close()
	return vc.version(), nil
}
