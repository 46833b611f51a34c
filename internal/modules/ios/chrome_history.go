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

// chromeProfile is where Chrome for iOS keeps its default profile, inside its container.
const chromeProfile = "Library/Application Support/Google/Chrome/Default/"

var chromeHistoryPlaces = places{
	acq.IOSBackup:     {{"AppDomain-com.google.chrome.ios", chromeProfile + "History"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Containers/Data/Application/*/" + chromeProfile + "History"}},
}

// ChromeHistory reads the visits of Chrome for iOS.
type ChromeHistory struct {
	about
	places places
}

// NewChromeHistory returns the chrome_history module.
func NewChromeHistory() *ChromeHistory {
	return &ChromeHistory{about: about{
		name:      "ios/chrome_history",
		desc:      "Chrome for iOS visits (History database)",
		kinds:     backupAndFS,
		artifacts: chromeHistoryPlaces.artifacts(),
	}, places: chromeHistoryPlaces}
}

// ChromeVisit is one visit of Chrome's history.
type ChromeVisit struct {
	ID         int64     `json:"visit_id"`
	URLID      int64     `json:"url_id"`
	URL        string    `json:"url"`
	Title      string    `json:"title,omitempty"`
	VisitTime  time.Time `json:"visit_time,omitzero"`
	FromVisit  int64     `json:"from_visit,omitempty"` // the visit that led here: a link or a redirect
	Transition int64     `json:"transition,omitempty"` // Chromium page-transition bits
	Database   string    `json:"database"`
}

// Events implements module.Record.
func (v ChromeVisit) Events() []timeline.Event {
	if v.VisitTime.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: v.VisitTime, Event: "visit",
		Description: fmt.Sprintf("Chrome visit to %s (visit %d, from visit %d)", v.URL, v.ID, v.FromVisit)}}
}

// Observables implements module.Record.
func (v ChromeVisit) Observables() []ioc.Observable {
	return appendUnique(nil, ioc.Observable{Type: ioc.URL, Value: v.URL})
}

// Run implements module.Module.
func (m *ChromeHistory) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readChromeVisits(db, f.Path, emit)
	})
}

func readChromeVisits(db *module.DB, file string, emit module.Emitter) error {
	visits, err := requireColumns(db, "visits", "id", "url", "visit_time")
	if err != nil {
		return err
	}
	urls, err := requireColumns(db, "urls", "id", "url")
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(`SELECT v.id, u.id, u.url, ` + columnOr(urls, "u", "title", "NULL") + `, v.visit_time, ` +
		columnOr(visits, "v", "from_visit", "0") + `, ` + columnOr(visits, "v", "transition", "0") + `
		FROM visits v JOIN urls u ON u.id = v.url ORDER BY v.visit_time, v.id`)
	if err != nil {
		return fmt.Errorf("query visits: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(ChromeVisit{
			ID:         stmt.ColumnInt64(0),
			URLID:      stmt.ColumnInt64(1),
			URL:        columnText(stmt, 2),
			Title:      columnText(stmt, 3),
			VisitTime:  timestamp.Chrome(stmt.ColumnInt64(4)),
			FromVisit:  stmt.ColumnInt64(5),
			Transition: stmt.ColumnInt64(6),
			Database:   file,
		})
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read visits: %w", err)
	}
	return nil
}
