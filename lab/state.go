package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// stateFile is the JSON kept at Options.StatePath: each device's state by
// scenario id, under the scenario's name so one file never leaks a
// classroom's passwords into the home scenario.
type stateFile struct {
	Scenario string                 `json:"scenario"`
	Devices  map[string]deviceState `json:"devices"`
}

// loadState applies a saved state file, if any, over the scenario.
func (l *Lab) loadState() error {
	if l.opts.StatePath == "" {
		return nil
	}
	b, err := os.ReadFile(l.opts.StatePath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lab: read state %s: %w", l.opts.StatePath, err)
	}
	var sf stateFile
	if err := json.Unmarshal(b, &sf); err != nil {
		return fmt.Errorf("lab: decode state %s: %w", l.opts.StatePath, err)
	}
	if sf.Scenario != l.scen.Name {
		return fmt.Errorf("lab: state %s is for the %q scenario, not %q", l.opts.StatePath, sf.Scenario, l.scen.Name)
	}
	for id, st := range sf.Devices {
		if d, ok := l.byID[id]; ok {
			d.restore(st)
		}
	}
	return nil
}

// saveState writes every device's state atomically (temporary file, sync,
// rename), so a crash mid-write never leaves a half file behind.
func (l *Lab) saveState() error {
	if l.opts.StatePath == "" {
		return nil
	}
	l.stateMu.Lock()
	defer l.stateMu.Unlock()
	sf := stateFile{Scenario: l.scen.Name, Devices: map[string]deviceState{}}
	for _, d := range l.devices {
		sf.Devices[d.spec.ID] = d.snapshot()
	}
	b, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return fmt.Errorf("lab: encode state: %w", err)
	}
	dir := filepath.Dir(l.opts.StatePath)
	tmp, err := os.CreateTemp(dir, ".lab-state-*")
	if err != nil {
		return fmt.Errorf("lab: save state in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("lab: save state: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("lab: save state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("lab: save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("lab: save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), l.opts.StatePath); err != nil {
		return fmt.Errorf("lab: save state to %s: %w", l.opts.StatePath, err)
	}
	return nil
}
