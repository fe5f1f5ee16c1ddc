// Package history is the embedded database of past scans: devices
// remembered across scans, the names people give them, findings opened and fixed.
package history

// Store is an open history database.
type Store struct{}

// DefaultPath is where the database lives: the user's config directory.
func DefaultPath() (string, error) { return "", nil }

// Open opens (creating and migrating if needed) the database at path.
func Open(path string) (*Store, error) { return &Store{}, nil }

// Close closes the database.
func (s *Store) Close() error { return nil }
