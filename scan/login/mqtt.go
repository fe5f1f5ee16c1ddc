package login

import (
	"context"
	"fmt"
	"io"
)

// connect is an MQTT 3.1.1 CONNECT with no username or password, clean
// session, keep-alive 60 s and client id "porchlight".
var connect = []byte{
	0x10, 22, // CONNECT, remaining length
	0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, // protocol name, level 4, clean session, keep-alive
	0, 10, 'p', 'o', 'r', 'c', 'h', 'l', 'i', 'g', 'h', 't',
}

var disconnect = []byte{0xe0, 0}

// ParseConnack reads a CONNACK packet and returns its return code (0 means
// accepted; 4 bad user name or password; 5 not authorised).
func ParseConnack(p []byte) (int, error) {
	if len(p) < 4 || p[0] != 0x20 || p[1] != 2 {
		return 0, fmt.Errorf("mqtt connack % x: %w", p[:min(len(p), 8)], errBadReply)
	}
	return int(p[3]), nil
}

// MQTTAnonymous checks whether an MQTT broker accepts a connection with no
// credentials at all (CONNACK return code 0): anyone on the network could
// then read and send the device's messages.
func MQTTAnonymous(ctx context.Context, g *Gate, t Target) (Result, error) {
	res := Result{Accepted: -1}
	conn, err := g.open(ctx, t)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	if _, err := conn.Write(connect); err != nil {
		return res, fmt.Errorf("mqtt connect to %s: %w", g.addr(t.Port), err)
	}
	ack := make([]byte, 4)
	if _, err := io.ReadFull(conn, ack); err != nil {
		return res, fmt.Errorf("mqtt connack from %s: %w", g.addr(t.Port), err)
	}
	rc, err := ParseConnack(ack)
	if err != nil {
		return res, err
	}
	switch rc {
	case 0:
		res.Open = true
		res.Proof = "the MQTT broker accepted a connection with no user name or password"
		conn.Write(disconnect)
	case 4, 5:
		res.Demanded = true
	}
	return res, nil
}
