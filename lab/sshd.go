package lab

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"time"

	"golang.org/x/crypto/ssh"
)

// serveSSH starts an SSH server that takes password logins. Its host key is
// derived from the device's MAC, so the fingerprint is stable across runs
// (as a real device's is) and known_hosts does not complain in class.
func serveSSH(l *Lab, d *device) error {
	if d.spec.SSH == nil {
		return nil
	}
	seed := sha256.Sum256([]byte("porchlight-lab-ssh:" + d.mac.String()))
	signer, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		return fmt.Errorf("lab: %s: ssh host key: %w", d.spec.ID, err)
	}
	cfg := &ssh.ServerConfig{
		ServerVersion: d.spec.SSH.Version,
		MaxAuthTries:  3,
		PasswordCallback: func(meta ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if d.checkLogin("ssh", meta.User(), string(pw)) {
				return nil, nil
			}
			return nil, fmt.Errorf("lab: ssh login refused for %q", meta.User())
		},
	}
	cfg.AddHostKey(signer)
	ln, err := l.net.listenTCP(d, d.spec.SSH.Port)
	if err != nil {
		return err
	}
	l.serveConns(ln, func(c net.Conn) { d.sshSession(d.wrapConn(l, "ssh", c), cfg) })
	return nil
}

func (d *device) sshSession(c net.Conn, cfg *ssh.ServerConfig) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	conn, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	defer conn.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Minute))
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for r := range chReqs {
				_ = r.Reply(r.Type == "shell" || r.Type == "pty-req" || r.Type == "exec", nil)
			}
		}()
		_, _ = io.WriteString(ch, "\r\n\r\nBusyBox v1.19.4 (2019-03-12 10:21:46 CST) built-in shell (ash)\r\nEnter 'help' for a list of built-in commands.\r\n\r\n# ")
		_, _ = io.Copy(io.Discard, io.LimitReader(ch, 4096))
		_ = ch.Close()
	}
}
