package module_test

import (
	"crypto/sha256"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// walDatabase returns the bytes of a database and of its -wal file, taken while the
// connection is open so that the rows live only in the WAL.
func walDatabase(t *testing.T) (db, wal []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "w.db")
	conn, err := sqlite3.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Exec(`PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
		CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('only in wal');`); err != nil {
		t.Fatal(err)
	}
	db, _ = os.ReadFile(p)
	wal, _ = os.ReadFile(p + "-wal")
	if len(wal) == 0 {
		t.Fatal("no WAL written")
	}
	return db, wal
}

func hashTree(t *testing.T, root string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			out[p] = sha256.Sum256(data)
		}
		return err
	})
	return out
}

func TestOpenSQLite(t *testing.T) {
	db, wal := walDatabase(t)
	plain, err := fixture.BuildSQLite(`CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('plain');`)
	if err != nil {
		t.Fatal(err)
	}
	b := fixture.NewBackup()
	b.File("HomeDomain", "wal.db", db)
	b.File("HomeDomain", "wal.db-wal", wal)
	b.File("HomeDomain", "plain.db", plain)
	a := moduletest.OpenBackup(t, b)
	before := hashTree(t, a.Path)

	temp, err := module.NewTempArea()
	if err != nil {
		t.Fatal(err)
	}
	defer temp.Remove()
	in := &module.Input{Acq: a, Temp: temp, Log: slog.New(slog.DiscardHandler)}
	for _, tt := range []struct{ path, want string }{{"wal.db", "only in wal"}, {"plain.db", "plain"}} {
		files, _ := a.Source.Find("HomeDomain", tt.path)
		conn, err := module.OpenSQLite(in, files[0])
		if err != nil {
			t.Fatal(err)
		}
		stmt, _, err := conn.Prepare(`SELECT v FROM t`)
		if err != nil {
			t.Fatal(err)
		}
		if !stmt.Step() || stmt.ColumnText(0) != tt.want {
			t.Errorf("%s: row = %q, want %q (err %v)", tt.path, stmt.ColumnText(0), tt.want, stmt.Err())
		}
		stmt.Close()
		if err := conn.Close(); err != nil {
			t.Error(err)
		}
	}
	after := hashTree(t, a.Path)
	if len(before) != len(after) {
		t.Errorf("files in the backup: %d before, %d after", len(before), len(after))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed", p)
		}
	}
	if entries, _ := os.ReadDir(temp.Root()); len(entries) != 0 {
		t.Errorf("private copies left behind: %d", len(entries))
	}
}
