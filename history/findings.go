package history

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/scan/clean"
)

// findingKey identifies a problem on one device across scans.
type findingKey struct{ finding, service string }

// openFinding is a problem history has not yet seen fixed.
type openFinding struct {
	id       int64
	severity string
	title    string
	opened   time.Time
}

// uniqueFindings keys d's findings, first of each kind winning.
func uniqueFindings(fs []scan.Finding) map[findingKey]scan.Finding {
	m := make(map[findingKey]scan.Finding, len(fs))
	for _, f := range fs {
		k := findingKey{capString(f.ID, 64), capString(f.Service, 64)}
		if _, dup := m[k]; !dup && k.finding != "" {
			m[k] = f
		}
	}
	return m
}

// diffFindings opens rows for new problems, reopens ones that came back and
// closes the ones checked again and no longer found.
func diffFindings(ctx context.Context, tx *sql.Tx, scanID int64, at time.Time, d scan.Device, k Known, joined bool, ch *Changes, c *counts) error {
	open, err := openFindings(ctx, tx, k.ID)
	if err != nil {
		return err
	}
	current := uniqueFindings(d.Findings)
	for _, key := range sortedKeys(current) {
		f := current[key]
		if _, ok := open[key]; ok {
			continue
		}
		fixedAt, wasFixed, err := lastFixed(ctx, tx, k.ID, key)
		if err != nil {
			return err
		}
		if err := openRow(ctx, tx, k.ID, scanID, at, key, f); err != nil {
			return err
		}
		change := FindingChange{Key: d.Key, Device: k, Finding: key.finding, Service: key.service,
			Severity: f.Severity, Title: f.Title, Opened: at, FixedAt: fixedAt}
		switch {
		case wasFixed:
			ch.CameBack = append(ch.CameBack, change)
			c.back++
		case !joined:
			ch.Opened = append(ch.Opened, change)
		}
	}
	for _, key := range sortedKeys(open) {
		o := open[key]
		if _, still := current[key]; still || !checkRan(d, key.finding) {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE findings SET fixed_scan = ?, fixed_at = ? WHERE id = ?", scanID, stamp(at), o.id); err != nil {
			return fmt.Errorf("close finding %d: %w", o.id, err)
		}
		ch.Fixed = append(ch.Fixed, FindingChange{Key: d.Key, Device: k, Finding: key.finding, Service: key.service,
			Severity: o.severity, Title: o.title, Opened: o.opened, FixedAt: at})
		c.fixed++
	}
	return nil
}

// checkRan says whether this scan looked for the finding on d, so its
// absence means it is fixed. The login test runs only with consent; a scan
// without it says nothing about a default password.
func checkRan(d scan.Device, finding string) bool {
	if !d.Checked {
		return false
	}
	if finding == scan.FindDefaultPassword {
		return d.PSTI.Passwords == scan.Pass || d.PSTI.Passwords == scan.Fail
	}
	return true
}

func openFindings(ctx context.Context, tx *sql.Tx, dev DeviceID) (map[findingKey]openFinding, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, finding, service, severity, title, opened_at FROM findings WHERE device_id = ? AND fixed_scan IS NULL", dev)
	if err != nil {
		return nil, fmt.Errorf("read open findings of device %d: %w", dev, err)
	}
	defer rows.Close()
	open := map[findingKey]openFinding{}
	for rows.Next() {
		var k findingKey
		var o openFinding
		var opened string
		if err := rows.Scan(&o.id, &k.finding, &k.service, &o.severity, &o.title, &opened); err != nil {
			return nil, fmt.Errorf("read open findings of device %d: %w", dev, err)
		}
		o.opened = parseStamp(opened)
		open[k] = o
	}
	return open, rows.Err()
}

func lastFixed(ctx context.Context, tx *sql.Tx, dev DeviceID, key findingKey) (time.Time, bool, error) {
	var at string
	err := tx.QueryRowContext(ctx, `SELECT fixed_at FROM findings WHERE device_id = ? AND finding = ? AND service = ? AND fixed_scan IS NOT NULL
		ORDER BY id DESC LIMIT 1`, dev, key.finding, key.service).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read past %s of device %d: %w", key.finding, dev, err)
	}
	return parseStamp(at), true, nil
}

func openRow(ctx context.Context, tx *sql.Tx, dev DeviceID, scanID int64, at time.Time, key findingKey, f scan.Finding) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO findings (device_id, finding, service, severity, title, opened_scan, opened_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, dev, key.finding, key.service, capString(f.Severity, 16), capString(f.Title, 200), scanID, stamp(at))
	if err != nil {
		return fmt.Errorf("open %s on device %d: %w", key.finding, dev, err)
	}
	return nil
}

// sortedKeys orders finding keys so Changes lists come out the same every time.
func sortedKeys[V any](m map[findingKey]V) []findingKey {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b findingKey) int {
		return cmp.Or(strings.Compare(a.finding, b.finding), strings.Compare(a.service, b.service))
	})
	return keys
}

// label is what history calls a device when the user has not named it.
func label(d scan.Device) string {
	var s string
	switch {
	case d.Vendor != "" && strings.HasPrefix(strings.ToLower(d.Model), strings.ToLower(d.Vendor)):
		s = d.Model // "Google TV Streamer", not "Google Google TV Streamer"
	case d.Vendor != "" || d.Model != "":
		s = strings.TrimSpace(d.Vendor + " " + d.Model)
	case d.Name != "":
		s = d.Name
	case d.Hostname != "":
		s = d.Hostname
	default:
		s = d.IP
	}
	return capString(s, 120)
}

// capString cleans s of escapes and control characters and cuts it to at
// most n bytes: history stores what devices say, and must keep it printable.
func capString(s string, n int) string { return clean.String(s, n) }
