package ios

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var dataUsagePlaces = places{
	acq.IOSBackup:     {{"WirelessDomain", "Library/Databases/DataUsage.sqlite"}},
	acq.IOSFilesystem: {{"", "private/var/wireless/Library/Databases/DataUsage.sqlite"}},
}

// DataUsage reads the per-process cellular usage that iOS keeps in DataUsage.sqlite.
type DataUsage struct {
	about
	places places
}

// NewDataUsage returns the datausage module.
func NewDataUsage() *DataUsage {
	return &DataUsage{about: about{
		name:      "ios/datausage",
		desc:      "Processes that used the network (DataUsage.sqlite); flags deleted and orphaned process rows and, on dumps, processes whose program is gone",
		kinds:     backupAndFS,
		artifacts: dataUsagePlaces.artifacts(),
	}, places: dataUsagePlaces}
}

// Statuses of a DataUsageRecord that is not a plain process row.
const (
	// DataUsageManipulated marks live usage whose process row was deleted.
	DataUsageManipulated = "manipulated"
	// DataUsageDeleted marks a placeholder for a process id missing from the Z_PK sequence.
	DataUsageDeleted = "deleted"
	// DataUsageNoProcess marks live usage that names no process at all (NULL ZHASPROCESS).
	DataUsageNoProcess = "no_process"
)

// DataUsageRecord is a process with one of its live-usage rows, a process with none, or a
// placeholder for a deleted process.
type DataUsageRecord struct {
	ProcessID      int64     `json:"process_id,omitempty"` // ZPROCESS.Z_PK
	ProcessName    string    `json:"process_name,omitempty"`
	BundleID       string    `json:"bundle_id,omitempty"`
	FirstUsage     time.Time `json:"first_usage,omitzero"`
	CurrentUsage   time.Time `json:"current_usage,omitzero"`
	LiveUsageID    int64     `json:"live_usage_id,omitempty"`      // ZLIVEUSAGE.Z_PK
	LiveProcessID  int64     `json:"live_process_id,omitempty"`    // ZLIVEUSAGE.ZHASPROCESS
	LiveUsage      time.Time `json:"live_usage,omitzero"`          // ZLIVEUSAGE.ZTIMESTAMP
	WiFiIn         *float64  `json:"wifi_in,omitempty"`            // bytes; older iOS only
	WiFiOut        *float64  `json:"wifi_out,omitempty"`           // bytes; older iOS only
	WWANIn         *float64  `json:"wwan_in,omitempty"`            // bytes
	WWANOut        *float64  `json:"wwan_out,omitempty"`           // bytes
	Status         string    `json:"status,omitempty"`             // "", manipulated, deleted, no_process
	FollowsProcess string    `json:"follows_process,omitempty"`    // deleted: the process before the gap
	FollowsFirst   time.Time `json:"follows_first_usage,omitzero"` // deleted: its first usage
}

// hasProcess reports whether the record holds a real ZPROCESS row.
func (r DataUsageRecord) hasProcess() bool { return r.Status == "" && r.ProcessID != 0 }

// Observables implements module.Record. The full ZPROCNAME goes out ("<UUID>/name" too):
// the matcher takes the base name.
func (r DataUsageRecord) Observables() []ioc.Observable {
	if !r.hasProcess() {
		return nil
	}
	var obs []ioc.Observable
	if r.ProcessName != "" {
		obs = append(obs, ioc.Observable{Type: ioc.Process, Value: r.ProcessName})
	}
	if r.BundleID != "" {
		obs = append(obs, ioc.Observable{Type: ioc.AppID, Value: r.BundleID})
	}
	return obs
}

