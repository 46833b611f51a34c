package check

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/fixture"
)

const demoPassword = "correct horse battery staple"

func writeEncryptedDemo(t *testing.T, work string) string {
	t.Helper()
	b, err := fixture.DemoBackup()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(work, "encrypted")
	if err := b.WriteEncrypted(dir, fixture.EncryptOptions{Password: demoPassword}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEncryptedGivesSameResults checks an encrypted copy of the demo backup and expects
// the results folder of the plain one, byte for byte but for the "encrypted" flags.
func TestEncryptedGivesSameResults(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // every private copy must be gone from here afterwards
	work, _, bundle := writeDemo(t)
	backup := writeEncryptedDemo(t, work)
	before := hashTree(t, backup)
	out := filepath.Join(work, "results-encrypted")
	res, err := Run(context.Background(), Options{
		Path: backup, Creds: &iosbackup.Credentials{Password: []byte(demoPassword)},
		IOCPaths: []string{bundle}, NoDataDir: true, OutDir: out,
		Version: "test", Command: []string{"vigil", "check", "BACKUP"}, Now: fixedNow, Parallel: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exit != ExitMatch {
		t.Errorf("exit = %d, want 1", res.Exit)
	}
	for p, h := range before {
		if hashTree(t, backup)[p] != h {
			t.Errorf("evidence modified: %s", p)
		}
	}
	golden := readFolder(t, filepath.Join("testdata", "golden", "backup"))
	got := readFolder(t, out)
	if len(got) != len(golden) {
		t.Errorf("%d result files, golden has %d", len(got), len(golden))
	}
	for name, want := range golden {
		g := normalise(got[name], work)
		g = bytes.ReplaceAll(g, []byte("$WORK/encrypted"), []byte("$WORK/backup"))
		g = bytes.ReplaceAll(g, []byte(`"encrypted": true`), []byte(`"encrypted": false`))
		g = bytes.ReplaceAll(g, []byte(`"encrypted":true`), []byte(`"encrypted":false`))
		if !bytes.Equal(g, want) {
			t.Errorf("%s differs from the plain backup's:\n%s", name, firstDiff(g, want))
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		names := []string{}
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Errorf("decrypted or temporary files left behind: %v", names)
	}
}

func TestEncryptedErrors(t *testing.T) {
	work, backup, bundle := writeDemo(t)
	encrypted := writeEncryptedDemo(t, work)
	tests := []struct {
		name  string
		path  string
		creds *iosbackup.Credentials
		want  error
	}{
		{"no password", encrypted, nil, iosbackup.ErrNeedPassword},
		{"wrong password", encrypted, &iosbackup.Credentials{Password: []byte("nope")}, iosbackup.ErrWrongPassword},
		{"key of another backup", encrypted, &iosbackup.Credentials{Key: make([]byte, 32), KeyUUID: "00"}, iosbackup.ErrKeyMismatch},
		{"wrong key", encrypted, &iosbackup.Credentials{Key: make([]byte, 32)}, iosbackup.ErrWrongPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), Options{Path: tt.path, Creds: tt.creds, IOCPaths: []string{bundle},
				NoDataDir: true, OutDir: filepath.Join(t.TempDir(), "out")})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("password for a plain backup is a warning", func(t *testing.T) {
		res, err := Run(context.Background(), Options{Path: backup, Creds: &iosbackup.Credentials{Password: []byte("x")},
			IOCPaths: []string{bundle}, NoDataDir: true, OutDir: filepath.Join(t.TempDir(), "out")})
		if err != nil {
			t.Fatal(err)
		}
		if res.Exit != ExitMatch {
			t.Errorf("exit = %d", res.Exit)
		}
	})
}
