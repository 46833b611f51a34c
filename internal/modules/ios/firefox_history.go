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

// firefoxPlaces is Firefox for iOS's browser.db, in its app group. MVT's filesystem pattern
// (private/var/mobile/profile.profile) is kept as well, though app groups live under
// Containers/Shared/AppGroup.
var firefoxPlaces = places{
	acq.IOSBackup: {{"AppDomainGroup-group.org.mozilla.ios.Firefox", "profile.profile/browser.db"}},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Containers/Shared/AppGroup/*/profile.profile/browser.db"},
		{"", "private/var/mobile/profile.profile/browser.db"},
	},
}

// FirefoxHistory reads the visits of Firefox for iOS.
type FirefoxHistory struct {
	about
	places places
}

// NewFirefoxHistory returns the firefox_history module.
func NewFirefoxHistory() *FirefoxHistory {
	return &FirefoxHistory{about: about{
		name:      "ios/firefox_history",
		desc:      "Firefox for iOS visits (browser.db)",
		kinds:     backupAndFS,
		artifacts: firefoxPlaces.artifacts(),
	}, places: firefoxPlaces}
}

// FirefoxVisit is one visit of Firefox's history.
type FirefoxVisit struct {
	ID        int64     `json:"id"`
	SiteID    int64     `json:"site_id"`
	URL       string    `json:"url,omitempty"` // empty for pages deleted from history
	Title     string    `json:"title,omitempty"`
	VisitTime time.Time `json:"visit_time,omitzero"`
	IsLocal   bool      `json:"is_local"` // false: synced from another device
	Type      int64     `json:"type"`     // Firefox's VisitType (1 link, 2 typed, ...)
	Database  string    `json:"database"`
}

// Events implements module.Record.
func (v FirefoxVisit) Events() []timeline.Event {
	if v.VisitTime.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: v.VisitTime, Event: "firefox_history",
		Description: fmt.Sprintf("Firefox visit with ID %d to URL: %s", v.ID, v.URL)}}
}

// Observables implements module.Record.
func (v FirefoxVisit) Observables() []ioc.Observable {
	return appendUnique(nil, ioc.Observable{Type: ioc.URL, Value: v.URL})
}

// Run implements module.Module.
func (m *FirefoxHistory) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	return eachFirefoxDB(ctx, in, m.places, emit, readFirefoxVisits)
}

// eachFirefoxDB opens every browser.db and hands it to read.
func eachFirefoxDB(ctx context.Context, in *module.Input, p places, emit module.Emitter,
	read func(*module.DB, string, module.Emitter) error) error {
	files, err := p.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return read(db, f.Path, emit)
	})
}

func readFirefoxVisits(db *module.DB, file string, emit module.Emitter) error {
	visits, err := requireColumns(db, "visits", "id", "siteID", "date")
	if err != nil {
		return err
	}
	history, err := requireColumns(db, "history", "id", "url")
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(`SELECT v.id, h.id, h.url, ` + columnOr(history, "h", "title", "NULL") + `, v.date, ` +
		columnOr(visits, "v", "is_local", "1") + `, ` + columnOr(visits, "v", "type", "0") + `
		FROM visits v JOIN history h ON h.id = v.siteID ORDER BY v.date, v.id`)
	if err != nil {
		return fmt.Errorf("query visits: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(FirefoxVisit{
			ID:        stmt.ColumnInt64(0),
			SiteID:    stmt.ColumnInt64(1),
			URL:       columnText(stmt, 2),
			Title:     columnText(stmt, 3),
			VisitTime: timestamp.UnixAuto(stmt.ColumnFloat(4)),
			IsLocal:   stmt.ColumnInt64(5) != 0,
			Type:      stmt.ColumnInt64(6),
			Database:  file,
		})
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read visits: %w", err)
	}
	return nil
}