// Events implements module.Record with MVT's three events; first and current usage only
// exist for real process rows.
func (r DataUsageRecord) Events() []timeline.Event {
	desc := r.describe()
	// MVT dates a deleted process at the first usage of the one before it.
	live := r.LiveUsage
	for _, t := range []time.Time{r.FirstUsage, r.FollowsFirst} {
		if live.IsZero() {
			live = t
		}
	}
	var out []timeline.Event
	if !live.IsZero() {
		out = append(out, timeline.Event{Time: live, Event: "live_usage",
			Description: fmt.Sprintf("%s WWAN IN: %s, WWAN OUT: %s", desc, dataUsageBytes(r.WWANIn), dataUsageBytes(r.WWANOut))})
	}
	if r.hasProcess() && r.LiveProcessID != 0 {
		for _, e := range []struct {
			name string
			t    time.Time
		}{{"first_usage", r.FirstUsage}, {"current_usage", r.CurrentUsage}} {
			if !e.t.IsZero() {
				out = append(out, timeline.Event{Time: e.t, Event: e.name, Description: desc})
			}
		}
	}
	return out
}

func (r DataUsageRecord) describe() string {
	switch r.Status {
	case DataUsageManipulated:
		return fmt.Sprintf("Live usage of deleted process record %d", r.LiveProcessID)
	case DataUsageDeleted:
		return fmt.Sprintf("Deleted process record %d (follows %s)", r.ProcessID, r.FollowsProcess)
	case DataUsageNoProcess:
		return "Live usage with no process"
	}
	return fmt.Sprintf("%s (Bundle ID: %s, ID: %d)", r.ProcessName, r.BundleID, r.ProcessID)
}

func dataUsageBytes(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f", *v)
}

// Run implements module.Module.
func (m *DataUsage) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, _ acq.File) error {
		// On a dump, processes that name no app are also looked for on disk (MVT).
		return readDataUsageChecked(ctx, in, db, emit)
	})
}

func readDataUsage(ctx context.Context, db *module.DB, emit module.Emitter) error {
	procCols, err := db.Columns("ZPROCESS")
	if err != nil {
		return fmt.Errorf("not a readable database: %w", err)
	}
	if !procCols["Z_PK"] {
		return errors.New("no ZPROCESS table")
	}
	liveCols, err := db.Columns("ZLIVEUSAGE")
	if err != nil {
		return err
	}
	if !liveCols["Z_PK"] || !liveCols["ZHASPROCESS"] {
		emit.Problem(errors.New("datausage: no usable ZLIVEUSAGE table; listing processes only"))
		liveCols = nil
	}
	if err := emitDataUsageRows(ctx, db, procCols, liveCols, emit); err != nil {
		return err
	}
	return findDeletedProcesses(ctx, db, procCols, emit)
}

// dataUsageColumns lists the columns the query reads, in order, as "alias.COLUMN"; a column
// the schema lacks (ZWIFIIN on recent iOS, anything on odd versions) reads as NULL.
var dataUsageColumns = []string{
	"p.Z_PK", "p.ZPROCNAME", "p.ZBUNDLENAME", "p.ZFIRSTTIMESTAMP", "p.ZTIMESTAMP",
	"l.Z_PK", "l.ZHASPROCESS", "l.ZTIMESTAMP", "l.ZWIFIIN", "l.ZWIFIOUT", "l.ZWWANIN", "l.ZWWANOUT",
}

