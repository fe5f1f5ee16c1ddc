package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/porchlight/porchlight/scan"
)

// DeviceID is a device as history remembers it, across scans.
type DeviceID int64

// ScanRecord is one completed scan to remember.
type ScanRecord struct {
	Started, Finished time.Time
	Targets           []string
	Devices           []scan.Device
	ToolVersion       string
}

// Changes is what is different in a scan compared with everything
// remembered before it: what the overview shows as new and fixed.
type Changes struct {
	// ScanID is the saved scan (0 from Compare, which saves nothing).
	ScanID int64
	// First is true when there was no earlier scan to compare with; every
	// device is then in Joined and nothing is new in any useful sense.
	First bool
	// Joined are devices never seen in an earlier scan.
	Joined []DeviceChange
	// Opened are problems found for the first time on a device seen before.
	Opened []FindingChange
	// CameBack are problems that had been fixed and are found again.
	CameBack []FindingChange
	// Fixed are problems found before and checked again without being found.
	Fixed []FindingChange
	// Devices maps each scanned device's Key to the device history knows.
	Devices map[string]Known
}

// DeviceChange is a device in Changes.
type DeviceChange struct {
	Key    string // scan.Device.Key in this scan
	Device Known
}

// FindingChange is a problem in Changes.
type FindingChange struct {
	Key      string // scan.Device.Key in this scan
	Device   Known
	Finding  string // stable finding id, such as default-password
	Service  string
	Severity string
	Title    string
	// Opened is when the problem was first found (for CameBack: this time).
	Opened time.Time
	// FixedAt is when the problem was fixed (for CameBack: the earlier fix).
	FixedAt time.Time
}

// Known is a remembered device.
type Known struct {
	ID        DeviceID
	Name      string // given by the user; "" when none
	Label     string // what the latest scan called it ("Hikvision DS-2CD2042WD-I")
	LastIP    string
	FirstSeen time.Time // zero for a device named before any scan saw it
	LastSeen  time.Time
}

// Display is the user's name for the device, else its label.
func (k Known) Display() string {
	if k.Name != "" {
		return k.Name
	}
	return k.Label
}

// SaveScan stores a completed scan in one transaction and returns what
// changed since the scans before it. Either all of it is stored or none.
func (s *Store) SaveScan(ctx context.Context, rec ScanRecord) (Changes, error) {
	var ch Changes
	err := s.inTx(ctx, "save scan", func(tx *sql.Tx) error {
		var err error
		ch, err = apply(ctx, tx, rec)
		return err
	}, true)
	return ch, err
}

// Compare says what would be new, back or fixed if devices were saved as a
// scan now, without saving anything (for the overview during a scan).
func (s *Store) Compare(ctx context.Context, devices []scan.Device) (Changes, error) {
	var ch Changes
	now := time.Now().UTC()
	err := s.inTx(ctx, "compare with the last scan", func(tx *sql.Tx) error {
		var err error
		ch, err = apply(ctx, tx, ScanRecord{Started: now, Finished: now, Devices: devices})
		return err
	}, false)
	ch.ScanID = 0
	return ch, err
}

// inTx runs fn in a transaction, committing only when commit is true.
func (s *Store) inTx(ctx context.Context, op string, fn func(*sql.Tx) error, commit bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("history: %s: begin: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("history: %s: %w", op, err)
	}
	if !commit {
		return nil
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: %s: commit: %w", op, err)
	}
	return nil
}

// counts are the per-scan totals kept on the scans row.
type counts struct{ devices, joined, open, fixed, back int }

