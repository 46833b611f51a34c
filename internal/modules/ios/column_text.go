package ios

import (
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// columnText reads a text column whatever its storage class: a blob where text was
// expected is read as UTF-8 (Core Data and old app versions store strings both ways),
// invalid sequences are replaced, and NULL is "".
func columnText(stmt *sqlite3.Stmt, i int) string {
	return strings.ToValidUTF8(stmt.ColumnText(i), "\uFFFD")
}