// dataUsageQuery is every live-usage row joined to its process, then every process without
// live usage, sorted by live (else first) usage time. NOT EXISTS rather than MVT's NOT IN:
// one NULL ZHASPROCESS makes NOT IN false for every process, which would then vanish.
func dataUsageQuery(procCols, liveCols map[string]bool) string {
	pick := func(c string) string {
		alias, col, _ := strings.Cut(c, ".")
		if alias == "p" && procCols[col] || alias == "l" && liveCols[col] {
			return c
		}
		return "NULL"
	}
	joined := make([]string, 0, len(dataUsageColumns)+1)
	alone := make([]string, 0, len(dataUsageColumns)+1)
	for _, c := range dataUsageColumns {
		joined = append(joined, pick(c))
		if strings.HasPrefix(c, "l.") {
			c = "NULL"
		}
		alone = append(alone, pick(c))
	}
	first := pick("p.ZFIRSTTIMESTAMP")
	joined = append(joined, "COALESCE("+pick("l.ZTIMESTAMP")+", "+first+")")
	alone = append(alone, first)
	q := `SELECT ` + strings.Join(alone, ", ") + ` FROM ZPROCESS p`
	if liveCols != nil {
		q = `SELECT ` + strings.Join(joined, ", ") + `
			FROM ZLIVEUSAGE l LEFT JOIN ZPROCESS p ON l.ZHASPROCESS = p.Z_PK
			UNION ALL ` + q + ` WHERE NOT EXISTS (SELECT 1 FROM ZLIVEUSAGE l WHERE l.ZHASPROCESS = p.Z_PK)`
	}
	return q + ` ORDER BY 13, 1, 6`
}

func emitDataUsageRows(ctx context.Context, db *module.DB, procCols, liveCols map[string]bool, emit module.Emitter) error {
	stmt, _, err := db.Prepare(dataUsageQuery(procCols, liveCols))
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer stmt.Close()
	reported := map[int64]bool{} // deleted process ids already alerted on
	for n := 0; stmt.Step(); n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		r := scanDataUsage(stmt)
		emit.Record(r)
		if r.Status == DataUsageManipulated && !reported[r.LiveProcessID] {
			reported[r.LiveProcessID] = true
			emit.Detection(module.Detection{
				Severity: module.High,
				Message: fmt.Sprintf("Network usage is recorded for process record %d, which was deleted "+
					"from the database: spyware has been seen erasing its own entries", r.LiveProcessID),
				Time:      r.LiveUsage,
				Evidence:  fmt.Sprintf("ZLIVEUSAGE.ZHASPROCESS = %d", r.LiveProcessID),
				Reference: dataUsageReference,
				Record:    r,
			})
		}
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return nil
}

const dataUsageReference = "Amnesty International, Forensic Methodology Report: " +
	"How to catch NSO Group's Pegasus (2021); MVT"

func scanDataUsage(stmt *sqlite3.Stmt) DataUsageRecord {
	r := DataUsageRecord{
		ProcessID:     stmt.ColumnInt64(0),
		ProcessName:   dataUsageText(stmt, 1),
		BundleID:      dataUsageText(stmt, 2),
		FirstUsage:    timestamp.MacAbsolute(stmt.ColumnFloat(3)),
		CurrentUsage:  timestamp.MacAbsolute(stmt.ColumnFloat(4)),
		LiveUsageID:   stmt.ColumnInt64(5),
		LiveProcessID: stmt.ColumnInt64(6),
		LiveUsage:     timestamp.MacAbsolute(stmt.ColumnFloat(7)),
		WiFiIn:        dataUsageCounter(stmt, 8),
		WiFiOut:       dataUsageCounter(stmt, 9),
		WWANIn:        dataUsageCounter(stmt, 10),
		WWANOut:       dataUsageCounter(stmt, 11),
	}
	isLive := stmt.ColumnType(5) != sqlite3.NULL
	switch {
	case isLive && stmt.ColumnType(6) == sqlite3.NULL:
		r.Status = DataUsageNoProcess
	case isLive && stmt.ColumnType(0) == sqlite3.NULL:
		r.Status = DataUsageManipulated
	}
	return r
}

// dataUsageText reads a text column; blobs are read as text, invalid UTF-8 is replaced.
func dataUsageText(stmt *sqlite3.Stmt, i int) string {
	return strings.ToValidUTF8(stmt.ColumnText(i), "\uFFFD")
}

// dataUsageCounter reads a byte counter, nil when NULL or absent from the schema.
func dataUsageCounter(stmt *sqlite3.Stmt, i int) *float64 {
	if stmt.ColumnType(i) == sqlite3.NULL {
		return nil
	}
	v := stmt.ColumnFloat(i)
	return &v
}
