package detect

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
)

func TestOpenSysdiagnose(t *testing.T) {
	local := time.Date(2026, 3, 14, 10, 26, 53, 0, time.FixedZone("", 3600))
	s, err := fixture.NewSysdiagnose(local, "iPhone14,2", "17.4.1", "21E236")
	if err != nil {
		t.Fatal(err)
	}
	s.File("ps.txt", []byte("USER UID PID COMMAND\n"))
	dir := t.TempDir()
	folder, err := s.WriteFolder(filepath.Join(dir, "extracted"))
	if err != nil {
		t.Fatal(err)
	}
	tarball, err := s.WriteTarGz(dir)
	if err != nil {
		t.Fatal(err)
	}
	renamed := filepath.Join(dir, "from-helpline.tar.gz") // a name that says nothing
	if err := copyFile(tarball, renamed); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{folder, filepath.Dir(folder), tarball, renamed} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			a, err := OpenWith(p, Options{Want: WantPaths([]string{"private/var/mobile/x"})})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			f := a.Facts
			if a.Kind != acq.IOSSysdiag || f.ProductType != "iPhone14,2" || f.ProductVersion != "17.4.1" ||
				f.BuildVersion != "21E236" || !f.AcquiredAt.Equal(local) || f.UTCOffset == nil || *f.UTCOffset != 3600 {
				t.Errorf("kind %s, facts %+v", a.Kind, f)
			}
			files, err := a.Source.Find("", "ps.txt")
			if err != nil || len(files) != 1 {
				t.Fatalf("ps.txt: %v %v", files, err)
			}
			r, err := a.Source.Open(files[0])
			if err != nil {
				t.Fatalf("ps.txt not readable (extracted?): %v", err)
			}
			r.Close()
		})
	}
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
