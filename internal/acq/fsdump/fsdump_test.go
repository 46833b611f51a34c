package fsdump

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
)

func mkfile(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// layout writes the same device files below prefix ("" for a dump of "/", or the folder
// a dump of /private starts at).
func layout(t *testing.T, varOnly bool) string {
	t.Helper()
	dir := t.TempDir()
	pre := "private/"
	if varOnly {
		pre = ""
	}
	mkfile(t, dir, pre+"var/mobile/Library/SMS/sms.db", "sms")
	mkfile(t, dir, pre+"var/mobile/Containers/Shared/AppGroup/A1/ChatStorage.sqlite", "wa")
	mkfile(t, dir, pre+"var/mobile/Containers/Shared/AppGroup/B2/ChatStorage.sqlite", "wa business")
	mkfile(t, dir, pre+"var/mobile/Containers/Shared/AppGroup/B2/Other.sqlite", "other")
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("analyst's own file"), 0o600)
	if err := os.Symlink(outside, filepath.Join(dir, pre+"var/mobile/Library/SMS/escape.db")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDumpLayouts(t *testing.T) {
	for _, varOnly := range []bool{false, true} {
		dir := layout(t, varOnly)
		root, gotVarOnly := Detect(dir)
		if root != dir || gotVarOnly != varOnly {
			t.Fatalf("Detect = %q, %v", root, gotVarOnly)
		}
		d, err := Open(root, gotVarOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		found, err := d.Find("", "private/var/mobile/Containers/Shared/AppGroup/*/ChatStorage.sqlite")
		if err != nil || len(found) != 2 {
			t.Fatalf("varOnly=%v: found %+v, err %v", varOnly, found, err)
		}
		if found[1].Path != "private/var/mobile/Containers/Shared/AppGroup/B2/ChatStorage.sqlite" {
			t.Errorf("path = %q", found[1].Path)
		}
		r, err := d.Open(found[1])
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		if string(data) != "wa business" {
			t.Errorf("content = %q", data)
		}
		if _, ok := d.LocalPath(found[0]); !ok {
			t.Error("no local path for a regular file")
		}
		if got, _ := d.Find("HomeDomain", "Library/SMS/sms.db"); len(got) != 0 {
			t.Error("a backup domain matched in a filesystem dump")
		}
	}
}

func TestSymlinksAreNotFollowed(t *testing.T) {
	d, err := Open(layout(t, false), false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	found, _ := d.Find("", "private/var/mobile/Library/SMS/escape.db")
	if len(found) != 1 || found[0].Flags != 4 || found[0].Target == "" {
		t.Fatalf("symlink entry = %+v", found)
	}
	if _, err := d.Open(found[0]); err == nil {
		t.Error("opened a symlink that leaves the dump")
	}
	if _, ok := d.LocalPath(found[0]); ok {
		t.Error("LocalPath followed a symlink")
	}
	if _, err := d.Open(acq.File{Path: "private/var/../../../etc/passwd"}); err == nil {
		t.Error("opened a path outside the dump")
	}
}

func TestWalk(t *testing.T) {
	d, err := Open(layout(t, true), true)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	files, dirs := 0, 0
	err = d.Walk(func(f acq.File) error {
		if f.IsDir() {
			dirs++
		} else {
			files++
		}
		if len(f.Path) < 8 || f.Path[:8] != "private/" {
			t.Errorf("walked path %q is not a device path", f.Path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 5 || dirs != 9 {
		t.Errorf("walked %d files and %d folders, want 5 and 9", files, dirs)
	}
}

func TestNotADump(t *testing.T) {
	if root, _ := Detect(t.TempDir()); root != "" {
		t.Errorf("an empty folder detected as a dump at %q", root)
	}
}
