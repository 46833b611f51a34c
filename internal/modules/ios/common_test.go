package ios

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// TestReadPlistHostile: every module reads evidence plists through
// readPlist, so a crafted one must end in an error there, quickly.
func TestReadPlistHostile(t *testing.T) {
	b := fixture.NewBackup()
	for name, data := range plisttest.Hostile() {
		b.File("HomeDomain", "Library/Preferences/"+name+".plist", data)
	}
	in := &module.Input{Acq: moduletest.OpenBackup(t, b)}
	files, err := findFiles(in, location{"HomeDomain", "Library/Preferences/*.plist"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(plisttest.Hostile()) {
		t.Fatalf("found %d files", len(files))
	}
	for _, f := range files {
		t.Run(f.Path, func(t *testing.T) {
			var v any
			if err := readPlist(in, f, &v); err == nil {
				t.Error("readPlist accepted a hostile plist")
			} else if !strings.HasPrefix(err.Error(), f.Path+": ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestReadPlist(t *testing.T) {
	big := map[string]any{}
	for i := range 10_000 {
		big[fmt.Sprintf("key%05d", i)] = []any{strings.Repeat("v", 500), map[string]any{"n": uint64(i)}}
	}
	// XML, the format whose size says nothing about its depth.
	large, err := plist.MarshalIndent(big, plist.XMLFormat, "\t")
	if err != nil || len(large) < 5<<20 {
		t.Fatalf("large plist of %d bytes, want 5 MiB (err %v)", len(large), err)
	}
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/Preferences/large.plist", large)
	b.File("HomeDomain", "Library/Preferences/deep.plist", plisttest.DeepXML(plistsafe.MaxDepth))
	in := &module.Input{Acq: moduletest.OpenBackup(t, b)}
	tests := []struct {
		path    string
		wantErr error
		keys    int
	}{
		{"Library/Preferences/large.plist", nil, len(big)},
		{"Library/Preferences/deep.plist", plistsafe.ErrLimit, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			files, err := findFiles(in, location{"HomeDomain", tt.path})
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			err = readPlist(in, files[0], &v)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("readPlist error = %v, want %v", err, tt.wantErr)
			}
			if len(v) != tt.keys {
				t.Errorf("%d keys, want %d", len(v), tt.keys)
			}
		})
	}
}
