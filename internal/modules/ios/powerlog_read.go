package ios

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/module"
)

// powerLogTables are the process tables read (the APOLLO queries SAF ships), in order.
var powerLogTables = []struct{ name, kind string }{
	{"PLProcessMonitorAgent_EventForward_ProcessID", "process_launch"},
	{"PLProcessNetworkAgent_EventInterval_UsageDiff", "network_usage"},
	{"PLProcessMonitorAgent_EventBackward_ProcessMonitor_Dynamic", "process_sample"},
	{"PLCoalitionAgent_EventInterval_CoalitionInterval", "coalition_interval"},
}

const powerLogOffsetTable = "PLStorageOperator_EventForward_TimeOffset"

// powerLogFields are the columns read from every table, by lower-cased name; a table
// without one reads NULL there. The BundleName of network rows stands for BundleID.
var powerLogFields = [][]string{
	{"timestamp"}, {"timestampend"}, {"processname"}, {"bundleid", "bundlename"}, {"launchdname"},
	{"pid"}, {"value"}, {"unit"}, {"wifiin"}, {"wifiout"}, {"cellin"}, {"cellout"},
}

// Bounds against a crafted database: real offset tables hold a row per clock change, and
// a device runs a few thousand distinct programs.
const (
	maxPowerLogOffsets  = 1 << 16
	maxPowerLogDistinct = 1 << 16
)

// readPowerLog streams the rows of each process table present, in rowid order (PowerLog
// appends rows as time goes, and rowid order needs no sort of a 100 MB table).
func readPowerLog(db *module.DB, file string, emit module.Emitter) error {
	offsets, err := readPowerLogOffsets(db)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	found := false
	for _, t := range powerLogTables {
		cols, err := db.Columns(t.name)
		if err != nil {
			return fmt.Errorf("table %s: %w", t.name, err)
		}
		if len(cols) == 0 {
			continue
		}
		found = true
		if err := readPowerLogTable(db, file, t.name, t.kind, cols, offsets, seen, emit); err != nil {
			emit.Problem(fmt.Errorf("%s: %s: %w", file, t.name, err))
		}
	}
	if !found {
		return errors.New("no PowerLog process table")
	}
	return nil
}

func readPowerLogTable(db *module.DB, file, table, kind string, cols map[string]bool, offsets powerLogOffsets,
	seen map[string]bool, emit module.Emitter) error {
	byLower := map[string]string{}
	for c := range cols {
		byLower[strings.ToLower(c)] = c
	}
	sel := make([]string, len(powerLogFields))
	for i, names := range powerLogFields {
		sel[i] = "NULL"
		for _, n := range names {
			if c, ok := byLower[n]; ok {
				sel[i] = powerLogQuote(c)
				break
			}
		}
	}
	if sel[0] == "NULL" || sel[2] == "NULL" && sel[3] == "NULL" && sel[4] == "NULL" {
		return errors.New("no timestamp or process name column")
	}
	stmt, _, err := db.Prepare(`SELECT ` + strings.Join(sel, ", ") + ` FROM ` + powerLogQuote(table) + ` ORDER BY rowid`)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		p := scanPowerLog(stmt, offsets)
		p.File, p.Table, p.Kind = file, table, kind
		key := p.ProcessName + "\x00" + p.BundleID + "\x00" + p.LaunchdName
		if seen[key] {
			p.Repeat = true
		} else if len(seen) < maxPowerLogDistinct {
			seen[key] = true
		}
		emit.Record(p)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	return nil
}

func scanPowerLog(stmt *sqlite3.Stmt, offsets powerLogOffsets) PowerLogProcess {
	p := PowerLogProcess{
		ProcessName: columnString(stmt, 2),
		BundleID:    columnString(stmt, 3),
		LaunchdName: columnString(stmt, 4),
		PID:         columnIntOrNil(stmt, 5),
		Unit:        columnString(stmt, 7),
		WifiIn:      columnIntOrNil(stmt, 8),
		WifiOut:     columnIntOrNil(stmt, 9),
		CellIn:      columnIntOrNil(stmt, 10),
		CellOut:     columnIntOrNil(stmt, 11),
	}
	if stmt.ColumnType(6) != sqlite3.NULL {
		v := stmt.ColumnFloat(6)
		p.Value = &v
	}
	if stmt.ColumnType(0) != sqlite3.NULL {
		raw := stmt.ColumnFloat(0)
		p.Offset = offsets.at(raw)
		p.Time = jsonTime(timestamp.Unix(raw + p.Offset))
		if stmt.ColumnType(1) != sqlite3.NULL {
			p.End = jsonTime(timestamp.Unix(stmt.ColumnFloat(1) + offsets.at(stmt.ColumnFloat(1))))
		}
	}
	return p
}

// powerLogOffsets are the rows of the time-offset table, by device-clock time. PowerLog
// stamps rows with the device clock and, when the clock is set (network time, a user
// change), writes the correction ("system", seconds) from then on.
type powerLogOffsets []struct{ at, system float64 }

// at returns the correction for a row stamped ts: that of the latest offset row stamped
// at or before ts, the rule of the query iOS's own frameworks run on this table. APOLLO
// adds the last row's offset to every row instead, which shifts rows written before a
// clock change. A row older than every offset row takes the earliest one, the nearest
// known; no table means no correction.
func (o powerLogOffsets) at(ts float64) float64 {
	if len(o) == 0 {
		return 0
	}
	i := sort.Search(len(o), func(i int) bool { return o[i].at > ts })
	if i == 0 {
		return o[0].system
	}
	return o[i-1].system
}

func readPowerLogOffsets(db *module.DB) (powerLogOffsets, error) {
	cols, err := db.Columns(powerLogOffsetTable)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", powerLogOffsetTable, err)
	}
	byLower := map[string]string{}
	for c := range cols {
		byLower[strings.ToLower(c)] = c
	}
	ts, okT := byLower["timestamp"]
	sys, okS := byLower["system"]
	if !okT || !okS {
		return nil, nil
	}
	t, s := powerLogQuote(ts), powerLogQuote(sys)
	stmt, _, err := db.Prepare(`SELECT ` + t + `, ` + s + ` FROM ` + powerLogQuote(powerLogOffsetTable) + ` WHERE ` + t +
		` IS NOT NULL AND ` + s + ` IS NOT NULL ORDER BY ` + t + `, rowid LIMIT ` + fmt.Sprint(maxPowerLogOffsets))
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", powerLogOffsetTable, err)
	}
	defer stmt.Close()
	var out powerLogOffsets
	for stmt.Step() {
		out = append(out, struct{ at, system float64 }{stmt.ColumnFloat(0), stmt.ColumnFloat(1)})
	}
	if err := stmt.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", powerLogOffsetTable, err)
	}
	return out, nil
}

// powerLogQuote quotes an SQL identifier taken from the database's own schema.
func powerLogQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
