package ios

import (
	"errors"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// checkSQLiteFailures runs the failure cases every database module shares: no database →
// ErrNoData; random bytes, and a database without the module's table, → an error that is
// not ErrNoData (and no panic).
func checkSQLiteFailures(t *testing.T, m module.Module, domain, rel string) {
	t.Helper()
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, m, moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) || len(res.Records) > 0 {
			t.Fatalf("err = %v, records = %d, want ErrNoData", res.Err, len(res.Records))
		}
	})
	for name, data := range map[string][]byte{
		"random bytes": []byte("\x8f\x1d\x00\x92 SQLite format 3? no: random bytes \xff\xfe"),
		"foreign database": mustSQLite(t, `CREATE TABLE unrelated (id INTEGER PRIMARY KEY, v TEXT);
			INSERT INTO unrelated (v) VALUES ('x');`),
	} {
		t.Run(name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.File(domain, rel, data)
			res := moduletest.Run(t, m, moduletest.OpenBackup(t, b))
			if res.Err == nil || errors.Is(res.Err, module.ErrNoData) || len(res.Records) > 0 {
				t.Fatalf("err = %v, records = %d, want a read error", res.Err, len(res.Records))
			}
		})
	}
}
