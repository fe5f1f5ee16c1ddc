// Package history is the embedded database of past scans: devices
// remembered across scans, the names people give them, findings opened and
// fixed. It is SQLite through modernc.org/sqlite (pure Go, so cross-builds
// keep working), in WAL mode, with ordered schema migrations.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNewerDatabase means the database was written by a newer Porchlight; it is
// left untouched rather than risk damaging it.
var ErrNewerDatabase = errors.New("history database is from a newer version of porchlight")

// ErrNotHistory means the file is an SQLite database of some other program.
var ErrNotHistory = errors.New("file is not a porchlight history database")

// ErrCorrupt means the database failed its integrity check or is not a
// database at all. Open moves such a file aside and starts afresh; the
// Recovery it reports wraps this error.
var ErrCorrupt = errors.New("history database is damaged")

// applicationID marks the file as ours (PRAGMA application_id): "PLHS".
const applicationID = 0x504c4853

// busyTimeout is how long a writer waits for another porchlight process
// holding the database (a second terminal, a classroom script).
const busyTimeout = 5 * time.Second

// Store is an open history database. It is safe for concurrent use.
type Store struct {
	db        *sql.DB
	path      string
	recovered *Recovery
}

// Recovery says that the database at Path was damaged and was renamed to
// MovedTo before a fresh one was started. The caller should tell the user.
type Recovery struct {
	Path    string
	MovedTo string
	Err     error // why the file was judged damaged; wraps ErrCorrupt
}

// Notice is a sentence for the user.
func (r *Recovery) Notice() string {
	return fmt.Sprintf("The scan history at %s was damaged, so it was kept as %s and a new history was started.", r.Path, r.MovedTo)
}

// DefaultPath is where the database lives: porchlight/history.db in the
// user's config directory (~/.config on Linux, ~/Library/Application Support
// on macOS, %AppData% on Windows).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("history: find the config directory: %w", err)
	}
	return filepath.Join(dir, "porchlight", "history.db"), nil
}

// Open opens the database at path, creating it (and its directory) and
// migrating it to the current schema if needed. A database from a newer
// version is refused with ErrNewerDatabase. A damaged file is moved aside and
// a new database started; Recovered then reports it.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("history: create directory for %s: %w", path, err)
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	s, err := open(path)
	if err == nil || !errors.Is(err, ErrCorrupt) {
		return s, err
	}
	moved, mvErr := moveAside(path, time.Now())
	if mvErr != nil {
		return nil, fmt.Errorf("history: %w; moving it aside failed: %w", err, mvErr)
	}
	s, err2 := open(path)
	if err2 != nil {
		return nil, fmt.Errorf("history: start a new database after moving the damaged one to %s: %w", moved, err2)
	}
	s.recovered = &Recovery{Path: path, MovedTo: moved, Err: err}
	return s, nil
}

// Recovered is non-nil when Open found the database damaged and moved it aside.
func (s *Store) Recovered() *Recovery { return s.recovered }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("history: close %s: %w", s.path, err)
	}
	return nil
}

// createPrivate makes an empty file readable only by the user, so that the
// history (device names, addresses) is not world-readable.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("history: open %s: %w", path, err)
	}
	return f.Close()
}

func dsn(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	// Writers take the lock at BEGIN, so two processes never deadlock upgrading.
	q.Set("_txlock", "immediate")
	q.Set("_foreign_keys", "1")
	// FULL: a committed scan survives a crash of the process or the machine.
	q.Set("_synchronous", "FULL")
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// open opens, checks and migrates one database file.
func open(path string) (*Store, error) {
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	// One connection: writes are serialised anyway, and per-connection
	// settings (pragmas) then hold everywhere.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	if err := s.prepare(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("history: %s: %w", path, err)
	}
	return s, nil
}

// prepare checks the file is ours, of a version we know, and intact, then
// switches to WAL and migrates. Nothing is written before the checks pass.
func (s *Store) prepare(ctx context.Context) error {
	var appID, version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return classify("read header", err)
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return classify("read schema version", err)
	}
	if appID != 0 && appID != applicationID {
		return fmt.Errorf("application id %#x: %w", appID, ErrNotHistory)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d, this version knows up to %d: %w", version, len(migrations), ErrNewerDatabase)
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return classify("switch to WAL", err)
	}
	return migrate(ctx, s.db, migrations)
}

// check runs SQLite's quick integrity check (linear in the file size; a
// household's history is a few megabytes at most).
func (s *Store) check(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return classify("integrity check", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classify("integrity check", err)
		}
		if line != "ok" && len(problems) < 3 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return classify("integrity check", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %q: %w", problems, ErrCorrupt)
	}
	return nil
}

// classify wraps err, marking SQLite's "not a database" and "corrupt"
// results as ErrCorrupt so Open can move the file aside.
func classify(op string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%s: %w: %w", op, ErrCorrupt, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// moveAside renames a damaged database and its WAL and shared-memory files
// to <path>.damaged-<time>, returning the new name of the main file. The WAL
// must go with it: replayed into a fresh database it would do harm.
func moveAside(path string, now time.Time) (string, error) {
	suffix := ".damaged-" + now.UTC().Format("20060102T150405Z")
	target := path + suffix
	if err := os.Rename(path, target); err != nil {
		return "", fmt.Errorf("rename %s: %w", path, err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+side, target+side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return target, fmt.Errorf("rename %s: %w", path+side, err)
		}
	}
	return target, nil
}
