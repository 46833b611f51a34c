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

// WebKitResourceLoadStatistics reads the sites WebKit observed in each app (observations.db),
// which outlive the app's own browsing history.
type WebKitResourceLoadStatistics struct {
	about
	places places
}

// Every app that shows web pages has its own observations.db; on a dump, apps that use
// SafariViewService keep another in its system data.
var webKitObservationsPlaces = places{
	acq.IOSBackup: {{"", "Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db"}},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Containers/Data/Application/*/Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db"},
		{"", "private/var/mobile/Containers/Data/Application/*/SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/observations.db"},
	},
}

// NewWebKitResourceLoadStatistics returns the webkit_resource_load_statistics module.
func NewWebKitResourceLoadStatistics() *WebKitResourceLoadStatistics {
	return &WebKitResourceLoadStatistics{about: about{
		name:      "ios/webkit_resource_load_statistics",
		desc:      "Sites WebKit observed per app (ResourceLoadStatistics observations.db)",
		kinds:     backupAndFS,
		artifacts: webKitObservationsPlaces.artifacts(),
	}, places: webKitObservationsPlaces}
}

// WebKitObservedDomain is one row of ObservedDomains.
type WebKitObservedDomain struct {
	DomainID                     int64     `json:"domain_id"`
	RegistrableDomain            string    `json:"registrable_domain"`
	LastSeen                     time.Time `json:"last_seen,omitzero"`
	HadUserInteraction           bool      `json:"had_user_interaction"`
	MostRecentUserInteraction    time.Time `json:"most_recent_user_interaction,omitzero"`
	MostRecentWebPushInteraction time.Time `json:"most_recent_web_push_interaction,omitzero"`
	BackupDomain                 string    `json:"backup_domain,omitempty"` // the owning app's
	App                          string    `json:"app,omitempty"`           // on a dump: the owning app's id, or its container
	Database                     string    `json:"database"`
}

// Events implements module.Record.
func (d WebKitObservedDomain) Events() []timeline.Event {
	if d.LastSeen.IsZero() {
		return nil
	}
	desc := d.RegistrableDomain + " visited in " + appLabel(d.BackupDomain, d.App, d.Database)
	if d.HadUserInteraction {
		desc += " (with user interaction)"
	}
	return []timeline.Event{{Time: d.LastSeen, Event: "visit", Description: desc}}
}

// Observables implements module.Record.
func (d WebKitObservedDomain) Observables() []ioc.Observable {
	if d.RegistrableDomain == "" {
		return nil
	}
	return []ioc.Observable{{Type: ioc.Domain, Value: d.RegistrableDomain}}
}

// Run implements module.Module.
func (m *WebKitResourceLoadStatistics) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	own := newOwners(in)
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, own.app(f), emit) })
}

func (m *WebKitResourceLoadStatistics) read(ctx context.Context, db *module.DB, f acq.File, app string, emit module.Emitter) error {
	cols, err := requireColumns(db, "ObservedDomains", "registrableDomain", "lastSeen")
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(`SELECT ` + columnOr(cols, "o", "domainID", "o.rowid") + `,
		o.registrableDomain, o.lastSeen, ` +
		columnOr(cols, "o", "hadUserInteraction", "NULL") + `, ` +
		columnOr(cols, "o", "mostRecentUserInteractionTime", "NULL") + `, ` +
		columnOr(cols, "o", "mostRecentWebPushInteractionTime", "NULL") + `
		FROM ObservedDomains o ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("query ObservedDomains: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(WebKitObservedDomain{
			DomainID:                     stmt.ColumnInt64(0),
			RegistrableDomain:            stmt.ColumnText(1),
			LastSeen:                     timestamp.Unix(stmt.ColumnFloat(2)),
			HadUserInteraction:           stmt.ColumnInt64(3) != 0,
			MostRecentUserInteraction:    timestamp.Unix(stmt.ColumnFloat(4)),
			MostRecentWebPushInteraction: timestamp.Unix(stmt.ColumnFloat(5)),
			BackupDomain:                 f.Domain,
			App:                          app,
			Database:                     f.Path,
		})
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read ObservedDomains: %w", err)
	}
	return nil
}
