package history

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema steps, in order; step i brings the database to
// version i+1 (PRAGMA user_version). Append new steps; never edit a released
// one, because databases in the field have already run it.
var migrations = []string{
	// 1: scans, devices and the identifiers that recognise them, sightings,
	// findings with the scans that opened and fixed them.
	`
CREATE TABLE scans (
	id             INTEGER PRIMARY KEY,
	started        TEXT NOT NULL,
	finished       TEXT NOT NULL,
	targets        TEXT NOT NULL,   -- JSON array of strings
	tool_version   TEXT NOT NULL,
	devices        INTEGER NOT NULL,
	joined         INTEGER NOT NULL,
	problems_open  INTEGER NOT NULL,
	problems_fixed INTEGER NOT NULL,
	problems_back  INTEGER NOT NULL
);
CREATE TABLE devices (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL DEFAULT '',  -- given by the user ("kitchen camera")
	label      TEXT NOT NULL,             -- what the last scan called it
	type       TEXT NOT NULL DEFAULT '',
	last_ip    TEXT NOT NULL DEFAULT '',
	first_scan INTEGER REFERENCES scans(id),
	last_scan  INTEGER REFERENCES scans(id)
);
CREATE TABLE identifiers (
	kind      TEXT NOT NULL,  -- mac, udn, serial, mdns, rmac, host
	value     TEXT NOT NULL,
	device_id INTEGER NOT NULL REFERENCES devices(id),
	PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX identifiers_device ON identifiers(device_id);
CREATE TABLE sightings (
	scan_id    INTEGER NOT NULL REFERENCES scans(id),
	device_id  INTEGER NOT NULL REFERENCES devices(id),
	device_key TEXT NOT NULL,
	ip         TEXT NOT NULL,
	snapshot   TEXT NOT NULL,  -- the scan.Device as JSON
	PRIMARY KEY (scan_id, device_id)
) WITHOUT ROWID;
CREATE INDEX sightings_device ON sightings(device_id);
CREATE TABLE findings (
	id          INTEGER PRIMARY KEY,
	device_id   INTEGER NOT NULL REFERENCES devices(id),
	finding     TEXT NOT NULL,  -- stable finding id (default-password, ...)
	service     TEXT NOT NULL,
	severity    TEXT NOT NULL,
	title       TEXT NOT NULL,
	opened_scan INTEGER NOT NULL REFERENCES scans(id),
	opened_at   TEXT NOT NULL,
	fixed_scan  INTEGER REFERENCES scans(id),
	fixed_at    TEXT
);
CREATE UNIQUE INDEX findings_open ON findings(device_id, finding, service) WHERE fixed_scan IS NULL;
CREATE INDEX findings_device ON findings(device_id, finding, service);
PRAGMA application_id = 1347176531;
`,
}

// migrate applies the steps the database has not run yet, each in its own
// transaction together with the new user_version, so a crash leaves the
// database at one version or the next, never between.
func migrate(ctx context.Context, db *sql.DB, steps []string) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return classify("read schema version", err)
	}
	for v := version; v < len(steps); v++ {
		if err := step(ctx, db, v+1, steps[v]); err != nil {
			return err
		}
	}
	return nil
}

func step(ctx context.Context, db *sql.DB, version int, ddl string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return classify(fmt.Sprintf("migrate to version %d", version), err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("migrate to version %d: %w", version, err)
	}
	// PRAGMA takes no parameters; version is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return fmt.Errorf("migrate to version %d: set version: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return classify(fmt.Sprintf("migrate to version %d: commit", version), err)
	}
	return nil
}
