package detect

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
)

func writeDump(t *testing.T, dir string) {
	t.Helper()
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/SMS/sms.db", []byte("x"))
	if err := b.WriteFilesystem(dir); err != nil {
		t.Fatal(err)
	}
}

func TestOpenFilesystem(t *testing.T) {
	whole := t.TempDir()
	writeDump(t, whole)
	data, _ := plist.Marshal(map[string]any{"ProductVersion": "17.4.1", "ProductBuildVersion": "21E236",
		"ProductName": "iPhone OS"}, plist.XMLFormat)
	os.MkdirAll(filepath.Join(whole, "System/Library/CoreServices"), 0o755)
	os.WriteFile(filepath.Join(whole, "System/Library/CoreServices/SystemVersion.plist"), data, 0o644)

	// A dump of /private starts at var/.
	private := t.TempDir()
	writeDump(t, private)
	if err := os.Rename(filepath.Join(private, "private", "var"), filepath.Join(private, "var")); err != nil {
		t.Fatal(err)
	}
	noVersion := t.TempDir()
	writeDump(t, noVersion)
	os.MkdirAll(filepath.Join(noVersion, "System/Library/CoreServices"), 0o755)
	os.WriteFile(filepath.Join(noVersion, "System/Library/CoreServices/SystemVersion.plist"), []byte("garbage"), 0o644)

	tests := []struct {
		name, path, version string
		warnings            int
	}{
		{"dump of /", whole, "17.4.1", 0},
		{"dump of /private", private, "", 0},
		{"unreadable SystemVersion.plist", noVersion, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Open(tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if a.Kind != acq.IOSFilesystem || a.Facts.ProductVersion != tt.version || len(a.Warnings) != tt.warnings {
				t.Errorf("acquisition = %+v", a)
			}
			if tt.version != "" && a.Facts.BuildVersion != "21E236" {
				t.Errorf("build = %q", a.Facts.BuildVersion)
			}
			found, err := a.Source.Find("", "private/var/mobile/Library/SMS/sms.db")
			if err != nil || len(found) != 1 {
				t.Errorf("sms.db: %+v, %v", found, err)
			}
		})
	}
}

func TestBackupWinsOverDump(t *testing.T) {
	// A backup folder that also happens to hold private/var/mobile is read as the backup.
	dir := t.TempDir()
	writeBackup(t, dir)
	os.MkdirAll(filepath.Join(dir, "private", "var", "mobile"), 0o755)
	a, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Kind != acq.IOSBackup {
		t.Errorf("kind = %s", a.Kind)
	}
}

func TestUnknownListsBothKinds(t *testing.T) {
	_, err := Open(t.TempDir(), nil)
	if !errors.Is(err, ErrUnknownKind) || !strings.Contains(err.Error(), string(acq.IOSBackup)) ||
		!strings.Contains(err.Error(), string(acq.IOSFilesystem)) {
		t.Errorf("err = %v", err)
	}
	if _, err := Locate(t.TempDir()); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("Locate: err = %v", err)
	}
}

func TestLocateIgnoresDumps(t *testing.T) {
	dir := t.TempDir()
	writeDump(t, dir)
	if _, err := Locate(dir); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("Locate found a backup in a filesystem dump: %v", err)
	}
}
