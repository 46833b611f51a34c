package check

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
)

// writeTarGz archives the folder dir as a dump tar of "/", the way `tar czf` over ssh does.
func writeTarGz(t *testing.T, dir, out string) {
	t.Helper()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		hdr.Name = "./" + filepath.ToSlash(rel)
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			src, err := os.Open(p)
			if err != nil {
				return err
			}
			defer src.Close()
			if _, err := io.Copy(tw, src); err != nil {
				return err
			}
		}
		return nil
	})
	if err := firstErr(err, tw.Close(), gz.Close(), f.Close()); err != nil {
		t.Fatal(err)
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func runFilesystem(t *testing.T, work, path, bundle, out string) *Outcome {
	t.Helper()
	before := hashTree(t, path)
	res, err := Run(context.Background(), Options{
		Path: path, IOCPaths: []string{bundle}, NoDataDir: true, OutDir: out,
		Version: "test", Command: []string{"vigil", "check", "DUMP"}, Now: fixedNow, Parallel: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	after := hashTree(t, path)
	for p, h := range before {
		if after[p] != h {
			t.Errorf("evidence modified: %s", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("files in the evidence: %d before, %d after", len(before), len(after))
	}
	checkModes(t, out)
	return res
}

// TestEndToEndFilesystem checks the demo as a dump folder against a golden folder, then
// the same dump as a .tar.gz, which must give the same results.
func TestEndToEndFilesystem(t *testing.T) {
	work, _, bundle := writeDemo(t)
	dump := filepath.Join(work, "dump")
	if err := fixture.WriteDemoFilesystem(dump); err != nil {
		t.Fatal(err)
	}
	folderOut := filepath.Join(work, "results-fs")
	res := runFilesystem(t, work, dump, bundle, folderOut)
	if res.Exit != ExitMatch {
		t.Errorf("exit = %d, want 1", res.Exit)
	}
	compareGolden(t, folderOut, filepath.Join("testdata", "golden", "filesystem"), work)

	tarball := filepath.Join(work, "dump.tar.gz")
	writeTarGz(t, dump, tarball)
	tarOut := filepath.Join(work, "results-tar")
	res = runFilesystem(t, work, tarball, bundle, tarOut)
	if res.Exit != ExitMatch {
		t.Errorf("tar.gz exit = %d, want 1", res.Exit)
	}
	golden := readFolder(t, filepath.Join("testdata", "golden", "filesystem"))
	got := readFolder(t, tarOut)
	if len(got) != len(golden) {
		t.Errorf("tar.gz gave %d result files, the folder %d", len(got), len(golden))
	}
	for name, want := range golden {
		g := strings.ReplaceAll(string(normalise(got[name], work)), "$WORK/dump.tar.gz", "$WORK/dump")
		if g != string(want) {
			t.Errorf("%s differs between the tar.gz and the folder:\n%s", name, firstDiff([]byte(g), want))
		}
	}
}
