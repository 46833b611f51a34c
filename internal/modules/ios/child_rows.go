package ios

import (
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/module"
)

// childRows walks the rows of a one-to-many child table beside its parents, both in
// ascending key order, the way a merge join does. A LEFT JOIN would repeat the parent once
// per child (and multiply when two child tables are joined); collecting children per parent
// in Go would hold a whole table in memory. Here each parent meets its children as it is
// read, so a module streams one record per parent whatever the number of children.
//
// The query's first column must be the parent key (an integer) and it must be ordered by
// it. A nil *childRows (the child table is absent) has no rows.
type childRows struct {
	stmt *sqlite3.Stmt
	more bool
}

// newChildRows prepares query and reads its first row.
func newChildRows(db *module.DB, query string) (*childRows, error) {
	stmt, _, err := db.Prepare(query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	return &childRows{stmt: stmt, more: stmt.Step()}, nil
}

// each calls fn for every child row of parent, skipping rows of smaller keys (children of
// parents that no longer exist). Parents must be visited in ascending order.
func (c *childRows) each(parent int64, fn func(*sqlite3.Stmt)) {
	if c == nil {
		return
	}
	for c.more && c.stmt.ColumnInt64(0) < parent {
		c.more = c.stmt.Step()
	}
	for c.more && c.stmt.ColumnInt64(0) == parent {
		fn(c.stmt)
		c.more = c.stmt.Step()
	}
}

// close releases the statement and reports a read error, if one ended the walk early.
func (c *childRows) close() error {
	if c == nil {
		return nil
	}
	err := c.stmt.Err()
	if cerr := c.stmt.Close(); err == nil {
		err = cerr
	}
	return err
}
