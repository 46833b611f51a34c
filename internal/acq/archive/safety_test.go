package archive

import (
	"archive/tar"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEntryName(t *testing.T) {
	for _, tc := range []struct{ raw, name, why string }{
		{"private/var/x", "private/var/x", ""},
		{"./private//var/./x/", "private/var/x", ""},
		{"./", "", ""},
		{"a/../b", "b", ""},
		{`a\b`, `a\b`, ""},
		{"../evil", "", "outside"},
		{"a/../../evil", "", "outside"},
		{"/etc/passwd", "", "absolute"},
		{`\etc\passwd`, "", "absolute"},
		{`..\..\evil`, "", "outside"},
		{`a\..\b`, "", "backslashes"},
		{`C:\Windows\x`, "", "drive"},
		{"C:", "", "drive"},
		{"nul\x00byte", "", "NUL"},
		{strings.Repeat("a/", 3000), "", "longer"},
	} {
		name, why := entryName(tc.raw)
		if name != tc.name || (tc.why == "") != (why == "") || !strings.Contains(why, tc.why) {
			t.Errorf("entryName(%q) = %q, %q; want %q, %q", tc.raw, name, why, tc.name, tc.why)
		}
	}
}

func TestRefusedNames(t *testing.T) {
	bad := []string{"../evil", "a/../../evil", "/etc/passwd", `..\..\evil`, `C:\Windows\evil`, `a\..\evil`}
	for _, format := range []string{formatTar, formatGzip, formatZip} {
		t.Run(format, func(t *testing.T) {
			ents := []ent{reg("ok.txt", "ok"), reg("x/../ok2.txt", "ok2")}
			for _, b := range bad {
				ents = append(ents, reg(b, "evil"))
			}
			if format == formatZip {
				ents = append(ents, reg("nul\x00byte", "evil"))
			}
			tmp := t.TempDir()
			a := open(t, build(t, format, ents), Options{TempDir: tmp})
			if got := walkPaths(t, a); !slices.Equal(got, []string{"ok.txt", "ok2.txt"}) {
				t.Errorf("Walk = %q", got)
			}
			if n := len(a.Problems()); n != len(ents)-2 {
				t.Errorf("%d problems for %d bad names: %q", n, len(ents)-2, a.Problems())
			}
			for _, b := range bad {
				if !hasProblem(a, fmt.Sprintf("%q", b)) {
					t.Errorf("%q not reported in %q", b, a.Problems())
				}
			}
			assertOnlyExtraction(t, tmp)
		})
	}
}

// assertOnlyExtraction checks that tmp holds one extraction folder of numbered regular
// files, and nothing else: no link, no name that came from the archive.
func assertOnlyExtraction(t *testing.T, tmp string) {
	t.Helper()
	for _, rel := range filesUnder(t, tmp) {
		st, err := os.Lstat(filepath.Join(tmp, rel))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		ok := strings.HasPrefix(parts[0], "vigil-archive-") &&
			(len(parts) == 1 || len(parts) == 2 && (st.IsDir() || parts[1] == "empty") ||
				len(parts) == 3 && st.Mode().IsRegular())
		if !ok {
			t.Errorf("unexpected %s (%v) in the temp folder", rel, st.Mode())
		}
	}
}

func TestLinksNeverFollowed(t *testing.T) {
	for _, format := range []string{formatGzip, formatZip} {
		t.Run(format, func(t *testing.T) {
			ents := []ent{
				reg("a.txt", "A"),
				symlink("link", "/etc"),
				reg("link/passwd", "pwned"),
				symlink("up", "../../../../etc/passwd"),
			}
			if format != formatZip {
				ents = append(ents, hardlink("hl", "./a.txt"), reg("hl/x", "pwned"))
			}
			tmp := t.TempDir()
			a := open(t, build(t, format, ents), Options{TempDir: tmp})
			for _, l := range []struct{ path, target string }{{"link", "/etc"}, {"up", "../../../../etc/passwd"}, {"hl", "./a.txt"}} {
				if l.path == "hl" && format == formatZip {
					continue
				}
				f := findOne(t, a, l.path)
				if f.Flags != 4 || f.Target != l.target || f.IsDir() {
					t.Errorf("%s = %+v", l.path, f)
				}
				if _, err := a.Open(f); err == nil {
					t.Errorf("%s: a link opened", l.path)
				}
				if _, ok := a.LocalPath(f); ok {
					t.Errorf("%s: a link has a local path", l.path)
				}
			}
			if got, _ := a.Find("", "link/passwd"); len(got) != 0 {
				t.Errorf("an entry through a symlink was indexed: %+v", got)
			}
			if !hasProblem(a, `"link/passwd": inside "link", a symlink`) {
				t.Errorf("entry through a symlink not reported: %q", a.Problems())
			}
			if format != formatZip && !hasProblem(a, `"hl/x": inside "hl", a hard link`) {
				t.Errorf("entry through a hard link not reported: %q", a.Problems())
			}
			assertOnlyExtraction(t, tmp)
		})
	}
}

func TestSpecialFilesSkipped(t *testing.T) {
	a := open(t, writeFile(t, "x.tar", tarBytes(t, []ent{
		{name: "dev/disk0", typ: tar.TypeBlock}, {name: "dev/null", typ: tar.TypeChar},
		{name: "tmp/pipe", typ: tar.TypeFifo}, reg("ok", "ok"),
	})), Options{})
	if got := walkPaths(t, a); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("Walk = %q", got)
	}
	for _, p := range []string{`"dev/disk0": device`, `"dev/null": device`, `"tmp/pipe": fifo`} {
		if !hasProblem(a, p) {
			t.Errorf("%q not reported in %q", p, a.Problems())
		}
	}
}

