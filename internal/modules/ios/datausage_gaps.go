package ios

import (
	"context"
	"fmt"

	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/module"
)

// maxGapReports bounds the placeholders and detections one gap in ZPROCESS.Z_PK produces;
// a corrupt or hostile Z_PK (1, then 10⁹) must not flood the report.
const maxGapReports = 100

// findDeletedProcesses walks ZPROCESS in Z_PK order: Core Data numbers rows 1, 2, 3..., so
// an id missing between two present ones is a deleted process row. Each gets a low
// detection (names follow what came before: spyware has hidden its process this way) and
// a placeholder record, as in MVT.
func findDeletedProcesses(ctx context.Context, db *module.DB, procCols map[string]bool, emit module.Emitter) error {
	col := func(c string) string {
		if procCols[c] {
			return c
		}
		return "NULL"
	}
	stmt, _, err := db.Prepare(`SELECT Z_PK, ` + col("ZPROCNAME") + `, ` + col("ZBUNDLENAME") + `, ` +
		col("ZFIRSTTIMESTAMP") + ` FROM ZPROCESS WHERE typeof(Z_PK) = 'integer' ORDER BY Z_PK`)
	if err != nil {
		return fmt.Errorf("process ids: %w", err)
	}
	defer stmt.Close()
	var prev DataUsageRecord
	for n := 0; stmt.Step(); n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cur := DataUsageRecord{ProcessID: stmt.ColumnInt64(0), ProcessName: dataUsageText(stmt, 1),
			BundleID: dataUsageText(stmt, 2), FirstUsage: timestamp.MacAbsolute(stmt.ColumnFloat(3))}
		if n > 0 && cur.ProcessID > prev.ProcessID+1 {
			reportDataUsageGap(prev, cur.ProcessID, emit)
		}
		prev = cur
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("process ids: %w", err)
	}
	return nil
}

// reportDataUsageGap reports the ids strictly between prev and next.
func reportDataUsageGap(prev DataUsageRecord, next int64, emit module.Emitter) {
	for id := prev.ProcessID + 1; id < next; id++ {
		if id-prev.ProcessID > maxGapReports {
			emit.Detection(module.Detection{
				Severity: module.Low,
				Message: fmt.Sprintf("%d more process records are missing from the network usage database, "+
					"up to record %d", next-id, next-1),
				Time:      prev.FirstUsage,
				Evidence:  fmt.Sprintf("ZPROCESS.Z_PK %d to %d missing", id, next-1),
				Reference: dataUsageReference,
			})
			return
		}
		r := DataUsageRecord{ProcessID: id, Status: DataUsageDeleted, FollowsProcess: prev.ProcessName,
			FollowsFirst: prev.FirstUsage}
		emit.Record(r)
		emit.Detection(module.Detection{
			Severity: module.Low,
			Message: fmt.Sprintf("Process record %d is missing from the network usage database (it "+
				"followed %q): a process may have been deleted to hide it", id, prev.ProcessName),
			Time:      prev.FirstUsage,
			Evidence:  fmt.Sprintf("ZPROCESS.Z_PK %d missing after %d (%s)", id, prev.ProcessID, prev.ProcessName),
			Reference: dataUsageReference,
			Record:    r,
		})
	}
}
