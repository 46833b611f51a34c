package ios

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// FirefoxFavicon reads the favicons Firefox for iOS stored with the pages that showed them.
type FirefoxFavicon struct {
	about
	places places
}

// NewFirefoxFavicon returns the firefox_favicon module.
func NewFirefoxFavicon() *FirefoxFavicon {
	return &FirefoxFavicon{about: about{
		name:      "ios/firefox_favicon",
		desc:      "Icon and page URLs from Firefox for iOS's favicon tables (browser.db)",
		kinds:     backupAndFS,
		artifacts: firefoxPlaces.artifacts(),
	}, places: firefoxPlaces}
}

// FirefoxFaviconRecord is one icon with one page that showed it.
type FirefoxFaviconRecord struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"` // the icon
	Width     int64     `json:"width,omitempty"`
	Height    int64     `json:"height,omitempty"`
	Type      int64     `json:"type"`
	Date      time.Time `json:"date,omitzero"`
	HistoryID int64     `json:"history_id"`
	PageURL   string    `json:"history_url,omitempty"`
	Database  string    `json:"database"`
}

// Events implements module.Record, with MVT's event name for both Firefox modules.
func (r FirefoxFaviconRecord) Events() []timeline.Event {
	if r.Date.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Date, Event: "firefox_history",
		Description: fmt.Sprintf("Firefox favicon %s when visiting %s", r.URL, r.PageURL)}}
}

// Observables implements module.Record: the icon, then the page.
func (r FirefoxFaviconRecord) Observables() []ioc.Observable {
	return appendUnique(nil, ioc.Observable{Type: ioc.URL, Value: r.URL}, ioc.Observable{Type: ioc.URL, Value: r.PageURL})
}

// Run implements module.Module.
func (m *FirefoxFavicon) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	return eachFirefoxDB(ctx, in, m.places, emit, readFirefoxFavicons)
}

// readFirefoxFavicons reads favicons ⋈ favicon_sites ⋈ history. favicons.date is read by
// magnitude: the app writes seconds, and MVT assumes them, but the column is untyped REAL.
func readFirefoxFavicons(db *module.DB, file string, emit module.Emitter) error {
	icons, err := requireColumns(db, "favicons", "id", "url")
	if err != nil {
		return err
	}
	if _, err := requireColumns(db, "favicon_sites", "siteID", "faviconID"); err != nil {
		return err
	}
	if _, err := requireColumns(db, "history", "id", "url"); err != nil {
		return err
	}
	stmt, _, err := db.Prepare(`SELECT f.id, f.url, ` + columnOr(icons, "f", "width", "0") + `, ` +
		columnOr(icons, "f", "height", "0") + `, ` + columnOr(icons, "f", "type", "0") + `, ` +
		columnOr(icons, "f", "date", "NULL") + `, h.id, h.url
		FROM favicons f JOIN favicon_sites s ON s.faviconID = f.id JOIN history h ON h.id = s.siteID
		ORDER BY 6, f.id, h.id`)
	if err != nil {
		return fmt.Errorf("query favicons: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(FirefoxFaviconRecord{
			ID:        stmt.ColumnInt64(0),
			URL:       columnText(stmt, 1),
			Width:     stmt.ColumnInt64(2),
			Height:    stmt.ColumnInt64(3),
			Type:      stmt.ColumnInt64(4),
			Date:      timestamp.UnixAuto(stmt.ColumnFloat(5)),
			HistoryID: stmt.ColumnInt64(6),
			PageURL:   columnText(stmt, 7),
			Database:  file,
		})
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read favicons: %w", err)
	}
	return nil
}