func TestDuplicates(t *testing.T) {
	tmp := t.TempDir()
	a := open(t, writeFile(t, "x.tar", tarBytes(t, []ent{
		reg("a", "first"), reg("./a", "second!"),
		dir("d"), reg("d/x", "x"), reg("d", "file over a folder"), dir("d"),
		reg("f", "file"), reg("f/g", "under a file"),
	})), Options{TempDir: tmp})
	if got := read(t, a, findOne(t, a, "a")); got != "second!" {
		t.Errorf("a = %q, want the last entry", got)
	}
	if !findOne(t, a, "d").IsDir() {
		t.Error("a file replaced a folder")
	}
	if got := walkPaths(t, a); !slices.Equal(got, []string{"a", "d", "d/x", "f"}) {
		t.Errorf("Walk = %q", got)
	}
	for _, p := range []string{`"a": listed again`, `"d": a file where a folder`, `"f/g": inside "f", a file`} {
		if !hasProblem(a, p) {
			t.Errorf("%q not reported in %q", p, a.Problems())
		}
	}
	if a.ExtractedBytes() != int64(len("second!")+len("x")+len("file")) {
		t.Errorf("ExtractedBytes = %d: the replaced copy still counts", a.ExtractedBytes())
	}
	var regular int
	for _, rel := range filesUnder(t, tmp) {
		if st, _ := os.Lstat(filepath.Join(tmp, rel)); st.Mode().IsRegular() {
			regular++
		}
	}
	if regular != 3 {
		t.Errorf("%d extracted files, want 3 (the replaced copy removed)", regular)
	}
}

func TestCaps(t *testing.T) {
	ents := []ent{reg("a", strings.Repeat("a", 100)), reg("b", strings.Repeat("b", 200)), reg("c", strings.Repeat("c", 100))}
	t.Run("entry", func(t *testing.T) {
		for _, format := range []string{formatGzip, formatZip} {
			a := open(t, build(t, format, ents), Options{MaxEntryBytes: 150})
			if _, err := a.Open(findOne(t, a, "b")); !errors.Is(err, ErrRefused) {
				t.Errorf("%s: Open of an entry over the cap: %v", format, err)
			}
			if !hasProblem(a, `"b": declares 200 bytes`) {
				t.Errorf("%s: not reported: %q", format, a.Problems())
			}
			if got := read(t, a, findOne(t, a, "c")); len(got) != 100 {
				t.Errorf("%s: the entry after the refused one is lost", format)
			}
		}
	})
	t.Run("total", func(t *testing.T) {
		tmp := t.TempDir()
		a, err := Open(build(t, formatGzip, ents), Options{TempDir: tmp, MaxTotalBytes: 250})
		if !errors.Is(err, ErrLimit) || a != nil {
			t.Errorf("Open = %v, %v; want ErrLimit", a, err)
		}
		if left := filesUnder(t, tmp); len(left) != 0 {
			t.Errorf("left behind: %q", left)
		}
	})
	t.Run("entries", func(t *testing.T) {
		for _, format := range []string{formatTar, formatZip} {
			_, err := Open(build(t, format, ents), Options{TempDir: t.TempDir(), MaxEntries: 2})
			if !errors.Is(err, ErrLimit) {
				t.Errorf("%s: Open = %v; want ErrLimit", format, err)
			}
		}
	})
}
