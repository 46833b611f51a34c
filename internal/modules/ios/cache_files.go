package ios

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// cacheDBName is the file name of NSURLCache databases, which apps and daemons keep
// wherever their caches are.
const cacheDBName = "Cache.db"

// CacheFiles reads every NSURLCache database (Cache.db) of a filesystem dump: the URLs
// apps and system services fetched, exploit downloads by system daemons included.
type CacheFiles struct{ about }

// NewCacheFiles returns the cache_files module.
func NewCacheFiles() *CacheFiles {
	return &CacheFiles{about{
		name:      "ios/cache_files",
		desc:      "URLs fetched by apps and system services (every NSURLCache Cache.db)",
		kinds:     fsOnlyKinds,
		artifacts: []string{string(acq.IOSFilesystem) + ": **/" + cacheDBName},
	}}
}

// CacheResponse is one cached response of a Cache.db.
type CacheResponse struct {
	EntryID       int64     `json:"entry_id"`
	Version       *int64    `json:"version,omitempty"`
	HashValue     *int64    `json:"hash_value,omitempty"`
	StoragePolicy *int64    `json:"storage_policy,omitempty"`
	URL           string    `json:"url"` // request_key
	Time          time.Time `json:"time,omitzero"`
	TimeText      string    `json:"time_stamp,omitempty"` // as stored, when it is not a readable date
	Database      string    `json:"database"`
}

// Events implements module.Record.
func (r CacheResponse) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Time, Event: "cache_response",
		Description: r.Database + " recorded visit to URL " + r.URL}}
}

// Observables implements module.Record.
func (r CacheResponse) Observables() []ioc.Observable {
	if r.URL == "" {
		return nil
	}
	return []ioc.Observable{{Type: ioc.URL, Value: r.URL}}
}

// Run implements module.Module.
func (m *CacheFiles) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	var files []acq.File
	err := in.Source().Walk(func(f acq.File) error {
		if !f.IsDir() && f.Flags != 4 && path.Base(f.Path) == cacheDBName {
			files = append(files, f)
		}
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("looking for %s files: %w", cacheDBName, err)
	}
	if len(files) == 0 {
		return module.ErrNoData
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readCacheResponses(db, f.Path, emit)
	})
}

func readCacheResponses(db *module.DB, file string, emit module.Emitter) error {
	cols, err := requireColumns(db, "cfurl_cache_response", "request_key")
	if err != nil {
		return err
	}
	c := func(name string) string { return columnOr(cols, "r", name, "NULL") }
	stmt, _, err := db.Prepare(`SELECT ` + c("entry_ID") + `, ` + c("version") + `, ` + c("hash_value") + `, ` +
		c("storage_policy") + `, r.request_key, ` + c("time_stamp") + ` FROM cfurl_cache_response r ORDER BY r.rowid`)
	if err != nil {
		return fmt.Errorf("query responses: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		r := CacheResponse{EntryID: stmt.ColumnInt64(0), Version: columnIntOrNil(stmt, 1), HashValue: columnIntOrNil(stmt, 2),
			StoragePolicy: columnIntOrNil(stmt, 3), URL: columnString(stmt, 4), Database: file}
		r.Time, r.TimeText = cacheTime(columnString(stmt, 5))
		emit.Record(r)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read responses: %w", err)
	}
	return nil
}

// cacheTime reads time_stamp, which SQLite's CURRENT_TIMESTAMP wrote as UTC text; what
// does not parse is kept as text.
func cacheTime(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t.UTC(), ""
	}
	return time.Time{}, s
}
