// Package unicast sends one UDP query to one address and reads the answers,
// sending the query once more after silence, as real clients do (a dropped
// datagram, a device slow to wake, or this computer too busy to read the
// answer before the window closed). SSDP, mDNS and SADP share it.
package unicast

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Wait gives the window for a first try. It is asked again before the
// second try, so a scan's estimate of how long answers take (scan/rtt) can
// have grown in between.
type Wait func() time.Duration

// Fixed is a Wait that never changes.
func Fixed(d time.Duration) Wait { return func() time.Duration { return d } }

// Handler reads one datagram: ok says it was an answer to the query, stop
// that no more are wanted.
type Handler func(b []byte) (ok, stop bool)

// Ask writes msg on conn (a connected UDP socket) and hands each datagram to
// handle until the window (wait) passes, handle says stop, or the host refuses (an ICMP
// port unreachable, which ends the exchange at once). If the first window
// brings no answer, msg is sent once more and a second window, twice as long,
// is read: anything that arrived late is read first. It returns how many
// times msg was sent; the error is a failed first write or ctx's.
func Ask(ctx context.Context, conn net.Conn, msg []byte, wait Wait, maxPacket int, handle Handler) (int, error) {
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Now()) })
	defer stop()
	buf := make([]byte, maxPacket)
	sent := 0
	for try := 1; try <= 2; try++ {
		if _, err := conn.Write(msg); err != nil {
			if sent == 0 {
				return 0, fmt.Errorf("unicast: send to %s: %w", conn.RemoteAddr(), err)
			}
			return sent, nil
		}
		sent++
		answered, err := read(ctx, conn, buf, time.Duration(try)*wait(), handle)
		if answered || !isTimeout(err) || ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
	return sent, nil
}

// read hands datagrams to handle until the window ends; answered says one
// was an answer, err why reading ended (nil when handle said stop).
func read(ctx context.Context, conn net.Conn, buf []byte, window time.Duration, handle Handler) (answered bool, err error) {
	if err := conn.SetReadDeadline(time.Now().Add(window)); err != nil {
		return false, err
	}
	for ctx.Err() == nil {
		n, err := conn.Read(buf)
		if err != nil {
			return answered, err
		}
		ok, stop := handle(buf[:n])
		answered = answered || ok
		if stop {
			return answered, nil
		}
	}
	return answered, ctx.Err()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
