package ios

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// amnestyPegasus2021 documents the network-injection redirect heuristic.
const amnestyPegasus2021 = "Amnesty International, Forensic Methodology Report: How to catch NSO Group's Pegasus (2021)"

// SafariHistory reads the visits of Safari's History.db, one database per profile.
type SafariHistory struct {
	about
	places places
}

// Safari keeps one History.db per profile (iOS 17+); on a dump, Safari's own container
// holds them too.
var safariHistoryPlaces = places{
	acq.IOSBackup: {
		{"", "Library/Safari/History.db"},
		{"", "Library/Safari/Profiles/*/History.db"},
	},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Library/Safari/History.db"},
		{"", "private/var/mobile/Library/Safari/Profiles/*/History.db"},
		{"", "private/var/mobile/Containers/Data/Application/*/Library/Safari/History.db"},
		{"", "private/var/mobile/Containers/Data/Application/*/Library/Safari/Profiles/*/History.db"},
	},
}

// NewSafariHistory returns the safari_history module.
func NewSafariHistory() *SafariHistory {
	return &SafariHistory{about: about{
		name:      "ios/safari_history",
		desc:      "Safari visits; flags fast cross-site redirects from http:// pages (network injection)",
		kinds:     backupAndFS,
		artifacts: safariHistoryPlaces.artifacts(),
	}, places: safariHistoryPlaces}
}

// SafariVisit is one visit of Safari's history.
type SafariVisit struct {
	ID                  int64     `json:"id"`
	URL                 string    `json:"url"`
	VisitTime           time.Time `json:"visit_time,omitzero"`
	RedirectSource      int64     `json:"redirect_source,omitempty"`      // visit id this one was redirected from
	RedirectDestination int64     `json:"redirect_destination,omitempty"` // visit id this one redirected to
	RedirectURL         string    `json:"redirect_destination_url,omitempty"`
	BackupDomain        string    `json:"backup_domain,omitempty"`
	Database            string    `json:"database"`
}

// Events implements module.Record.
func (v SafariVisit) Events() []timeline.Event {
	if v.VisitTime.IsZero() {
		return nil
	}
	desc := "Safari visit to " + v.URL
	if v.RedirectURL != "" {
		desc += " (redirected to " + v.RedirectURL + ")"
	}
	return []timeline.Event{{Time: v.VisitTime, Event: "safari_history", Description: desc}}
}

// Observables implements module.Record.
func (v SafariVisit) Observables() []ioc.Observable {
	return []ioc.Observable{{Type: ioc.URL, Value: v.URL}}
}

// Run implements module.Module.
func (m *SafariHistory) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

// read streams one database's visits. The redirect destination comes from a self-join on the
// visit id (the table's primary key), so no visit is held beyond its own row. CROSS JOIN makes
// SQLite walk the visits in id order, which the ORDER BY then costs nothing: a million visits
// are never sorted in a temporary table.
func (m *SafariHistory) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	cols, err := requireColumns(db, "history_visits", "id", "history_item", "visit_time")
	if err != nil {
		return err
	}
	if _, err := requireColumns(db, "history_items", "id", "url"); err != nil {
		return err
	}
	src := columnOr(cols, "v", "redirect_source", "NULL")
	dst := columnOr(cols, "v", "redirect_destination", "NULL")
	stmt, _, err := db.Prepare(`SELECT v.id, i.url, v.visit_time, ` + src + `, ` + dst + `,
		d.visit_time, di.url
		FROM history_visits v CROSS JOIN history_items i ON i.id = v.history_item
		LEFT JOIN history_visits d ON d.id = ` + dst + `
		LEFT JOIN history_items di ON di.id = d.history_item
		ORDER BY v.id`)
	if err != nil {
		return fmt.Errorf("query visits: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		v := SafariVisit{
			ID:                  stmt.ColumnInt64(0),
			URL:                 stmt.ColumnText(1),
			VisitTime:           timestamp.MacAbsolute(stmt.ColumnFloat(2)),
			RedirectSource:      stmt.ColumnInt64(3),
			RedirectDestination: stmt.ColumnInt64(4),
			RedirectURL:         stmt.ColumnText(6),
			BackupDomain:        f.Domain,
			Database:            f.Path,
		}
		emit.Record(v)
		if d, ok := fastRedirect(v, timestamp.MacAbsolute(stmt.ColumnFloat(5))); ok {
			emit.Detection(module.Detection{
				Severity: module.Medium,
				Message: fmt.Sprintf("A page redirected to another site in under a second, as "+
					"network-injection attacks do: %s → %s (%d ms)", v.URL, v.RedirectURL, d.Milliseconds()),
				Time:      v.VisitTime,
				Evidence:  v.URL + " → " + v.RedirectURL,
				Reference: amnestyPegasus2021,
				Record:    v,
			})
		}
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read visits: %w", err)
	}
	return nil
}

// fastRedirect reports whether an http:// visit was redirected to a different host within a
// second, and how long the redirect took. Injected redirects are instantaneous; a redirect to
// the same host is most likely the upgrade to https.
func fastRedirect(v SafariVisit, destTime time.Time) (time.Duration, bool) {
	if v.RedirectURL == "" || !hasPrefixFold(v.URL, "http://") || v.VisitTime.IsZero() || destTime.IsZero() {
		return 0, false
	}
	from, to := visitHost(v.URL), visitHost(v.RedirectURL)
	if from == "" || to == "" || from == to {
		return 0, false
	}
	d := destTime.Sub(v.VisitTime)
	return d, d >= 0 && d < time.Second
}

// visitHost is the URL's host, lower-cased, without a trailing dot and without one leading
// "www." (MVT strips the characters w and . instead, which turns web.example.com into
// eb.example.com). It is empty when the URL has no host.
func visitHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
