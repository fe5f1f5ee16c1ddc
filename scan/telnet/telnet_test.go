package telnet

import (
	"bytes"
	"testing"
)

func TestFilterSplitAcrossReads(t *testing.T) {
	var f Filter
	stream := []byte{'a', IAC, DO, 24, 'b', IAC, WILL, 1, IAC, IAC, 'c', IAC, SB, 1, 2, IAC, SE, 'd', IAC, 241, 'e'}
	var text, reply []byte
	for _, c := range stream { // one byte at a time: commands split across reads
		tx, rp := f.Feed([]byte{c})
		text, reply = append(text, tx...), append(reply, rp...)
	}
	if string(text) != "abcde" { // the escaped 255 alone is not valid UTF-8 and is dropped
		t.Errorf("text = %q, want %q", text, "abcde")
	}
	if want := []byte{IAC, WONT, 24, IAC, DONT, 1}; !bytes.Equal(reply, want) {
		t.Errorf("reply = %v, want %v", reply, want)
	}
}

func TestFilterEndlessSubnegotiation(t *testing.T) {
	var f Filter
	in := append([]byte{IAC, SB, 24}, bytes.Repeat([]byte{'x'}, maxSub+10)...)
	text, _ := f.Feed(append(in, []byte("login: ")...))
	if !bytes.HasSuffix(text, []byte("login: ")) {
		t.Errorf("text after an endless subnegotiation = %q, want it to end with the prompt", text)
	}
}

func FuzzFilter(f *testing.F) {
	f.Add([]byte{IAC, DO, 1, 'a', IAC, SB, 1, IAC, SE})
	f.Fuzz(func(t *testing.T, b []byte) {
		var tf Filter
		text, reply := tf.Feed(b)
		if len(reply)%3 != 0 || len(reply) > len(b) || len(text) > len(b) {
			t.Fatalf("Feed(%v) = text %v, reply %v", b, text, reply)
		}
		for i := 0; i < len(reply); i += 3 {
			if reply[i] != IAC || (reply[i+1] != WONT && reply[i+1] != DONT) {
				t.Fatalf("reply %v is not refusals", reply)
			}
		}
	})
}