func apply(ctx context.Context, tx *sql.Tx, rec ScanRecord) (Changes, error) {
	at := scanTime(rec)
	ch := Changes{Devices: map[string]Known{}}
	var prev int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM scans ORDER BY id DESC LIMIT 1").Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		ch.First = true
	} else if err != nil {
		return ch, fmt.Errorf("find the last scan: %w", err)
	}
	targets, _ := json.Marshal(nonNil(rec.Targets))
	res, err := tx.ExecContext(ctx, `INSERT INTO scans (started, finished, targets, tool_version, devices, joined, problems_open, problems_fixed, problems_back)
		VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0)`, stamp(rec.Started), stamp(at), string(targets), rec.ToolVersion)
	if err != nil {
		return ch, fmt.Errorf("add scan: %w", err)
	}
	if ch.ScanID, err = res.LastInsertId(); err != nil {
		return ch, fmt.Errorf("add scan: %w", err)
	}
	var c counts
	claimed := map[DeviceID]bool{}
	for _, d := range rec.Devices {
		if err := applyDevice(ctx, tx, ch.ScanID, at, d, claimed, &ch, &c); err != nil {
			return ch, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE scans SET devices = ?, joined = ?, problems_open = ?, problems_fixed = ?, problems_back = ? WHERE id = ?`,
		c.devices, c.joined, c.open, c.fixed, c.back, ch.ScanID)
	if err != nil {
		return ch, fmt.Errorf("update scan %d totals: %w", ch.ScanID, err)
	}
	return ch, nil
}

// applyDevice records one scanned device: who it is, that it was seen, and
// how its findings changed.
func applyDevice(ctx context.Context, tx *sql.Tx, scanID int64, at time.Time, d scan.Device, claimed map[DeviceID]bool, ch *Changes, c *counts) error {
	ids := identifiers(d)
	k, found, err := resolve(ctx, tx, ids, claimed)
	if err != nil {
		return err
	}
	if !found {
		if k.ID, err = insertDevice(ctx, tx, d); err != nil {
			return err
		}
	}
	claimed[k.ID] = true
	joined := k.FirstSeen.IsZero()
	if err := markSeen(ctx, tx, k.ID, scanID, d, ids); err != nil {
		return err
	}
	k.Label, k.LastIP, k.LastSeen = label(d), d.IP, at
	if joined {
		k.FirstSeen = at
		ch.Joined = append(ch.Joined, DeviceChange{Key: d.Key, Device: k})
		c.joined++
	}
	ch.Devices[d.Key] = k
	c.devices++
	c.open += len(uniqueFindings(d.Findings))
	return diffFindings(ctx, tx, scanID, at, d, k, joined, ch, c)
}

// resolve finds the remembered device for ids, strongest identifier first,
// skipping devices already matched in this scan, and weak matches (a name,
// a random MAC, an address) to a device whose MAC, UDN or serial differs.
func resolve(ctx context.Context, q querier, ids []identifier, claimed map[DeviceID]bool) (Known, bool, error) {
	for _, id := range ids {
		var dev DeviceID
		err := q.QueryRowContext(ctx, "SELECT device_id FROM identifiers WHERE kind = ? AND value = ?", id.kind, id.value).Scan(&dev)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && claimed[dev]) {
			continue
		}
		if err != nil {
			return Known{}, false, fmt.Errorf("look up %s %q: %w", id.kind, id.value, err)
		}
		if weak(id.kind) {
			conflict, err := conflicts(ctx, q, dev, ids)
			if err != nil {
				return Known{}, false, err
			}
			if conflict {
				continue
			}
		}
		k, err := known(ctx, q, dev)
		return k, err == nil, err
	}
	return Known{}, false, nil
}

// conflicts reports whether the remembered device has a strong identifier
// of a kind ids also has, but never the same value: then it is another
// device that happens to share a name or an address.
func conflicts(ctx context.Context, q querier, dev DeviceID, ids []identifier) (bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT kind, value FROM identifiers WHERE device_id = ? AND kind IN (?, ?, ?)", dev, kindMAC, kindUDN, kindSerial)
	if err != nil {
		return false, fmt.Errorf("read identifiers of device %d: %w", dev, err)
	}
	defer rows.Close()
	have := map[identifier]bool{} // the device's strong identifiers
	kinds := map[string]bool{}    // and their kinds
	for rows.Next() {
		var id identifier
		if err := rows.Scan(&id.kind, &id.value); err != nil {
			return false, fmt.Errorf("read identifiers of device %d: %w", dev, err)
		}
		have[id], kinds[id.kind] = true, true
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("read identifiers of device %d: %w", dev, err)
	}
	for _, id := range ids {
		if kinds[id.kind] && !have[id] {
			return true, nil
		}
	}
	return false, nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const knownColumns = `d.id, d.name, d.label, d.last_ip, COALESCE(f.finished, ''), COALESCE(l.finished, '')
	FROM devices d LEFT JOIN scans f ON f.id = d.first_scan LEFT JOIN scans l ON l.id = d.last_scan`

func known(ctx context.Context, q querier, id DeviceID) (Known, error) {
	k, err := scanKnown(q.QueryRowContext(ctx, "SELECT "+knownColumns+" WHERE d.id = ?", id))
	if err != nil {
		return k, fmt.Errorf("read device %d: %w", id, err)
	}
	return k, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanKnown(r rowScanner) (Known, error) {
	var k Known
	var first, last string
	if err := r.Scan(&k.ID, &k.Name, &k.Label, &k.LastIP, &first, &last); err != nil {
		return k, err
	}
	k.FirstSeen, k.LastSeen = parseStamp(first), parseStamp(last)
	return k, nil
}

func insertDevice(ctx context.Context, tx *sql.Tx, d scan.Device) (DeviceID, error) {
	res, err := tx.ExecContext(ctx, "INSERT INTO devices (label, type, last_ip) VALUES (?, ?, ?)", label(d), capString(d.Type, 64), d.IP)
	if err != nil {
		return 0, fmt.Errorf("add device %s: %w", d.Key, err)
	}
	id, err := res.LastInsertId()
	return DeviceID(id), err
}

// markSeen updates the device, points its identifiers at it and records the sighting.
func markSeen(ctx context.Context, tx *sql.Tx, id DeviceID, scanID int64, d scan.Device, ids []identifier) error {
	_, err := tx.ExecContext(ctx, `UPDATE devices SET label = ?, type = ?, last_ip = ?, last_scan = ?, first_scan = COALESCE(first_scan, ?) WHERE id = ?`,
		label(d), capString(d.Type, 64), d.IP, scanID, scanID, id)
	if err != nil {
		return fmt.Errorf("update device %d: %w", id, err)
	}
	if err := remember(ctx, tx, id, ids); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sightings (scan_id, device_id, device_key, ip, snapshot) VALUES (?, ?, ?, ?, ?)`,
		scanID, id, capString(d.Key, maxIdentifier), d.IP, snapshot(d))
	if err != nil {
		return fmt.Errorf("record device %d in scan %d: %w", id, scanID, err)
	}
	return nil
}

