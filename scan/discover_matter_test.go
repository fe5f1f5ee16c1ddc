package scan

import (
	"testing"

	"github.com/porchlight/porchlight/scan/mdns"
)

func TestMatterMAC(t *testing.T) {
	op := func(target string) mdns.Instance {
		return mdns.Instance{Name: "2906C908D115D362-8FC7772401CD96F3", Service: "_matter._tcp", Target: target, Port: 5540}
	}
	tests := []struct {
		name string
		h    mdns.Host
		want string
	}{
		{"operational Wi-Fi node", mdns.Host{Instances: []mdns.Instance{op("18B4305C8E12.local.")}}, "18:b4:30:5c:8e:12"},
		{"commissionable node", mdns.Host{Instances: []mdns.Instance{{Service: "_matterc._udp", Target: "18B4305C8E12.local"}}}, "18:b4:30:5c:8e:12"},
		{"Thread node names a 64-bit EUI", mdns.Host{Instances: []mdns.Instance{op("1A2B3C4D5E6F7081.local.")}}, ""},
		{"not hex", mdns.Host{Instances: []mdns.Instance{op("LIVINGROOM12.local.")}}, ""},
		{"multicast MAC is no device's", mdns.Host{Instances: []mdns.Instance{op("01005E000001.local.")}}, ""},
		{"a MAC-like name on another service says nothing", mdns.Host{Instances: []mdns.Instance{{Service: "_http._tcp", Target: "18B4305C8E12.local."}}}, ""},
		{"no instances", mdns.Host{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matterMAC(tt.h); got != tt.want {
				t.Errorf("matterMAC = %q, want %q", got, tt.want)
			}
		})
	}
}
