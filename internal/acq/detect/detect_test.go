package detect

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/fixture"
)

func writeBackup(t *testing.T, dir string) {
	t.Helper()
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/SMS/sms.db", []byte("x"))
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
}

func TestOpen(t *testing.T) {
	root := t.TempDir()
	single := filepath.Join(root, "single")
	writeBackup(t, filepath.Join(single, "00008110-000A1B2C3D4E5F60"))
	double := filepath.Join(root, "double")
	writeBackup(t, filepath.Join(double, "one"))
	writeBackup(t, filepath.Join(double, "two"))
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	file := filepath.Join(root, "file.txt")
	os.WriteFile(file, []byte("hello"), 0o644)
	encrypted := filepath.Join(root, "encrypted")
	writeBackup(t, encrypted)
	os.WriteFile(filepath.Join(encrypted, "Manifest.db"), []byte("not sqlite, ciphertext"), 0o644)

	tests := []struct {
		name    string
		path    string
		wantErr error
		errText string
	}{
		{"backup folder", filepath.Join(single, "00008110-000A1B2C3D4E5F60"), nil, ""},
		{"folder above one backup", single, nil, ""},
		{"folder above two backups", double, nil, "holds 2 backups"},
		{"empty folder", empty, ErrUnknownKind, "ios-backup"},
		{"plain file", file, ErrUnknownKind, "it is a file"},
		{"missing", filepath.Join(root, "nope"), nil, "cannot read"},
		{"encrypted", encrypted, iosbackup.ErrNeedPassword, "encrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Open(tt.path, nil)
			if tt.errText == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer a.Close()
				if a.Kind != acq.IOSBackup || a.Facts.ProductType != "iPhone14,2" || a.Info == nil {
					t.Errorf("acquisition = %+v", a)
				}
				return
			}
			if err == nil {
				a.Close()
				t.Fatal("no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("err = %q, want it to mention %q", err, tt.errText)
			}
		})
	}
}