// remember points each identifier at the device; the latest sighting wins
// (an address handed to another device, a random MAC reused).
func remember(ctx context.Context, tx *sql.Tx, id DeviceID, ids []identifier) error {
	for _, ident := range ids {
		_, err := tx.ExecContext(ctx, `INSERT INTO identifiers (kind, value, device_id) VALUES (?, ?, ?)
			ON CONFLICT (kind, value) DO UPDATE SET device_id = excluded.device_id`, ident.kind, ident.value, id)
		if err != nil {
			return fmt.Errorf("remember %s of device %d: %w", ident.kind, id, err)
		}
	}
	return nil
}

// maxSnapshot caps the stored copy of one device; banners can be long.
const maxSnapshot = 64 << 10

// snapshot is d as JSON, trimmed of banners and reasons if it is too large.
func snapshot(d scan.Device) string {
	b, err := json.Marshal(d)
	if err == nil && len(b) <= maxSnapshot {
		return string(b)
	}
	d.Services, d.Reasons = nil, nil
	if b, err = json.Marshal(d); err == nil && len(b) <= maxSnapshot {
		return string(b)
	}
	return "{}"
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// scanTime is when the scan's results hold: its finish, else its start, else now.
func scanTime(rec ScanRecord) time.Time {
	switch {
	case !rec.Finished.IsZero():
		return rec.Finished.UTC()
	case !rec.Started.IsZero():
		return rec.Started.UTC()
	}
	return time.Now().UTC()
}

const stampLayout = time.RFC3339Nano

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

func parseStamp(s string) time.Time {
	t, err := time.Parse(stampLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
