package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// sysdiag is the shape of a sysdiagnose: logs below one dated top folder.
func sysdiag(prefix string) []ent {
	var out []ent
	if strings.Trim(prefix, "./") != "" {
		out = append(out, dir(prefix))
	}
	return append(out,
		reg(prefix+"logs/powerlogs/powerlog_2026-03-14.PLSQL", "plsql"),
		reg(prefix+"ps.txt", "USER PID COMMAND\nroot 1 launchd\n"),
		reg(prefix+"logs/Accessibility/TCC.db", "tcc"),
		symlink(prefix+"logs/latest", "powerlogs"),
	)
}

func TestLayouts(t *testing.T) {
	const top = "sysdiagnose_2026.03.14_09-26-53+0100_iPhone-OS_iPhone_21E236"
	for _, format := range []string{formatTar, formatGzip, formatZip} {
		for _, tc := range []struct{ name, prefix, root string }{
			{"plain", "", ""},
			{"dot-slash", "./", ""},
			{"top-folder", top + "/", top},
			{"dot-slash-top-folder", "./" + top + "/", top},
		} {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				a := open(t, build(t, format, sysdiag(tc.prefix)), Options{})
				if a.Format() != format {
					t.Errorf("Format = %q", a.Format())
				}
				wantTop := []string{"logs"}
				if tc.root != "" {
					wantTop = []string{tc.root}
				}
				if got := a.TopFolders(); !slices.Equal(got, wantTop) {
					t.Errorf("TopFolders = %q, want %q", got, wantTop)
				}
				v := a.View(tc.root, "")
				ps := findOne(t, v, "ps.txt")
				if got := read(t, v, ps); !strings.HasPrefix(got, "USER PID") {
					t.Errorf("ps.txt = %q", got)
				}
				if ps.Flags != 1 || ps.Size != int64(len("USER PID COMMAND\nroot 1 launchd\n")) ||
					!ps.Modified.Equal(stamp) || ps.ModeBits != 0o644 {
					t.Errorf("ps.txt metadata = %+v", ps)
				}
				got, _ := v.Find("", "logs/*/*.PLSQL")
				if len(got) != 1 || got[0].Path != "logs/powerlogs/powerlog_2026-03-14.PLSQL" {
					t.Errorf("pattern found %+v", got)
				}
				full, _ := a.Find("", tc.root+"/logs/*/TCC.db")
				if tc.root == "" {
					full, _ = a.Find("", "logs/*/TCC.db")
				}
				if len(full) != 1 {
					t.Errorf("Find over the entry paths = %+v", full)
				}
				link := findOne(t, v, "logs/latest")
				if link.Flags != 4 || link.Target != "powerlogs" {
					t.Errorf("symlink = %+v", link)
				}
				wantWalk := []string{"logs", "logs/Accessibility", "logs/Accessibility/TCC.db",
					"logs/latest", "logs/powerlogs", "logs/powerlogs/powerlog_2026-03-14.PLSQL", "ps.txt"}
				if got := walkPaths(t, v); !slices.Equal(got, wantWalk) {
					t.Errorf("Walk = %q\nwant %q", got, wantWalk)
				}
				_, local := v.LocalPath(ps)
				if local != (format != formatZip) {
					t.Errorf("LocalPath ok = %v for %s", local, format)
				}
			})
		}
	}
}

func TestDumpView(t *testing.T) {
	for _, tc := range []struct{ name, prefix string }{
		{"root", ""},
		{"root-in-folder", "dump/"},
		{"private-only", "@"},
		{"private-only-in-folder", "dump/@"},
	} {
		for _, format := range []string{formatGzip, formatZip} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				pre := strings.Replace(tc.prefix, "@", "", 1)
				if !strings.Contains(tc.prefix, "@") {
					pre += "private/"
				}
				a := open(t, build(t, format, []ent{
					reg(pre+"var/mobile/Library/SMS/sms.db", "sms"),
					reg(pre+"var/mobile/Containers/Shared/AppGroup/A1/ChatStorage.sqlite", "wa"),
					reg(pre+"var/mobile/Containers/Shared/AppGroup/B2/ChatStorage.sqlite", "wa business"),
				}), Options{})
				v, ok := a.DumpView()
				if !ok {
					t.Fatalf("no dump found in %q", a.TopFolders())
				}
				found, _ := v.Find("", "private/var/mobile/Containers/Shared/AppGroup/*/ChatStorage.sqlite")
				if len(found) != 2 || found[1].Path != "private/var/mobile/Containers/Shared/AppGroup/B2/ChatStorage.sqlite" {
					t.Fatalf("found %+v", found)
				}
				if got := read(t, v, found[1]); got != "wa business" {
					t.Errorf("content = %q", got)
				}
				if got, _ := v.Find("", "*/var/mobile/Library/SMS/sms.db"); len(got) != 1 {
					t.Errorf("a wildcard over the device root found %+v", got)
				}
				for _, p := range walkPaths(t, v) {
					if p != "private" && !strings.HasPrefix(p, "private/var") {
						t.Errorf("Walk shows %q outside private/var", p)
					}
				}
				if got, _ := v.Find("HomeDomain", "private/var/mobile/Library/SMS/sms.db"); len(got) != 0 {
					t.Error("a backup domain matched in an archive")
				}
			})
		}
	}
}

