package ios

import (
	"fmt"

	"github.com/vigil-project/vigil/internal/module"
)

// columnOr returns alias.name when the table has that column and fallback (an SQL expression
// such as NULL) when it does not, so that one query keeps its shape across iOS versions.
func columnOr(cols map[string]bool, alias, name, fallback string) string {
	if cols[name] {
		return alias + "." + name
	}
	return fallback
}

// requireColumns returns the columns of table, or an error naming what is missing when the
// table is absent or lacks one of required.
func requireColumns(db *module.DB, table string, required ...string) (map[string]bool, error) {
	cols, err := db.Columns(table)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no %s table", table)
	}
	for _, c := range required {
		if !cols[c] {
			return nil, fmt.Errorf("table %s has no %s column", table, c)
		}
	}
	return cols, nil
}
