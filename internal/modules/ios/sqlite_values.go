package ios

import (
	"strconv"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/format/timestamp"
)

// SQLite columns hold whatever type the writer chose, not the declared one: Core Data stores
// some strings as UTF-8 blobs, and a date column may hold seconds as REAL or INTEGER,
// nanoseconds, or (after an export) a number written as text. These read such columns
// without trusting the declared type.

// columnString reads a text column, decoding a blob as UTF-8 (invalid bytes become U+FFFD so
// that the value survives JSON and matching unchanged in meaning).
func columnString(stmt *sqlite3.Stmt, col int) string {
	switch stmt.ColumnType(col) {
	case sqlite3.TEXT:
		return stmt.ColumnText(col)
	case sqlite3.BLOB:
		return strings.ToValidUTF8(string(stmt.ColumnRawBlob(col)), "\uFFFD")
	case sqlite3.INTEGER, sqlite3.FLOAT:
		return stmt.ColumnText(col)
	}
	return ""
}

// columnMacTime reads a Mac absolute date: REAL seconds, INTEGER seconds or nanoseconds, or
// a number stored as text. NULL, zero and anything unreadable are unknown (zero time).
func columnMacTime(stmt *sqlite3.Stmt, col int) time.Time {
	switch stmt.ColumnType(col) {
	case sqlite3.INTEGER:
		return timestamp.MacAbsoluteAuto(stmt.ColumnInt64(col))
	case sqlite3.FLOAT:
		return timestamp.MacAbsolute(stmt.ColumnFloat(col))
	case sqlite3.TEXT:
		s := strings.TrimSpace(stmt.ColumnText(col))
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return timestamp.MacAbsoluteAuto(n)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return timestamp.MacAbsolute(f)
		}
	}
	return time.Time{}
}

// columnIntOrNil reads an integer column, nil when it is NULL or absent (selected as NULL),
// so that "unknown" and 0 stay apart in the output.
func columnIntOrNil(stmt *sqlite3.Stmt, col int) *int64 {
	if stmt.ColumnType(col) == sqlite3.NULL {
		return nil
	}
	n := stmt.ColumnInt64(col)
	return &n
}

// columnBoolOrNil is columnIntOrNil for flags.
func columnBoolOrNil(stmt *sqlite3.Stmt, col int) *bool {
	if stmt.ColumnType(col) == sqlite3.NULL {
		return nil
	}
	b := stmt.ColumnInt64(col) != 0
	return &b
}
