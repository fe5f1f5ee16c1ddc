package lab

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// BenchmarkStartLarge measures starting and closing the 250-device
// household, on loopback and (as root on Linux) in namespaces.
func BenchmarkStartLarge(b *testing.B) {
	b.Run("loopback", func(b *testing.B) {
		for b.Loop() {
			l, err := StartLoopback(b.Context(), Options{Scenario: "large"})
			if err != nil {
				b.Fatal(err)
			}
			if err := l.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("netns", func(b *testing.B) {
		if _, err := exec.LookPath("ip"); err != nil || os.Geteuid() != 0 || runtime.GOOS != "linux" {
			b.Skip("namespaces need Linux, root and iproute2")
		}
		for b.Loop() {
			l, err := StartNetns(b.Context(), Options{Scenario: "large"})
			if err != nil {
				b.Fatal(err)
			}
			if err := l.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
