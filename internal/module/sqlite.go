package module

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
)

// DB is an SQLite database opened for reading, with whatever copy it needed.
type DB struct {
	*sqlite3.Conn
	tempDir string
}

// Close closes the connection and deletes the private copy, if one was made.
func (db *DB) Close() error {
	err := db.Conn.Close()
	if db.tempDir != "" {
		err = errors.Join(err, os.RemoveAll(db.tempDir))
	}
	return err
}

var companionSuffixes = []string{"-wal", "-shm", "-journal"}

// OpenSQLite opens a database of the acquisition without ever writing to the evidence.
// A database with a -wal or -journal companion is copied with its companions into the
// private temp area and opened there, so that SQLite can apply them; one without is opened
// in place as immutable. Sources with no plain local file (encrypted backups, archives)
// always go through a copy.
func OpenSQLite(in *Input, f acq.File) (*DB, error) {
	var companions []acq.File
	for _, s := range companionSuffixes {
		found, err := in.Source().Find(f.Domain, f.Path+s)
		if err != nil {
			return nil, fmt.Errorf("sqlite %s: %w", f.Path, err)
		}
		companions = append(companions, found...)
	}
	local, ok := in.Source().LocalPath(f)
	if ok && len(companions) == 0 {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(local), RawQuery: "mode=ro&immutable=1"}
		conn, err := sqlite3.OpenFlags(u.String(), sqlite3.OPEN_READONLY|sqlite3.OPEN_URI)
		if err != nil {
			return nil, fmt.Errorf("sqlite %s: %w", f.Path, err)
		}
		return &DB{Conn: conn}, nil
	}
	return openCopy(in, f, companions)
}

func openCopy(in *Input, f acq.File, companions []acq.File) (*DB, error) {
	dir, err := in.Temp.Dir("sqlite")
	if err != nil {
		return nil, err
	}
	name := path.Base(f.Path)
	for _, c := range append([]acq.File{f}, companions...) {
		dst := filepath.Join(dir, name+c.Path[len(f.Path):])
		if err := copyOut(in.Source(), c, dst); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("sqlite %s: copy %s: %w", f.Path, c.Path, err)
		}
	}
	conn, err := sqlite3.Open(filepath.Join(dir, name))
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("sqlite %s: %w", f.Path, err)
	}
	return &DB{Conn: conn, tempDir: dir}, nil
}

func copyOut(src acq.Source, f acq.File, dst string) error {
	r, err := src.Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// Columns returns the column names of table (empty when the table does not exist), so that
// modules can read across schema versions by name.
func (db *DB) Columns(table string) (map[string]bool, error) {
	stmt, _, err := db.Prepare(`SELECT name FROM pragma_table_info(?)`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	if err := stmt.BindText(1, table); err != nil {
		return nil, err
	}
	cols := map[string]bool{}
	for stmt.Step() {
		cols[stmt.ColumnText(0)] = true
	}
	return cols, stmt.Err()
}

// HasTable reports whether the database has a table with that name.
func (db *DB) HasTable(table string) (bool, error) {
	cols, err := db.Columns(table)
	return len(cols) > 0, err
}
