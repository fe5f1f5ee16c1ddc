package scan

// DefaultPorts returns the TCP ports a scan probes: the ports home devices
// really use (web admin, UPnP, cast, telnet, FTP, SSH, RTSP, MQTT, IPP) and
// the lab's high-port stand-ins for them (8080, 2323, 2121, 2222, 8554).
// Raw printing ports (9100–9107, 515) are never on it, and sweep refuses
// them even when a caller adds them.
func DefaultPorts() []int {
	return []int{
		80, 443, 8080, 8443, 8000, 8008, 8009, 1400, 5000, 5001, 49152, 7000, 8060,
		23, 2323, 21, 2121, 22, 2222, 554, 8554, 1883, 631, 9999, 37777,
	}
}
