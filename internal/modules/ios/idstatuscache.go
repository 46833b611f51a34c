package ios

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var idStatusCachePlaces = places{
	acq.IOSBackup: {
		{"HomeDomain", "Library/Preferences/com.apple.identityservices.idstatuscache.plist"},
		{"HomeDomain", "Library/IdentityServices/idstatuscache.plist"},
	},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Library/Preferences/com.apple.identityservices.idstatuscache.plist"},
		{"", "private/var/mobile/Library/IdentityServices/idstatuscache.plist"},
	},
}

// IDStatusCache reads the identity-services cache of iMessage/FaceTime look-ups: which
// accounts the phone checked, and when. Zero-click exploits arrived from such accounts.
type IDStatusCache struct {
	about
	places places
}

// NewIDStatusCache returns the idstatuscache module.
func NewIDStatusCache() *IDStatusCache {
	return &IDStatusCache{about: about{
		name:      "ios/idstatuscache",
		desc:      "iMessage/FaceTime account look-ups (identity services status cache)",
		kinds:     backupAndFS,
		artifacts: idStatusCachePlaces.artifacts(),
	}, places: idStatusCachePlaces}
}

// IDStatusRecord is one identity looked up for one service.
type IDStatusRecord struct {
	File        string    `json:"file"`
	Service     string    `json:"service"`  // e.g. com.apple.madrid (iMessage)
	Identity    string    `json:"identity"` // mailto:… or tel:…; NUL bytes written as \x00
	LookupDate  time.Time `json:"lookup_date,omitzero"`
	IDStatus    int64     `json:"id_status"`
	Occurrences int       `json:"occurrences"` // how many services looked this identity up
	raw         string    // the identity as stored, NULs included
}

// Email returns the e-mail address of a mailto: identity, without quotes, or "".
func (r IDStatusRecord) Email() string {
	addr, ok := strings.CutPrefix(r.raw, "mailto:")
	if !ok {
		return ""
	}
	return strings.Trim(addr, `'" `)
}

// Observables implements module.Record: attacker iCloud accounts are e-mail indicators.
func (r IDStatusRecord) Observables() []ioc.Observable {
	if e := r.Email(); e != "" {
		return []ioc.Observable{{Type: ioc.Email, Value: e}}
	}
	return nil
}

// Events implements module.Record.
func (r IDStatusRecord) Events() []timeline.Event {
	if r.LookupDate.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.LookupDate, Event: "lookup",
		Description: fmt.Sprintf("Lookup of %s within %s (Status %d)", r.Identity, r.Service, r.IDStatus)}}
}

// Run implements module.Module.
func (m *IDStatusCache) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var services map[string]any
		if err := readPlist(in, f, &services); err != nil {
			return err
		}
		for _, r := range idStatusRecords(f.Path, services) {
			emit.Record(r)
			if strings.Contains(r.raw, "\x00\x00") {
				emit.Detection(module.Detection{
					Severity: module.High,
					Message: "An iMessage/FaceTime account look-up contains hidden NUL characters, " +
						"a malformed identity seen in zero-click attacks",
					Time:      r.LookupDate,
					Evidence:  r.Identity,
					Reference: "MVT (idstatuscache module)",
					Record:    r,
				})
			}
		}
		return nil
	})
}

// idStatusRecords flattens service → identity → {LookupDate, IDStatus}, sorted, and counts
// each identity's occurrences within the file as MVT does.
func idStatusRecords(file string, services map[string]any) []IDStatusRecord {
	var out []IDStatusRecord
	counts := map[string]int{}
	for _, service := range slices.Sorted(maps.Keys(services)) {
		ids, ok := services[service].(map[string]any)
		if !ok {
			continue
		}
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			entry, ok := ids[id].(map[string]any)
			if !ok {
				continue
			}
			counts[id]++
			out = append(out, IDStatusRecord{
				File: file, Service: service, raw: id,
				Identity:   strings.ReplaceAll(id, "\x00", `\x00`),
				LookupDate: plistAsMacTime(entry["LookupDate"]),
				IDStatus:   plistAsInt(entry["IDStatus"]),
			})
		}
	}
	for i := range out {
		out[i].Occurrences = counts[out[i].raw]
	}
	return out
}
