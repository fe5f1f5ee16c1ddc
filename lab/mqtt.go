package lab

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// MQTT control packet types (MQTT 3.1.1 §2.2.1).
const (
	mqttCONNECT    = 1
	mqttCONNACK    = 2
	mqttPUBLISH    = 3
	mqttPUBACK     = 4
	mqttSUBSCRIBE  = 8
	mqttSUBACK     = 9
	mqttPINGREQ    = 12
	mqttPINGRESP   = 13
	mqttDISCONNECT = 14
)

// CONNACK return codes (MQTT 3.1.1 §3.2.2.3).
const (
	connAccepted       = 0
	connBadProtocol    = 1
	connBadCredentials = 4
	connNotAuthorized  = 5
)

// maxMQTTPacket caps a packet the lab will read.
const maxMQTTPacket = 64 << 10

var errBadMQTT = errors.New("mqtt: malformed packet")

// readMQTT reads one control packet: type, flags and body.
func readMQTT(r io.ByteReader, body io.Reader) (byte, byte, []byte, error) {
	first, err := r.ReadByte()
	if err != nil {
		return 0, 0, nil, err
	}
	n, mult := 0, 1
	for i := 0; ; i++ {
		b, err := r.ReadByte()
		if err != nil {
			return 0, 0, nil, err
		}
		if i == 3 && b&0x80 != 0 {
			return 0, 0, nil, fmt.Errorf("%w: remaining length over 4 bytes", errBadMQTT)
		}
		n += int(b&0x7f) * mult
		mult *= 128
		if b&0x80 == 0 {
			break
		}
	}
	if n > maxMQTTPacket {
		return 0, 0, nil, fmt.Errorf("%w: %d bytes", errBadMQTT, n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(body, buf); err != nil {
		return 0, 0, nil, err
	}
	return first >> 4, first & 0x0f, buf, nil
}

// mqttConnect is what a CONNECT says.
type mqttConnect struct {
	Protocol string
	Level    byte
	ClientID string
	User     string
	HasUser  bool
	Password string
	HasPass  bool
}

// parseConnect reads a CONNECT body (MQTT 3.1.1 §3.1, and 3.1's MQIsdp).
func parseConnect(b []byte) (mqttConnect, error) {
	var c mqttConnect
	p := &mqttParser{b: b}
	c.Protocol = p.str()
	c.Level = p.byte()
	flags := p.byte()
	p.uint16() // keep alive
	c.ClientID = p.str()
	if flags&0x04 != 0 { // will flag: topic and message
		p.str()
		p.str()
	}
	if flags&0x80 != 0 {
		c.User, c.HasUser = p.str(), true
	}
	if flags&0x40 != 0 {
		c.Password, c.HasPass = p.str(), true
	}
	if p.err != nil {
		return mqttConnect{}, p.err
	}
	if flags&0x01 != 0 {
		return mqttConnect{}, fmt.Errorf("%w: reserved flag set", errBadMQTT)
	}
	return c, nil
}

// mqttParser reads MQTT fields, remembering the first error.
type mqttParser struct {
	b   []byte
	err error
}

func (p *mqttParser) need(n int) bool {
	if p.err == nil && len(p.b) < n {
		p.err = fmt.Errorf("%w: truncated", errBadMQTT)
	}
	return p.err == nil
}

func (p *mqttParser) byte() byte {
	if !p.need(1) {
		return 0
	}
	v := p.b[0]
	p.b = p.b[1:]
	return v
}

func (p *mqttParser) uint16() uint16 {
	if !p.need(2) {
		return 0
	}
	v := binary.BigEndian.Uint16(p.b)
	p.b = p.b[2:]
	return v
}

func (p *mqttParser) str() string {
	n := int(p.uint16())
	if !p.need(n) {
		return ""
	}
	s := string(p.b[:n])
	p.b = p.b[n:]
	return s
}

// serveMQTT starts the broker.
func serveMQTT(l *Lab, d *device) error {
	if d.spec.MQTT == nil {
		return nil
	}
	ln, err := l.net.listenTCP(d, d.spec.MQTT.Port)
	if err != nil {
		return err
	}
	l.serveConns(ln, func(c net.Conn) { d.mqttSession(d.wrapConn(l, "mqtt", c)) })
	return nil
}

// mqttAccept decides a CONNECT's return code.
func (d *device) mqttAccept(c mqttConnect) byte {
	switch {
	case !(c.Protocol == "MQTT" && c.Level == 4) && !(c.Protocol == "MQIsdp" && c.Level == 3):
		return connBadProtocol
	case !c.HasUser:
		if d.spec.MQTT.Anonymous && !d.off("mqtt-anonymous") {
			return connAccepted
		}
		return connNotAuthorized
	case d.checkLogin("mqtt", c.User, c.Password):
		return connAccepted
	}
	return connBadCredentials
}

func (d *device) mqttSession(c net.Conn) {
	br := bufio.NewReaderSize(c, 1024)
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	typ, _, body, err := readMQTT(br, br)
	if err != nil || typ != mqttCONNECT {
		return
	}
	conn, err := parseConnect(body)
	if err != nil {
		return
	}
	rc := d.mqttAccept(conn)
	if _, err := c.Write([]byte{mqttCONNACK << 4, 2, 0, rc}); err != nil || rc != connAccepted {
		return
	}
	for {
		_ = c.SetDeadline(time.Now().Add(90 * time.Second))
		typ, flags, body, err := readMQTT(br, br)
		if err != nil {
			return
		}
		var reply []byte
		switch typ {
		case mqttPINGREQ:
			reply = []byte{mqttPINGRESP << 4, 0}
		case mqttSUBSCRIBE:
			reply = suback(body)
		case mqttPUBLISH:
			reply = puback(flags, body)
		case mqttDISCONNECT:
			return
		}
		if reply != nil {
			if _, err := c.Write(reply); err != nil {
				return
			}
		}
	}
}

// suback grants QoS 0 for every topic filter of a SUBSCRIBE.
func suback(body []byte) []byte {
	p := &mqttParser{b: body}
	id := p.uint16()
	var codes []byte
	for p.err == nil && len(p.b) > 0 && len(codes) < 100 {
		p.str()
		p.byte()
		codes = append(codes, 0)
	}
	if p.err != nil || len(codes) == 0 {
		return nil
	}
	out := []byte{mqttSUBACK << 4, byte(2 + len(codes)), byte(id >> 8), byte(id)}
	return append(out, codes...)
}

// puback acknowledges a QoS 1 PUBLISH.
func puback(flags byte, body []byte) []byte {
	if (flags>>1)&3 != 1 {
		return nil
	}
	p := &mqttParser{b: body}
	p.str()
	id := p.uint16()
	if p.err != nil {
		return nil
	}
	return []byte{mqttPUBACK << 4, 2, byte(id >> 8), byte(id)}
}
