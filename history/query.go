package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/porchlight/porchlight/scan"
)

// ScanSummary is one past scan, for `porchlight history`.
type ScanSummary struct {
	ID                int64
	Started, Finished time.Time
	Targets           []string
	ToolVersion       string
	Devices           int // devices seen
	Joined            int // of them, seen for the first time
	Open              int // problems found
	Fixed             int // problems fixed since the scan before
	CameBack          int // problems that had been fixed and were found again
}

// Scans lists past scans, newest first.
func (s *Store) Scans(ctx context.Context) ([]ScanSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started, finished, targets, tool_version, devices, joined, problems_open, problems_fixed, problems_back
		FROM scans ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("history: list scans: %w", err)
	}
	defer rows.Close()
	var out []ScanSummary
	for rows.Next() {
		var sc ScanSummary
		var started, finished, targets string
		if err := rows.Scan(&sc.ID, &started, &finished, &targets, &sc.ToolVersion, &sc.Devices, &sc.Joined, &sc.Open, &sc.Fixed, &sc.CameBack); err != nil {
			return nil, fmt.Errorf("history: list scans: %w", err)
		}
		sc.Started, sc.Finished = parseStamp(started), parseStamp(finished)
		// A damaged targets column costs the list its targets, not the scan.
		_ = json.Unmarshal([]byte(targets), &sc.Targets)
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: list scans: %w", err)
	}
	return out, nil
}

// Lookup says which remembered device each of devices is, keyed by
// scan.Device.Key; devices history has never seen are left out.
func (s *Store) Lookup(ctx context.Context, devices []scan.Device) (map[string]Known, error) {
	out := map[string]Known{}
	claimed := map[DeviceID]bool{}
	for _, d := range devices {
		k, ok, err := resolve(ctx, s.db, identifiers(d), claimed)
		if err != nil {
			return nil, fmt.Errorf("history: look up %s: %w", d.Key, err)
		}
		if ok {
			claimed[k.ID] = true
			out[d.Key] = k
		}
	}
	return out, nil
}

// Names lists the devices the user has named, by name.
func (s *Store) Names(ctx context.Context) ([]Known, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+knownColumns+" WHERE d.name != '' ORDER BY d.name COLLATE NOCASE, d.id")
	if err != nil {
		return nil, fmt.Errorf("history: list names: %w", err)
	}
	defer rows.Close()
	var out []Known
	for rows.Next() {
		k, err := scanKnown(rows)
		if err != nil {
			return nil, fmt.Errorf("history: list names: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: list names: %w", err)
	}
	return out, nil
}

// maxName caps a name the user gives a device, in bytes.
const maxName = 80

// Rename gives d a name ("kitchen camera"); an empty name removes it. A
// device history has not seen yet is remembered now, so the name holds from
// the next saved scan on.
func (s *Store) Rename(ctx context.Context, d scan.Device, name string) (Known, error) {
	name = capString(name, maxName)
	var k Known
	err := s.inTx(ctx, "rename "+d.Key, func(tx *sql.Tx) error {
		ids := identifiers(d)
		var found bool
		var err error
		if k, found, err = resolve(ctx, tx, ids, nil); err != nil {
			return err
		}
		if !found {
			if k.ID, err = insertDevice(ctx, tx, d); err != nil {
				return err
			}
			k.Label, k.LastIP = label(d), d.IP
			if err := remember(ctx, tx, k.ID, ids); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE devices SET name = ? WHERE id = ?", name, k.ID); err != nil {
			return fmt.Errorf("set name of device %d: %w", k.ID, err)
		}
		k.Name = name
		return nil
	}, true)
	return k, err
}

// FindingRecord is one problem on one device: when it was found and, if it
// has been, when it was fixed.
type FindingRecord struct {
	Finding  string
	Service  string
	Severity string
	Title    string
	Opened   time.Time
	Fixed    time.Time // zero while open
}

// Timeline lists every problem history has recorded for the device, oldest first.
func (s *Store) Timeline(ctx context.Context, id DeviceID) ([]FindingRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT finding, service, severity, title, opened_at, COALESCE(fixed_at, '')
		FROM findings WHERE device_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("history: timeline of device %d: %w", id, err)
	}
	defer rows.Close()
	var out []FindingRecord
	for rows.Next() {
		var r FindingRecord
		var opened, fixed string
		if err := rows.Scan(&r.Finding, &r.Service, &r.Severity, &r.Title, &opened, &fixed); err != nil {
			return nil, fmt.Errorf("history: timeline of device %d: %w", id, err)
		}
		r.Opened, r.Fixed = parseStamp(opened), parseStamp(fixed)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: timeline of device %d: %w", id, err)
	}
	return out, nil
}
