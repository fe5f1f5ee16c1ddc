package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen writes arbitrary bytes where the history database lives. Open
// must never panic: it either opens the file (moving it aside first if it
// is damaged) or refuses it with a named error, and whatever it opens must
// take a scan.
func FuzzOpen(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("SQLite format 3\x00"))
	f.Add(validDatabase(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "history.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path)
		if err != nil {
			if !errors.Is(err, ErrNewerDatabase) && !errors.Is(err, ErrNotHistory) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open = %v, want a database or a named refusal", err)
			}
			return
		}
		defer s.Close()
		if _, err := s.SaveScan(context.Background(), record(1, router(), phone("da:00:00:00:00:01"))); err != nil {
			// A file that passed the integrity check may still hide damage
			// in a page the check does not read; it must say so, not panic.
			t.Logf("SaveScan on an opened file = %v", err)
		}
	})
}

// validDatabase is a small history with one scan, as bytes.
func validDatabase(tb testing.TB) []byte {
	path := filepath.Join(tb.TempDir(), "seed.db")
	s, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SaveScan(context.Background(), record(1, router(), camera())); err != nil {
		tb.Fatal(err)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
