package ios

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var chromeFaviconPlaces = places{
	acq.IOSBackup:     {{"AppDomain-com.google.chrome.ios", chromeProfile + "Favicons"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Containers/Data/Application/*/" + chromeProfile + "Favicons"}},
}

// ChromeFavicon reads Chrome's favicon cache: which pages were shown with which icon. It
// outlives history clean-ups, so a visited site may survive here.
type ChromeFavicon struct {
	about
	places places
}

// NewChromeFavicon returns the chrome_favicon module.
func NewChromeFavicon() *ChromeFavicon {
	return &ChromeFavicon{about: about{
		name:      "ios/chrome_favicon",
		desc:      "Pages and icon URLs from Chrome for iOS's favicon cache (Favicons database)",
		kinds:     backupAndFS,
		artifacts: chromeFaviconPlaces.artifacts(),
	}, places: chromeFaviconPlaces}
}

// ChromeFaviconRecord is one page of the favicon cache with its icon.
type ChromeFaviconRecord struct {
	MappingID int64     `json:"icon_mapping_id"`
	PageURL   string    `json:"url"`
	IconURL   string    `json:"icon_url,omitempty"`
	Time      time.Time `json:"time,omitzero"` // newest bitmap update, else its last request
	Database  string    `json:"database"`
}

// Events implements module.Record.
func (r ChromeFaviconRecord) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Time, Event: "new_favicon", Description: r.IconURL + " from " + r.PageURL}}
}

// Observables implements module.Record: the page, then the icon.
func (r ChromeFaviconRecord) Observables() []ioc.Observable {
	return appendUnique(nil, ioc.Observable{Type: ioc.URL, Value: r.PageURL}, ioc.Observable{Type: ioc.URL, Value: r.IconURL})
}

// Run implements module.Module.
func (m *ChromeFavicon) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readChromeFavicons(db, f.Path, emit)
	})
}

// readChromeFavicons emits one record per page-to-icon mapping. MVT emits one per bitmap
// (an icon has one per size) and drops mappings without a bitmap; here each mapping comes
// once, dated by its newest bitmap, and one never downloaded still names its URLs.
func readChromeFavicons(db *module.DB, file string, emit module.Emitter) error {
	if _, err := requireColumns(db, "icon_mapping", "id", "page_url", "icon_id"); err != nil {
		return err
	}
	if _, err := requireColumns(db, "favicons", "id", "url"); err != nil {
		return err
	}
	stmt, _, err := db.Prepare(`SELECT m.id, m.page_url, f.url, b.t FROM icon_mapping m
		LEFT JOIN favicons f ON f.id = m.icon_id
		LEFT JOIN (` + chromeBitmapTimes(db) + `) b ON b.icon_id = m.icon_id
		ORDER BY NULLIF(b.t, 0), m.id`)
	if err != nil {
		return fmt.Errorf("query favicons: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(ChromeFaviconRecord{
			MappingID: stmt.ColumnInt64(0),
			PageURL:   columnText(stmt, 1),
			IconURL:   columnText(stmt, 2),
			Time:      timestamp.Chrome(stmt.ColumnInt64(3)),
			Database:  file,
		})
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read favicons: %w", err)
	}
	return nil
}

// chromeBitmapTimes is a subquery of (icon_id, t): each icon's newest time, taking
// last_updated and, where it is 0, last_requested (a column Favicons version 8 added).
func chromeBitmapTimes(db *module.DB) string {
	cols, err := db.Columns("favicon_bitmaps")
	if err != nil || !cols["icon_id"] || !cols["last_updated"] {
		return `SELECT NULL AS icon_id, NULL AS t WHERE 0`
	}
	t := "last_updated"
	if cols["last_requested"] {
		t = "CASE WHEN last_updated > 0 THEN last_updated ELSE last_requested END"
	}
	return `SELECT icon_id, MAX(` + t + `) AS t FROM favicon_bitmaps GROUP BY icon_id`
}
