package iosbackup_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

// TestOpenHostilePlists: Info.plist and Manifest.plist are read before
// anything else, so a crafted one must fail Open, quickly, not crash it.
func TestOpenHostilePlists(t *testing.T) {
	dir := writeBackup(t)
	for _, name := range []string{"Info.plist", "Manifest.plist"} {
		p := filepath.Join(dir, name)
		orig, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for shape, data := range plisttest.Hostile() {
			t.Run(name+"/"+shape, func(t *testing.T) {
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.WriteFile(p, orig, 0o644) })
				b, err := iosbackup.Open(dir, nil)
				if err == nil {
					b.Close()
					t.Fatal("Open accepted a hostile plist")
				}
			})
		}
	}
}

// TestOpenLargeInfoPlist: a real Info.plist is XML and, with installed
// apps' metadata, several megabytes; only its depth is bounded.
func TestOpenLargeInfoPlist(t *testing.T) {
	fb := fixture.NewBackup()
	apps := map[string]any{}
	for i := range 2500 {
		apps[fmt.Sprintf("com.example.app%d", i)] = map[string]any{
			"iTunesMetadata":  bytes.Repeat([]byte{byte(i)}, 1500),
			"PlaceholderIcon": []any{map[string]any{"Size": uint64(i)}},
		}
	}
	fb.Info["Applications"] = apps
	dir := filepath.Join(t.TempDir(), "backup")
	if err := fb.Write(dir); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "Info.plist"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() < 5<<20 {
		t.Fatalf("Info.plist of %d bytes, want at least 5 MiB", st.Size())
	}
	b, err := iosbackup.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, _ := b.Info["Applications"].(map[string]any); len(got) != len(apps) {
		t.Errorf("Info.plist has %d applications, want %d", len(got), len(apps))
	}
	if f := b.Facts(); f.ProductType != "iPhone14,2" {
		t.Errorf("facts = %+v", f)
	}
}