func TestWant(t *testing.T) {
	p := build(t, formatGzip, []ent{
		reg("private/var/mobile/Library/SMS/sms.db", "sms"),
		reg("private/var/mobile/Media/DCIM/IMG_0001.HEIC", strings.Repeat("x", 5000)),
	})
	a := open(t, p, Options{Want: func(p string) bool { return strings.HasSuffix(p, ".db") }})
	db := findOne(t, a, "private/var/mobile/Library/SMS/sms.db")
	if read(t, a, db) != "sms" {
		t.Error("wanted file not readable")
	}
	img := findOne(t, a, "private/var/mobile/Media/DCIM/IMG_0001.HEIC")
	if img.Size != 5000 || !img.Modified.Equal(stamp) || img.UserID != 501 {
		t.Errorf("unwanted entry lost its metadata: %+v", img)
	}
	if _, err := a.Open(img); !errors.Is(err, ErrNotExtracted) {
		t.Errorf("Open of an unwanted entry: %v", err)
	}
	if _, ok := a.LocalPath(img); ok {
		t.Error("LocalPath for an unwanted entry")
	}
	if a.ExtractedBytes() != 3 {
		t.Errorf("ExtractedBytes = %d", a.ExtractedBytes())
	}
}

func TestCloseRemovesExtraction(t *testing.T) {
	tmp := t.TempDir()
	a, err := Open(build(t, formatTar, sysdiag("")), Options{TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	ps := findOne(t, a, "ps.txt")
	local, ok := a.LocalPath(ps)
	if !ok || !strings.HasPrefix(local, tmp+string(filepath.Separator)) {
		t.Fatalf("LocalPath = %q, %v", local, ok)
	}
	dir := filepath.Join(tmp, strings.Split(strings.TrimPrefix(local, tmp+"/"), "/")[0])
	for p, want := range map[string]os.FileMode{dir: 0o700, local: 0o600} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, err %v; want %v", p, st.Mode().Perm(), err, want)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if left := filesUnder(t, tmp); len(left) != 0 {
		t.Errorf("left after Close: %q", left)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNothingExtractedNoFolder(t *testing.T) {
	tmp := t.TempDir()
	a, err := Open(build(t, formatTar, sysdiag("")), Options{TempDir: tmp, Want: func(string) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if left := filesUnder(t, tmp); len(left) != 0 {
		t.Errorf("made %q with nothing to extract", left)
	}
}

func TestProgress(t *testing.T) {
	for _, format := range []string{formatTar, formatGzip, formatZip} {
		t.Run(format, func(t *testing.T) {
			p := build(t, format, sysdiag("top/"))
			st, _ := os.Stat(p)
			var last int64
			open(t, p, Options{Progress: func(n int64) {
				if n < last {
					t.Errorf("progress went back: %d after %d", n, last)
				}
				last = n
			}})
			if last != st.Size() {
				t.Errorf("last progress %d, file size %d", last, st.Size())
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	var ents []ent
	for i := range 200 {
		ents = append(ents, reg(fmt.Sprintf("d%d/f%d.txt", i%10, i), fmt.Sprint(i)))
	}
	for _, format := range []string{formatGzip, formatZip} {
		a := open(t, build(t, format, ents), Options{})
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				files, err := a.Find("", "*/f*.txt")
				if err != nil || len(files) != 200 {
					t.Errorf("Find: %d, %v", len(files), err)
				}
				for _, f := range files {
					name := strings.TrimSuffix(f.Path[strings.IndexByte(f.Path, 'f')+1:], ".txt")
					if got := read(t, a, f); got != name {
						t.Errorf("%s = %q", f.Path, got)
					}
				}
			})
		}
		wg.Wait()
	}
}

func TestEmptyFilesShared(t *testing.T) {
	a := open(t, build(t, formatTar, []ent{reg("a.lock", ""), reg("b.lock", ""), reg("c", "c")}), Options{})
	la, _ := a.LocalPath(findOne(t, a, "a.lock"))
	lb, ok := a.LocalPath(findOne(t, a, "b.lock"))
	if !ok || la != lb {
		t.Errorf("empty files not shared: %q, %q", la, lb)
	}
	if got := read(t, a, findOne(t, a, "b.lock")); got != "" {
		t.Errorf("empty file reads %q", got)
	}
}
