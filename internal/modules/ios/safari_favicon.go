package ios

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var safariFaviconPlaces = places{
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Library/Image Cache/Favicons/Favicons.db"},
		{"", appDataContainers + "Library/Image Cache/Favicons/Favicons.db"},
	},
}

// SafariFavicon reads Safari's favicon cache, which keeps the pages whose icon was shown
// after their history is gone, and the icons Safari refused.
type SafariFavicon struct {
	about
	places places
}

// NewSafariFavicon returns the safari_favicon module.
func NewSafariFavicon() *SafariFavicon {
	return &SafariFavicon{about: about{
		name:      "ios/safari_favicon",
		desc:      "Pages and icon URLs from Safari's favicon cache (Favicons.db), valid and rejected",
		kinds:     fsOnlyKinds,
		artifacts: safariFaviconPlaces.artifacts(),
	}, places: safariFaviconPlaces}
}

// Kinds of SafariFaviconRecord, MVT's words.
const (
	SafariFaviconValid    = "valid"
	SafariFaviconRejected = "rejected"
)

// SafariFaviconRecord is one page with its icon.
type SafariFaviconRecord struct {
	Type     string    `json:"type"` // valid or rejected
	PageURL  string    `json:"url"`
	IconURL  string    `json:"icon_url,omitempty"`
	Time     time.Time `json:"time,omitzero"`
	Database string    `json:"database"`
}

// Events implements module.Record.
func (r SafariFaviconRecord) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Time, Event: "safari_favicon", Description: fmt.Sprintf(
		"Safari favicon from %s with icon URL %s (%s)", r.PageURL, r.IconURL, r.Type)}}
}

// Observables implements module.Record: the page, then the icon.
func (r SafariFaviconRecord) Observables() []ioc.Observable {
	return appendUnique(nil, ioc.Observable{Type: ioc.URL, Value: r.PageURL}, ioc.Observable{Type: ioc.URL, Value: r.IconURL})
}

// Run implements module.Module.
func (m *SafariFavicon) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readSafariFavicons(db, f.Path, emit)
	})
}

// readSafariFavicons emits the valid icons, then the rejected ones, each by time. A
// database without rejected_resources (older iOS) has only valid ones.
func readSafariFavicons(db *module.DB, file string, emit module.Emitter) error {
	if _, err := requireColumns(db, "page_url", "uuid", "url"); err != nil {
		return err
	}
	info, err := requireColumns(db, "icon_info", "uuid", "url")
	if err != nil {
		return err
	}
	ts := columnOr(info, "i", "timestamp", "NULL")
	queries := []struct{ kind, sql string }{{SafariFaviconValid, `SELECT p.url, i.url, ` + ts + ` AS t
		FROM page_url p JOIN icon_info i ON p.uuid = i.uuid ORDER BY t IS NULL, t, p.url, i.url`}}
	if rej, err := db.Columns("rejected_resources"); err == nil && rej["page_url"] {
		queries = append(queries, struct{ kind, sql string }{SafariFaviconRejected, `SELECT r.page_url, ` +
			columnOr(rej, "r", "icon_url", "NULL") + `, ` + columnOr(rej, "r", "timestamp", "NULL") + ` AS t
			FROM rejected_resources r ORDER BY t IS NULL, t, 1, 2`})
	}
	for _, q := range queries {
		if err := emitSafariFavicons(db, q.kind, q.sql, file, emit); err != nil {
			return err
		}
	}
	return nil
}

func emitSafariFavicons(db *module.DB, kind, query, file string, emit module.Emitter) error {
	stmt, _, err := db.Prepare(query)
	if err != nil {
		return fmt.Errorf("query %s favicons: %w", kind, err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(SafariFaviconRecord{Type: kind, PageURL: columnString(stmt, 0), IconURL: columnString(stmt, 1),
			Time: columnMacTime(stmt, 2), Database: file})
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read %s favicons: %w", kind, err)
	}
	return nil
}
