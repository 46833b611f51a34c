package ios

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var shortcutsPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/Shortcuts/Shortcuts.sqlite"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/Shortcuts/Shortcuts.sqlite"}},
}

// Shortcuts reads the user's shortcuts and the URLs their actions open or fetch: a shortcut
// (or an automation running one) can fetch and send data without the owner noticing.
type Shortcuts struct {
	about
	places places
}

// NewShortcuts returns the shortcuts module.
func NewShortcuts() *Shortcuts {
	return &Shortcuts{about: about{
		name:      "ios/shortcuts",
		desc:      "Shortcuts and the URLs in their actions (Shortcuts.sqlite)",
		kinds:     backupAndFS,
		artifacts: shortcutsPlaces.artifacts(),
	}, places: shortcutsPlaces}
}

// ShortcutAction is one action of a shortcut and the links in its parameters.
type ShortcutAction struct {
	Identifier string   `json:"identifier"`
	URLs       []string `json:"urls,omitempty"`
}

// Shortcut is one shortcut with its actions.
type Shortcut struct {
	ID           int64            `json:"shortcut_id"`
	Name         string           `json:"shortcut_name"`
	Description  string           `json:"description,omitempty"`
	Created      time.Time        `json:"created_date,omitzero"`
	Modified     time.Time        `json:"modified_date,omitzero"`
	Actions      []ShortcutAction `json:"actions,omitempty"`
	ActionsError string           `json:"actions_error,omitempty"` // why ZDATA was unreadable
	Database     string           `json:"database"`
}

// URLs lists the links of every action, once each, in order.
func (s Shortcut) URLs() []string {
	var out []string
	for _, a := range s.Actions {
		for _, u := range a.URLs {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// Events implements module.Record.
func (s Shortcut) Events() []timeline.Event {
	desc := fmt.Sprintf("iOS Shortcut '%s': %s", s.Name, s.Description)
	if urls := s.URLs(); len(urls) > 0 {
		desc += " - URLs in actions: " + strings.Join(urls, ", ")
	}
	var out []timeline.Event
	for _, e := range []struct {
		name string
		t    time.Time
	}{{"shortcut_created", s.Created}, {"shortcut_modified", s.Modified}} {
		if !e.t.IsZero() {
			out = append(out, timeline.Event{Time: e.t, Event: e.name, Description: desc})
		}
	}
	return out
}

// Observables implements module.Record.
func (s Shortcut) Observables() []ioc.Observable {
	var out []ioc.Observable
	for _, u := range s.URLs() {
		out = append(out, ioc.Observable{Type: ioc.URL, Value: u})
	}
	return out
}

// Run implements module.Module.
func (m *Shortcuts) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readShortcuts(db, f.Path, emit)
	})
}

func readShortcuts(db *module.DB, file string, emit module.Emitter) error {
	query, err := shortcutsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(query)
	if err != nil {
		return fmt.Errorf("query shortcuts: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		s := scanShortcut(stmt, file)
		if s.ActionsError != "" {
			emit.Problem(fmt.Errorf("%s shortcut %d: %s", file, s.ID, s.ActionsError))
		}
		emit.Record(s)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read shortcuts: %w", err)
	}
	return nil
}

// shortcutsQuery left-joins each shortcut to its actions, like MVT, reading the columns
// that this version of the store has.
func shortcutsQuery(db *module.DB) (string, error) {
	cols, err := requireColumns(db, "ZSHORTCUT", "Z_PK")
	if err != nil {
		return "", err
	}
	data, join, order := "NULL", "", "s.Z_PK"
	actions, err := db.Columns("ZSHORTCUTACTIONS")
	if err != nil {
		return "", fmt.Errorf("table ZSHORTCUTACTIONS: %w", err)
	}
	if actions["ZSHORTCUT"] && actions["ZDATA"] {
		data, join, order = "a.ZDATA", " LEFT JOIN ZSHORTCUTACTIONS a ON a.ZSHORTCUT = s.Z_PK", "s.Z_PK, a.rowid"
	}
	return `SELECT s.Z_PK, ` + columnOr(cols, "s", "ZNAME", "NULL") + `, ` +
		columnOr(cols, "s", "ZCREATIONDATE", "NULL") + `, ` + columnOr(cols, "s", "ZMODIFICATIONDATE", "NULL") + `, ` +
		columnOr(cols, "s", "ZACTIONSDESCRIPTION", "NULL") + `, ` + data + ` FROM ZSHORTCUT s` + join + ` ORDER BY ` + order, nil
}

func scanShortcut(stmt *sqlite3.Stmt, file string) Shortcut {
	s := Shortcut{
		ID:          stmt.ColumnInt64(0),
		Name:        columnText(stmt, 1),
		Created:     timestamp.MacAbsolute(stmt.ColumnFloat(2)),
		Modified:    timestamp.MacAbsolute(stmt.ColumnFloat(3)),
		Description: columnText(stmt, 4),
		Database:    file,
	}
	if blob := stmt.ColumnRawBlob(5); len(blob) > 0 {
		actions, err := decodeShortcutActions(blob)
		if err != nil {
			s.ActionsError = err.Error()
		}
		s.Actions = actions
	}
	return s
}

// decodeShortcutActions reads ZDATA: a plist array of actions, or a workflow dictionary
// holding it under WFWorkflowActions.
func decodeShortcutActions(blob []byte) ([]ShortcutAction, error) {
	var v any
	if err := plistsafe.Unmarshal(blob, &v); err != nil {
		return nil, fmt.Errorf("actions: %w", err)
	}
	if wf, ok := v.(map[string]any); ok {
		v = wf["WFWorkflowActions"]
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("actions: a %T, not a list", v)
	}
	out := make([]ShortcutAction, 0, len(list))
	for _, item := range list {
		a, _ := item.(map[string]any)
		out = append(out, ShortcutAction{
			Identifier: plistAsString(a["WFWorkflowActionIdentifier"]),
			URLs:       plistLinks(a["WFWorkflowActionParameters"], nil),
		})
	}
	return out, nil
}

// plistLinks appends the links in every string of v, walking dictionaries (in key order)
// and arrays. MVT runs its link pattern over Python's rendering of the parameters; reading
// each string on its own gives the same links without the quotes that rendering adds.
// plistsafe bounds the nesting, so the recursion is shallow.
func plistLinks(v any, out []string) []string {
	switch x := v.(type) {
	case string:
		for _, u := range ioc.ExtractURLs(x) {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	case []any:
		for _, e := range x {
			out = plistLinks(e, out)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = plistLinks(x[k], out)
		}
	}
	return out
}
