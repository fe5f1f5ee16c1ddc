package ui

import (
	"io"
	"testing"
)

// ioPipe is an input stream the test types into; closed at the end of the test.
func ioPipe(t *testing.T) (io.Reader, io.Writer) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	return r, w
}
