package ios

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// WebKitSessionResourceLog reads WebKit's per-app browsing-session resource log: each site with
// the sites that redirected to it, it redirected to, and it loaded frames and resources from.
type WebKitSessionResourceLog struct {
	about
	places places
}

var webKitResourceLogPlaces = places{
	acq.IOSBackup: {{"", "Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist"}},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Containers/Data/Application/*/SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/full_browsing_session_resourceLog.plist"},
		{"", "private/var/mobile/Containers/Data/Application/*/Library/WebKit/WebsiteData/ResourceLoadStatistics/full_browsing_session_resourceLog.plist"},
		{"", "private/var/mobile/Library/WebClips/*/Storage/full_browsing_session_resourceLog.plist"},
	},
}

// NewWebKitSessionResourceLog returns the webkit_session_resource_log module.
func NewWebKitSessionResourceLog() *WebKitSessionResourceLog {
	return &WebKitSessionResourceLog{about: about{
		name:      "ios/webkit_session_resource_log",
		desc:      "Sites, their redirects and third-party origins from WebKit's session resource log",
		kinds:     backupAndFS,
		artifacts: webKitResourceLogPlaces.artifacts(),
	}, places: webKitResourceLogPlaces}
}

// WebKitResourceLogEntry is one item of browsingStatistics.
type WebKitResourceLogEntry struct {
	Origin        string   `json:"origin"`
	RedirectsFrom []string `json:"redirects_from,omitempty"`
	RedirectsTo   []string `json:"redirects_to,omitempty"`
	Subframes     []string `json:"subframe_origins,omitempty"`
	Subresources  []string `json:"subresource_origins,omitempty"`
	// Other holds the remaining domain lists WebKit keeps (subresource redirects, link
	// decorations ...), by plist key.
	Other                     map[string][]string `json:"other_domains,omitempty"`
	HadUserInteraction        bool                `json:"had_user_interaction"`
	MostRecentUserInteraction time.Time           `json:"most_recent_user_interaction,omitzero"`
	LastSeen                  time.Time           `json:"last_seen,omitzero"`
	BackupDomain              string              `json:"backup_domain,omitempty"` // the owning app's
	App                       string              `json:"app,omitempty"`           // on a dump: the owning app's id, or its container
	File                      string              `json:"file"`
}

// Events implements module.Record.
func (e WebKitResourceLogEntry) Events() []timeline.Event {
	var out []timeline.Event
	if !e.LastSeen.IsZero() {
		out = append(out, timeline.Event{Time: e.LastSeen, Event: "session_resource_last_seen",
			Description: e.Origin + " last seen in " + appLabel(e.BackupDomain, e.App, e.File)})
	}
	if !e.MostRecentUserInteraction.IsZero() {
		out = append(out, timeline.Event{Time: e.MostRecentUserInteraction, Event: "session_resource_user_interaction",
			Description: "User interacted with " + e.Origin + " in " + appLabel(e.BackupDomain, e.App, e.File)})
	}
	return out
}

// Observables implements module.Record: the origin and every domain listed with it, once each.
func (e WebKitResourceLogEntry) Observables() []ioc.Observable {
	seen := map[string]bool{}
	var out []ioc.Observable
	add := func(vals ...string) {
		for _, v := range vals {
			if v == "" || seen[v] {
				continue
			}
			seen[v] = true
			t := ioc.Domain
			if strings.Contains(v, "://") {
				t = ioc.URL
			}
			out = append(out, ioc.Observable{Type: t, Value: v})
		}
	}
	add(e.Origin)
	add(e.RedirectsFrom...)
	add(e.RedirectsTo...)
	add(e.Subframes...)
	add(e.Subresources...)
	for _, k := range slices.Sorted(maps.Keys(e.Other)) {
		add(e.Other[k]...)
	}
	return out
}

// Run implements module.Module.
func (m *WebKitSessionResourceLog) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	own := newOwners(in)
	return eachFile(ctx, files, emit, func(f acq.File) error { return m.read(in, f, own.app(f), emit) })
}

func (m *WebKitSessionResourceLog) read(in *module.Input, f acq.File, app string, emit module.Emitter) error {
	var doc map[string]any
	if err := readPlist(in, f, &doc); err != nil {
		return err
	}
	stats, ok := doc["browsingStatistics"].([]any)
	if !ok {
		if _, present := doc["browsingStatistics"]; present {
			return fmt.Errorf("browsingStatistics is a %T, not an array", doc["browsingStatistics"])
		}
		return nil // an app that has logged nothing yet
	}
	skipped := 0
	for _, item := range stats {
		dict, ok := item.(map[string]any)
		if !ok {
			skipped++
			continue
		}
		e := parseResourceLogEntry(dict)
		e.BackupDomain, e.App, e.File = f.Domain, app, f.Path
		emit.Record(e)
	}
	if skipped > 0 {
		emit.Problem(fmt.Errorf("%s: %d browsingStatistics items are not dictionaries", fileMention(f), skipped))
	}
	return nil
}

// resourceLogLists names the plist keys of each list the record has a field for: WebKit wrote
// "…Origins" lists of {origin, count} before its model version 15 and "…Domains" lists of
// {domain} since; MVT reads only the former.
func resourceLogLists(e *WebKitResourceLogEntry) map[string]*[]string {
	return map[string]*[]string{
		"topFrameUniqueRedirectsFrom":     &e.RedirectsFrom,
		"topFrameUniqueRedirectsTo":       &e.RedirectsTo,
		"subframeUnderTopFrameOrigins":    &e.Subframes,
		"subframeUnderTopFrameDomains":    &e.Subframes,
		"subresourceUnderTopFrameOrigins": &e.Subresources,
		"subresourceUnderTopFrameDomains": &e.Subresources,
	}
}

func parseResourceLogEntry(d map[string]any) WebKitResourceLogEntry {
	var e WebKitResourceLogEntry
	e.Origin = cmp.Or(plistAsString(d["PrevalentResourceOrigin"]), plistAsString(d["PrevalentResourceDomain"]))
	named := resourceLogLists(&e)
	for _, k := range slices.Sorted(maps.Keys(d)) {
		domains := domainList(d[k])
		switch {
		case len(domains) == 0:
		case named[k] != nil:
			*named[k] = append(*named[k], domains...)
		default:
			if e.Other == nil {
				e.Other = map[string][]string{}
			}
			e.Other[k] = domains
		}
	}
	e.HadUserInteraction = plistAsInt(d["hadUserInteraction"]) != 0
	e.LastSeen = resourceLogTime(d["lastSeen"])
	e.MostRecentUserInteraction = resourceLogTime(d["mostRecentUserInteraction"])
	return e
}

// domainList reads a list of {origin: …} / {domain: …} dictionaries, the only shape WebKit
// writes; other values (a list of font names, a number) give nil.
func domainList(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		dict, _ := it.(map[string]any)
		for _, k := range []string{"origin", "domain"} {
			if s := plistAsString(dict[k]); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// resourceLogTime reads a time stored as a plist date (what MVT expects) or as a number of Unix
// seconds (what WebKit's keyed encoder writes).
func resourceLogTime(v any) time.Time {
	switch n := v.(type) {
	case float64:
		return timestamp.Unix(n)
	case int64:
		return timestamp.Unix(float64(n))
	case uint64:
		return timestamp.Unix(float64(n))
	}
	return plistAsTime(v)
}
