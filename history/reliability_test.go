package history

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/porchlight/porchlight/scan"
)

func TestOpenMigratesEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(empty file) = %v", err)
	}
	defer s.Close()
	if s.Recovered() != nil {
		t.Errorf("an empty file was treated as damaged: %v", s.Recovered().Err)
	}
	var mode string
	var version, appID int
	must(t, s.db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	must(t, s.db.QueryRow("PRAGMA user_version").Scan(&version))
	must(t, s.db.QueryRow("PRAGMA application_id").Scan(&appID))
	if mode != "wal" || version != len(migrations) || appID != applicationID {
		t.Errorf("journal_mode %q, user_version %d, application_id %#x; want wal, %d, %#x", mode, version, appID, len(migrations), applicationID)
	}
	if _, err := s.SaveScan(t.Context(), record(1, router())); err != nil {
		t.Errorf("SaveScan on a migrated empty file = %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

// TestMigrateSteps: a database at version 1 with data gains a later step and
// keeps its data; running the steps again changes nothing.
func TestMigrateSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, record(1, router(), camera()))
	steps := append(append([]string{}, migrations...), "ALTER TABLE devices ADD COLUMN note TEXT NOT NULL DEFAULT 'none'")
	ctx := t.Context()
	for range 2 {
		if err := migrate(ctx, s.db, steps); err != nil {
			t.Fatalf("migrate = %v", err)
		}
	}
	var version, devices int
	var note string
	must(t, s.db.QueryRow("PRAGMA user_version").Scan(&version))
	must(t, s.db.QueryRow("SELECT COUNT(*), MIN(note) FROM devices").Scan(&devices, &note))
	if version != len(steps) || devices != 2 || note != "none" {
		t.Errorf("after migration: version %d, %d devices, note %q; want %d, 2, none", version, devices, note, len(steps))
	}
	bad := append(steps, "THIS IS NOT SQL")
	if err := migrate(ctx, s.db, bad); err == nil {
		t.Errorf("migrate(bad step) = nil, want an error")
	}
	must(t, s.db.QueryRow("PRAGMA user_version").Scan(&version))
	if version != len(steps) {
		t.Errorf("a failed step moved the version to %d, want it left at %d", version, len(steps))
	}
	must(t, s.Close())
	// This binary knows fewer steps than the file has run: a newer database.
	if _, err := Open(path); !errors.Is(err, ErrNewerDatabase) {
		t.Errorf("Open(database one step ahead) = %v, want ErrNewerDatabase", err)
	}
}

// TestRefusedFilesUntouched: a database from a newer version, or another
// program's database, is refused without a byte changing.
func TestRefusedFilesUntouched(t *testing.T) {
	tests := []struct {
		name   string
		pragma string
		want   error
	}{
		{"newer version", fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1), ErrNewerDatabase},
		{"another program", "PRAGMA application_id = 42", ErrNotHistory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			save(t, s, record(1, router()))
			_, err = s.db.Exec(tt.pragma)
			must(t, err)
			must(t, s.Close())
			before := fileHash(t, path)
			_, err = Open(path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			if after := fileHash(t, path); after != before {
				t.Errorf("the refused database was modified")
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Errorf("opening the refused database left a WAL file")
			}
		})
	}
}

// TestCorruptMovedAside: a damaged file is renamed, reported, and replaced
// by a working empty database; its bytes are kept for whoever wants them.
func TestCorruptMovedAside(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"not a database", func(t *testing.T, path string) {
			must(t, os.WriteFile(path, bytes.Repeat([]byte("porchlight? no. "), 512), 0o600))
		}},
		{"header overwritten", func(t *testing.T, path string) { overwrite(t, path, 0, 100) }},
		{"table pages overwritten", func(t *testing.T, path string) { overwrite(t, path, 4096, 4*4096) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			s, err := Open(path)
			must(t, err)
			for i := range 20 {
				save(t, s, record(1+i, router(), camera(), plug(), phone(fmt.Sprintf("da:00:00:00:00:%02x", i))))
			}
			must(t, s.Close())
			tt.damage(t, path)
			damaged := fileHash(t, path)

			s, err = Open(path)
			if err != nil {
				t.Fatalf("Open(damaged) = %v, want a fresh database", err)
			}
			defer s.Close()
			rec := s.Recovered()
			if rec == nil {
				t.Fatal("Recovered() = nil: the damage went unreported")
			}
			if !errors.Is(rec.Err, ErrCorrupt) || !strings.Contains(rec.Notice(), rec.MovedTo) {
				t.Errorf("Recovery = %+v, notice %q", rec, rec.Notice())
			}
			if fileHash(t, rec.MovedTo) != damaged {
				t.Errorf("the damaged file was not kept as it was at %s", rec.MovedTo)
			}
			scans, err := s.Scans(t.Context())
			if err != nil || len(scans) != 0 {
				t.Errorf("fresh database: %d scans, %v", len(scans), err)
			}
			save(t, s, record(30, router()))
		})
	}
}

