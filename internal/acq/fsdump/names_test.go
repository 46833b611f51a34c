package fsdump

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestHasBaseName(t *testing.T) {
	for _, varOnly := range []bool{false, true} {
		dir := layout(t, varOnly)
		d, err := Open(dir, varOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		tests := []struct {
			name string
			want bool
		}{
			{"sms.db", true},
			{"ChatStorage.sqlite", true},
			{"escape.db", true}, // a symlink counts: binaries are often linked
			{"AppGroup", false}, // a folder does not
			{"mobile", false},
			{"sms", false}, // exact names only
			{"SMS.DB", false},
			{"", false},
		}
		var wg sync.WaitGroup
		for _, tt := range tests {
			wg.Go(func() { // concurrent first use builds the index once
				got, err := d.HasBaseName(tt.name)
				if err != nil || got != tt.want {
					t.Errorf("varOnly=%v: HasBaseName(%q) = %v, %v; want %v", varOnly, tt.name, got, err, tt.want)
				}
			})
		}
		wg.Wait()
	}
}

func TestHasBaseNameIsBuiltOnce(t *testing.T) {
	dir := layout(t, false)
	d, err := Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if ok, _ := d.HasBaseName("late.bin"); ok {
		t.Fatal("found a file that does not exist yet")
	}
	mkfile(t, dir, "private/var/tmp/late.bin", "x")
	if ok, _ := d.HasBaseName("late.bin"); ok {
		t.Error("the index was rebuilt: a dump is read once, not re-walked per question")
	}
}

func TestHasBaseNameWalkError(t *testing.T) {
	dir := layout(t, false)
	d, err := Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// A root that vanished under the walk is an error every caller must see.
	if err := os.RemoveAll(filepath.Join(dir, "private")); err != nil {
		t.Fatal(err)
	}
	d.root.Close()
	for range 2 {
		if _, err := d.HasBaseName("sms.db"); err == nil {
			t.Error("no error from a failed walk")
		}
	}
}
