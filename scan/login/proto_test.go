package login

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/porchlight/porchlight/scan/telnet"
)

// telnetDVR is a Xiongmai-style DVR telnet service: root/xc3511.
func telnetDVR(tries *atomic.Int32, optionsRefused chan<- bool) func(c net.Conn) {
	return func(c net.Conn) {
		c.Write([]byte{telnet.IAC, telnet.DO, 1, telnet.IAC, telnet.WILL, 3})
		c.Write([]byte("\r\nLocalHost login: "))
		r := bufio.NewReader(c)
		reply := make([]byte, 6)
		_, err := io.ReadFull(r, reply)
		select {
		case optionsRefused <- err == nil && bytes.Equal(reply, []byte{telnet.IAC, telnet.WONT, 1, telnet.IAC, telnet.DONT, 3}):
		default:
		}
		lr := lineReader{r}
		for {
			user, err := lr.line()
			if err != nil {
				return
			}
			c.Write([]byte("Password: "))
			pass, err := lr.line()
			if err != nil {
				return
			}
			tries.Add(1)
			if user == "root" && pass == "xc3511" {
				c.Write([]byte("\r\n\x1b[1;32mWelcome\x1b[0m\r\n# "))
				lr.line()
				return
			}
			c.Write([]byte("\r\nLogin incorrect\r\nLocalHost login: "))
		}
	}
}

