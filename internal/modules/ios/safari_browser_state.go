package ios

import (
	"context"
	"fmt"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var safariBrowserStatePlaces = places{
	acq.IOSBackup: {
		{"", "Library/Safari/BrowserState.db"},
		{"", "Library/Safari/Profiles/*/BrowserState.db"},
	},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Library/Safari/BrowserState.db"},
		{"", "private/var/mobile/Library/Safari/Profiles/*/BrowserState.db"},
		{"", "private/var/mobile/Containers/Data/Application/*/Library/Safari/BrowserState.db"},
		{"", "private/var/mobile/Containers/Data/Application/*/Library/Safari/Profiles/*/BrowserState.db"},
	},
}

// SafariBrowserState reads Safari's open tabs and each tab's back/forward list, which keep
// pages the history may no longer show.
type SafariBrowserState struct {
	about
	places places
}

// NewSafariBrowserState returns the safari_browser_state module.
func NewSafariBrowserState() *SafariBrowserState {
	return &SafariBrowserState{about: about{
		name:      "ios/safari_browser_state",
		desc:      "Safari's open tabs with their back/forward history (BrowserState.db)",
		kinds:     backupAndFS,
		artifacts: safariBrowserStatePlaces.artifacts(),
	}, places: safariBrowserStatePlaces}
}

// SafariTab is one open tab of BrowserState.db.
type SafariTab struct {
	ID             int64                `json:"id"`
	UUID           string               `json:"uuid,omitempty"`
	Title          string               `json:"title,omitempty"`
	URL            string               `json:"url,omitempty"`
	UserVisibleURL string               `json:"user_visible_url,omitempty"`
	LastViewed     time.Time            `json:"last_viewed_time,omitzero"`
	Private        bool                 `json:"private_browsing"`
	Session        []SafariSessionEntry `json:"session_entries,omitempty"`
	SessionError   string               `json:"session_error,omitempty"` // why session_data was unreadable
	BackupDomain   string               `json:"backup_domain,omitempty"`
	Database       string               `json:"database"`
}

// Events implements module.Record.
func (t SafariTab) Events() []timeline.Event {
	if t.LastViewed.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: t.LastViewed, Event: "tab",
		Description: fmt.Sprintf("Safari tab %q - %s (%d pages in its history)", t.Title, t.URL, len(t.Session))}}
}

// Observables implements module.Record: the tab's URLs and every URL of its history.
func (t SafariTab) Observables() []ioc.Observable {
	out := appendUnique(nil, ioc.Observable{Type: ioc.URL, Value: t.URL},
		ioc.Observable{Type: ioc.URL, Value: t.UserVisibleURL})
	for _, e := range t.Session {
		out = appendUnique(out, ioc.Observable{Type: ioc.URL, Value: e.URL},
			ioc.Observable{Type: ioc.URL, Value: e.OriginalURL})
	}
	return out
}

// Run implements module.Module.
func (m *SafariBrowserState) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

func (m *SafariBrowserState) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	query, err := browserStateQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(query)
	if err != nil {
		return fmt.Errorf("query tabs: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		t := scanSafariTab(stmt, f)
		if t.SessionError != "" {
			emit.Problem(fmt.Errorf("%s tab %d: %s", f.Path, t.ID, t.SessionError))
		}
		emit.Record(t)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read tabs: %w", err)
	}
	return nil
}

// browserStateQuery joins each tab to its session state: in tab_sessions since iOS 12,
// in the tabs table before. A LEFT JOIN keeps tabs that have no saved state (MVT's inner
// join drops them, URL and all).
func browserStateQuery(db *module.DB) (string, error) {
	tabs, err := requireColumns(db, "tabs", "url")
	if err != nil {
		return "", err
	}
	sessions, err := db.Columns("tab_sessions")
	if err != nil {
		return "", fmt.Errorf("table tab_sessions: %w", err)
	}
	data, size, join := columnOr(tabs, "t", "session_data", "NULL"), columnOr(tabs, "t", "uncompressed_session_data_size", "0"), ""
	if sessions["tab_uuid"] && sessions["session_data"] && tabs["uuid"] {
		data, size = "s.session_data", columnOr(sessions, "s", "uncompressed_session_data_size", "0")
		join = ` LEFT JOIN tab_sessions s ON s.tab_uuid = t.uuid`
	}
	return `SELECT ` + columnOr(tabs, "t", "id", "t.rowid") + `, ` + columnOr(tabs, "t", "uuid", "NULL") + `, ` +
		columnOr(tabs, "t", "title", "NULL") + `, t.url, ` + columnOr(tabs, "t", "user_visible_url", "NULL") + `, ` +
		columnOr(tabs, "t", "last_viewed_time", "NULL") + `, ` + columnOr(tabs, "t", "private_browsing", "0") + `, ` +
		data + `, ` + size + ` FROM tabs t` + join + ` ORDER BY 6, 1`, nil
}

func scanSafariTab(stmt *sqlite3.Stmt, f acq.File) SafariTab {
	t := SafariTab{
		ID:             stmt.ColumnInt64(0),
		UUID:           columnText(stmt, 1),
		Title:          columnText(stmt, 2),
		URL:            columnText(stmt, 3),
		UserVisibleURL: columnText(stmt, 4),
		LastViewed:     timestamp.MacAbsolute(stmt.ColumnFloat(5)),
		Private:        stmt.ColumnInt64(6) != 0,
		BackupDomain:   f.Domain,
		Database:       f.Path,
	}
	if t.UserVisibleURL == t.URL {
		t.UserVisibleURL = ""
	}
	session, err := decodeSafariSession(stmt.ColumnRawBlob(7), stmt.ColumnInt64(8))
	if err != nil {
		t.SessionError = err.Error()
	}
	t.Session = session
	return t
}
