package check

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
)

// TestEndToEndSysdiagnose checks the demo sysdiagnose as the phone exports it (.tar.gz)
// against a golden folder; its extracted folder must give the same results.
func TestEndToEndSysdiagnose(t *testing.T) {
	work, _, bundle := writeDemo(t)
	s, err := fixture.DemoSysdiagnose()
	if err != nil {
		t.Fatal(err)
	}
	tarball, err := s.WriteTarGz(work)
	if err != nil {
		t.Fatal(err)
	}
	folder, err := s.WriteFolder(filepath.Join(work, "extracted"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "results-sysdiagnose")
	res := runFilesystem(t, work, tarball, bundle, out)
	if res.Exit != ExitMatch {
		t.Errorf("exit = %d, want 1", res.Exit)
	}
	golden := filepath.Join("testdata", "golden", "sysdiagnose")
	compareGolden(t, out, golden, work)

	folderOut := filepath.Join(work, "results-folder")
	runFilesystem(t, work, folder, bundle, folderOut)
	want := readFolder(t, golden)
	got := readFolder(t, folderOut)
	if len(got) != len(want) {
		t.Errorf("the folder gave %d result files, the archive %d", len(got), len(want))
	}
	for name, w := range want {
		g := strings.ReplaceAll(string(normalise(got[name], work)), "$WORK/extracted/"+s.Name, "$WORK/"+s.Name+".tar.gz")
		if g != string(w) {
			t.Errorf("%s differs between the folder and the archive:\n%s", name, firstDiff([]byte(g), w))
		}
	}
}