func TestTelnet(t *testing.T) {
	tests := []struct {
		name         string
		identify     string
		creds        []Cred
		wantAccepted int
		wantAttempts int
	}{
		{"second try works", "LocalHost", creds("admin/admin", "root/xc3511", "root/vizxv"), 1, 2},
		{"capped at six", "", creds("a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "root/xc3511"), -1, 6},
		{"banner does not match", "BusyBox on Dahua", creds("root/xc3511"), -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tries atomic.Int32
			refused := make(chan bool, 1)
			port := tcpServer(t, telnetDVR(&tries, refused))
			res, err := Telnet(t.Context(), newGate(t), Target{Port: port, Identify: re(tt.identify)}, tt.creds)
			if err != nil {
				t.Fatal(err)
			}
			if res.Accepted != tt.wantAccepted || res.Attempts != tt.wantAttempts || int(tries.Load()) != tt.wantAttempts {
				t.Errorf("Telnet() = accepted %d, attempts %d (device saw %d); want %d, %d", res.Accepted, res.Attempts, tries.Load(), tt.wantAccepted, tt.wantAttempts)
			}
			if !res.Demanded {
				t.Errorf("demanded = false, want true")
			}
			select {
			case ok := <-refused:
				if !ok {
					t.Errorf("the client did not refuse the telnet options with WONT/DONT")
				}
			case <-time.After(5 * time.Second):
				t.Errorf("the device never heard back about its telnet options")
			}
		})
	}
}

func TestTelnetOpenShell(t *testing.T) {
	port := tcpServer(t, func(c net.Conn) {
		c.Write([]byte("\r\nBusyBox v1.19.4 built-in shell (ash)\r\n/ # "))
		lineReader{bufio.NewReader(c)}.line()
	})
	res, err := Telnet(t.Context(), newGate(t), Target{Port: port}, creds("root/xc3511"))
	if err != nil || !res.Open || res.Attempts != 0 {
		t.Errorf("Telnet(open shell) = %+v, %v; want Open with no attempts", res, err)
	}
}

// ftpServer is a NAS FTP service: PWD before login is refused with 530;
// admin/admin or (when anon) anonymous gets 230.
func ftpServer(anon bool, tries *atomic.Int32) func(c net.Conn) {
	return func(c net.Conn) {
		lr := lineReader{bufio.NewReader(c)}
		fmt.Fprintf(c, "220-Welcome\r\n220 WD My Cloud FTP ready\r\n")
		user := ""
		for {
			line, err := lr.line()
			if err != nil {
				return
			}
			cmd, arg, _ := strings.Cut(line, " ")
			switch strings.ToUpper(cmd) {
			case "USER":
				user = arg
				fmt.Fprintf(c, "331 Password required for %s\r\n", user)
			case "PASS":
				tries.Add(1)
				if (user == "admin" && arg == "admin") || (anon && user == "anonymous") {
					fmt.Fprintf(c, "230 Logged in\r\n")
				} else {
					fmt.Fprintf(c, "530 Login incorrect\r\n")
				}
			case "QUIT":
				fmt.Fprintf(c, "221 Bye\r\n")
				return
			default:
				fmt.Fprintf(c, "530 Please login with USER and PASS\r\n")
			}
		}
	}
}

func TestFTP(t *testing.T) {
	var tries atomic.Int32
	port := tcpServer(t, ftpServer(false, &tries))
	res, err := FTP(t.Context(), newGate(t), Target{Port: port, Identify: re("My Cloud")}, creds("root/root", "admin/admin", "x/y"))
	if err != nil || res.Accepted != 1 || res.Attempts != 2 || tries.Load() != 2 || !res.Demanded {
		t.Errorf("FTP() = %+v, %v, device saw %d; want accepted 1 after 2", res, err, tries.Load())
	}
	for _, tt := range []struct {
		name     string
		anon     bool
		wantOpen bool
	}{{"anonymous allowed", true, true}, {"anonymous refused", false, false}} {
		t.Run(tt.name, func(t *testing.T) {
			var tries atomic.Int32
			port := tcpServer(t, ftpServer(tt.anon, &tries))
			res, err := FTPAnonymous(t.Context(), newGate(t), Target{Port: port})
			if err != nil || res.Open != tt.wantOpen || res.Accepted != -1 || tries.Load() != 1 {
				t.Errorf("FTPAnonymous() = %+v, %v (device saw %d); want open %v after 1", res, err, tries.Load(), tt.wantOpen)
			}
		})
	}
}

func TestFTPNeverAskedGetsNothing(t *testing.T) {
	var tries atomic.Int32
	port := tcpServer(t, func(c net.Conn) {
		lr := lineReader{bufio.NewReader(c)}
		fmt.Fprintf(c, "220 ready\r\n")
		for {
			if _, err := lr.line(); err != nil {
				return
			}
			tries.Add(1)
			fmt.Fprintf(c, "257 \"/\" is the current directory\r\n")
		}
	})
	res, err := FTP(t.Context(), newGate(t), Target{Port: port}, creds("admin/admin"))
	if err != nil || res.Demanded || res.Attempts != 0 || tries.Load() != 1 {
		t.Errorf("FTP(no login needed) = %+v, %v, commands %d; want no attempt after 1 PWD", res, err, tries.Load())
	}
}

func sshServer(t *testing.T, keyboardOnly bool, tries *atomic.Int32) int {
	t.Helper()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{ServerVersion: "SSH-2.0-dropbear_2014.63"}
	check := func(user, pass string) error {
		tries.Add(1)
		if user == "admin" && pass == "12345" {
			return nil
		}
		return fmt.Errorf("denied")
	}
	if keyboardOnly {
		cfg.KeyboardInteractiveCallback = func(md ssh.ConnMetadata, ch ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			a, err := ch("", "", []string{"Password: "}, []bool{false})
			if err != nil || len(a) != 1 {
				return nil, fmt.Errorf("no answer")
			}
			return nil, check(md.User(), a[0])
		}
	} else {
		cfg.PasswordCallback = func(md ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			return nil, check(md.User(), string(pw))
		}
	}
	cfg.AddHostKey(signer)
	return tcpServer(t, func(c net.Conn) {
		sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
		if err != nil {
			return
		}
		go ssh.DiscardRequests(reqs)
		for ch := range chans {
			ch.Reject(ssh.Prohibited, "no")
		}
		sc.Close()
	})
}

func TestSSH(t *testing.T) {
	for _, tt := range []struct {
		name         string
		keyboardOnly bool
		creds        []Cred
		wantAccepted int
		wantTries    int
	}{
		{"password", false, creds("admin/admin", "admin/12345"), 1, 2},
		{"keyboard-interactive", true, creds("admin/admin", "admin/12345"), 1, 2},
		{"capped", false, creds("a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "admin/12345"), -1, 6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var tries atomic.Int32
			port := sshServer(t, tt.keyboardOnly, &tries)
			res, err := SSH(t.Context(), newGate(t), Target{Port: port, Identify: re("dropbear")}, tt.creds)
			if err != nil || res.Accepted != tt.wantAccepted || res.Attempts != tt.wantTries || int(tries.Load()) != tt.wantTries {
				t.Errorf("SSH() = %+v, %v (server checked %d); want accepted %d after %d", res, err, tries.Load(), tt.wantAccepted, tt.wantTries)
			}
		})
	}
	t.Run("other server gets nothing", func(t *testing.T) {
		var tries atomic.Int32
		port := sshServer(t, false, &tries)
		res, err := SSH(t.Context(), newGate(t), Target{Port: port, Identify: re("OpenSSH")}, creds("admin/12345"))
		if err != nil || res.Identified || res.Attempts != 0 || tries.Load() != 0 || !res.Demanded {
			t.Errorf("SSH(not identified) = %+v, %v, server checked %d", res, err, tries.Load())
		}
	})
}

// rtspCamera answers DESCRIBE: 200 when open, else Basic admin/12345.
func rtspCamera(open bool, tries *atomic.Int32) func(c net.Conn) {
	return func(c net.Conn) {
		r := bufio.NewReader(c)
		var auth string
		for {
			line, err := lineReader{r}.line()
			if err != nil {
				return
			}
			if v, ok := strings.CutPrefix(line, "Authorization: "); ok {
				auth = v
			}
			if line == "" {
				break
			}
		}
		if auth != "" {
			tries.Add(1)
		}
		if open || auth == "Basic YWRtaW46MTIzNDU=" {
			fmt.Fprintf(c, "RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: 0\r\n\r\n")
			return
		}
		fmt.Fprintf(c, "RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nServer: Hikvision-Webs\r\nWWW-Authenticate: Basic realm=\"Hikvision\"\r\n\r\n")
	}
}

func TestRTSP(t *testing.T) {
	var tries atomic.Int32
	port := tcpServer(t, rtspCamera(false, &tries))
	target := Target{Port: port, Path: "/Streaming/Channels/101", Identify: re("Hikvision")}
	res, err := RTSP(t.Context(), newGate(t), target, creds("admin/admin", "admin/12345"))
	if err != nil || res.Accepted != 1 || res.Attempts != 2 || tries.Load() != 2 {
		t.Errorf("RTSP() = %+v, %v (camera saw %d); want accepted 1 after 2", res, err, tries.Load())
	}
	open, err := RTSPOpen(t.Context(), newGate(t), target)
	if err != nil || open.Open || !open.Demanded {
		t.Errorf("RTSPOpen(protected) = %+v, %v; want demanded, not open", open, err)
	}
	var tries2 atomic.Int32
	port2 := tcpServer(t, rtspCamera(true, &tries2))
	open, err = RTSPOpen(t.Context(), newGate(t), Target{Port: port2})
	if err != nil || !open.Open || tries2.Load() != 0 {
		t.Errorf("RTSPOpen(open) = %+v, %v; want open with no credentials", open, err)
	}
}

// TestMQTTAnonymous runs a real broker (the mosquitto binary, in the
// foreground, on loopback only) once allowing anonymous clients and once not.
func TestMQTTAnonymous(t *testing.T) {
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		t.Skip("mosquitto not installed")
	}
	for _, tt := range []struct {
		name     string
		anon     bool
		wantOpen bool
	}{{"anonymous allowed", true, true}, {"anonymous refused", false, false}} {
		t.Run(tt.name, func(t *testing.T) {
			port := startMosquitto(t, bin, tt.anon)
			res, err := MQTTAnonymous(t.Context(), newGate(t), Target{Port: port})
			if err != nil || res.Open != tt.wantOpen || res.Demanded == tt.wantOpen {
				t.Errorf("MQTTAnonymous() = %+v, %v; want open %v", res, err, tt.wantOpen)
			}
		})
	}
}

func startMosquitto(t *testing.T, bin string, anon bool) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous %v\n", port, anon)
	// With anonymous clients refused and no password file, mosquitto 2
	// refuses every client: all we need to see is the refusal.
	cf := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", cf)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// mosquitto logs "mosquitto version ... running" to stderr once its
	// sockets listen: wait for that line.
	ready := make(chan bool, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), " running") { // logged after the socket listens
				ready <- true
				io.Copy(io.Discard, stderr)
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("mosquitto stopped before listening: %s", log.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("mosquitto did not start listening within 5s")
	}
	return port
}
