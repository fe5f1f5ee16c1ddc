package scan

import (
	"strings"
	"testing"
)

func TestRouteParsers(t *testing.T) {
	proc := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0\n" +
		"wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
	if got := parseProcRoute(strings.NewReader(proc)); got != "wlan0" {
		t.Errorf("parseProcRoute = %q, want wlan0", got)
	}
	if got := parseProcRoute(strings.NewReader(proc[:strings.LastIndex(proc, "wlan0")])); got != "" {
		t.Errorf("parseProcRoute without default = %q", got)
	}
	mac := "   route to: default\ndestination: default\n       mask: default\n    gateway: 192.168.1.1\n  interface: en0\n      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING>\n"
	if got := parseRouteGet(strings.NewReader(mac)); got != "en0" {
		t.Errorf("parseRouteGet = %q, want en0", got)
	}
	win := "IPv4 Route Table\r\n===========================================================================\r\nActive Routes:\r\n" +
		"Network Destination        Netmask          Gateway       Interface  Metric\r\n" +
		"          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.10     25\r\n"
	if got := parseRoutePrint(strings.NewReader(win)); got.String() != "192.168.1.10" {
		t.Errorf("parseRoutePrint = %v, want 192.168.1.10", got)
	}
}