// overwrite fills n bytes at off with a pattern, as a failing disk might.
func overwrite(t *testing.T, path string, off, n int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	must(t, err)
	defer f.Close()
	_, err = f.WriteAt(bytes.Repeat([]byte{0xA5, 0x5A, 0xFF, 0x00}, int(n/4)), off)
	must(t, err)
}

// childEnv makes the test binary a scan-writing child (see TestMain).
const childEnv = "PORCHLIGHT_HISTORY_KILL_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(writeForever(path))
	}
	os.Exit(m.Run())
}

// writeForever saves scans until killed, printing "saved N" after each commit.
func writeForever(path string) int {
	s, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Large scans make each transaction long, so the kill lands inside one.
	var devices []scan.Device
	for i := range 150 {
		d := camera()
		d.Key = fmt.Sprintf("44:19:b6:00:%02x:%02x", i/256, i%256)
		d.MAC, d.Serial = d.Key, ""
		devices = append(devices, d)
	}
	for n := 1; ; n++ {
		if _, err := s.SaveScan(context.Background(), record(1, devices...)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("saved %d\n", n)
	}
}

// TestKillMidWrite kills a child writing scans at a random moment, several
// times, and checks each time that the database opens cleanly with every
// scan the child reported as saved.
func TestKillMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "history.db")
	total := 0
	for round := range 4 {
		saved := killChild(t, path, 2+rand.IntN(4))
		total += saved
		s, err := Open(path)
		if err != nil {
			t.Fatalf("round %d: Open after kill -9 = %v", round, err)
		}
		if s.Recovered() != nil {
			t.Fatalf("round %d: database judged damaged after kill -9: %v", round, s.Recovered().Err)
		}
		scans, err := s.Scans(t.Context())
		must(t, err)
		// The child may have committed one more scan after its last line.
		if len(scans) < total || len(scans) > total+1 {
			t.Fatalf("round %d: %d scans after kill, child reported %d saved", round, len(scans), total)
		}
		t.Logf("round %d: child reported %d saves in all, database has %d scans", round, total, len(scans))
		total = len(scans)
		for _, sc := range scans {
			if sc.Devices != 150 {
				t.Errorf("round %d: scan %d has %d devices, want 150 (a torn write)", round, sc.ID, sc.Devices)
			}
		}
		var sightings int
		must(t, s.db.QueryRow("SELECT COUNT(*) FROM sightings").Scan(&sightings))
		if sightings != 150*len(scans) {
			t.Errorf("round %d: %d sightings for %d scans, want %d", round, sightings, len(scans), 150*len(scans))
		}
		must(t, s.check(t.Context()))
		must(t, s.Close())
	}
}

// killChild starts the writer, waits for it to report `after` saves, then
// kills it with SIGKILL at once (mid-way through the next transaction).
func killChild(t *testing.T, path string, after int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	lines := bufio.NewScanner(out)
	saved := 0
	for saved < after && lines.Scan() {
		n, err := strconv.Atoi(strings.TrimPrefix(lines.Text(), "saved "))
		if err != nil {
			t.Fatalf("child said %q", lines.Text())
		}
		saved = n
	}
	must(t, cmd.Process.Kill())
	_ = cmd.Wait()
	if saved < after {
		t.Fatalf("child stopped after %d saves: %s", saved, stderr.String())
	}
	return saved
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return sha256.Sum256(b)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
