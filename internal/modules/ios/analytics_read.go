package ios

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/module"
)

// analyticsPlaces are the security framework's analytics databases (CloudKit, Keychain
// sync, TLS ...), which log failures with the process and host involved.
var analyticsPlaces = places{acq.IOSFilesystem: {{"", "private/var/Keychains/Analytics/*.db"}}}

// analyticsTables hold (timestamp, data) rows; all_events is missing on some versions.
var analyticsTables = []string{"hard_failures", "soft_failures", "all_events"}

// eachAnalyticsFile opens every analytics database and hands each decoded row to fn.
func eachAnalyticsFile(ctx context.Context, in *module.Input, emit module.Emitter, fn func(AnalyticsRecord)) error {
	files, err := analyticsPlaces.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return eachAnalyticsRow(db, f.Path, fn)
	})
}

// eachAnalyticsRow reads the rows of every analytics table db has, by time. A row whose
// data is not a plist is still passed on, with the decoding error, because its time and
// table say something happened.
func eachAnalyticsRow(db *module.DB, file string, fn func(AnalyticsRecord)) error {
	query, err := analyticsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(query)
	if err != nil {
		return fmt.Errorf("query analytics: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		r := AnalyticsRecord{Database: file, Table: stmt.ColumnText(0), Time: columnMacTime(stmt, 1)}
		if raw := stmt.ColumnRawBlob(2); len(raw) > 0 {
			var data any
			if err := plistsafe.Unmarshal(raw, &data); err != nil {
				r.DataError = err.Error()
			} else {
				r.Data = plistJSONSafe(data)
			}
		}
		fn(r)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read analytics: %w", err)
	}
	return nil
}

// analyticsQuery joins the tables present into one query sorted by time (rows without
// one last), then table and row.
func analyticsQuery(db *module.DB) (string, error) {
	var parts []string
	for _, t := range analyticsTables {
		cols, err := db.Columns(t)
		if err != nil {
			return "", fmt.Errorf("not a readable database: %w", err)
		}
		if !cols["data"] && !cols["timestamp"] {
			continue
		}
		parts = append(parts, `SELECT '`+t+`' AS tbl, `+columnOr(cols, t, "timestamp", "NULL")+` AS ts, `+
			columnOr(cols, t, "data", "NULL")+` AS data, rowid AS rid FROM `+t)
	}
	if len(parts) == 0 {
		return "", errors.New("no hard_failures, soft_failures or all_events table")
	}
	return `SELECT tbl, ts, data FROM (` + strings.Join(parts, " UNION ALL ") + `) ORDER BY ts IS NULL, ts, tbl, rid`, nil
}
