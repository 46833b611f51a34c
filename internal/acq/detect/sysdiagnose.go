package detect

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/fsdump"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/format/sysdiagname"
)

const sysdiagnoseLog = "sysdiagnose.log"

// sysdiagnoseFolder returns dir if it is an extracted sysdiagnose (it holds
// sysdiagnose.log), else its only subfolder that is one, else "".
func sysdiagnoseFolder(dir string) string {
	if isFile(filepath.Join(dir, sysdiagnoseLog)) {
		return dir
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	found := ""
	for _, e := range entries {
		if sub := filepath.Join(dir, e.Name()); e.IsDir() && isFile(filepath.Join(sub, sysdiagnoseLog)) {
			if found != "" {
				return "" // several: let the unknown-kind message list what Vigil reads
			}
			found = sub
		}
	}
	return found
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// openSysdiagnoseFolder opens an extracted sysdiagnose; paths are relative to its top
// folder ("ps.txt", "logs/MCState/Shared/...").
func openSysdiagnoseFolder(path, root string) (*acq.Acquisition, error) {
	d, err := fsdump.Open(root, false)
	if err != nil {
		return nil, err
	}
	a := acq.New(acq.IOSSysdiag, path, d, acq.Facts{}, d)
	a.Facts, a.Warnings = sysdiagnoseFacts(d, filepath.Base(root))
	return a, nil
}

// sysdiagnoseFacts reads what the sysdiagnose says about the device: when it was taken
// and the UTC offset (from its name, else from sysdiagnose.log), the iOS version and
// build (SystemVersion.plist) and the model (remotectl_dumpstate.txt).
func sysdiagnoseFacts(src acq.Source, name string) (acq.Facts, []string) {
	var f acq.Facts
	var warnings []string
	if n, err := sysdiagname.Parse(name); err == nil {
		f.AcquiredAt, f.BuildVersion = n.Time.UTC(), n.Build
		off := n.Offset
		f.UTCOffset = &off
	} else if r, ok := openOne(src, sysdiagnoseLog); ok {
		st, err := sysdiagname.FromLog(r)
		r.Close()
		if err == nil {
			f.AcquiredAt = st.Time.UTC()
			off := st.Offset
			f.UTCOffset = &off
		}
	}
	if f.UTCOffset == nil {
		warnings = append(warnings, "the sysdiagnose's time zone is unknown (its name and sysdiagnose.log give none): "+
			"times of text logs are taken as UTC")
	}
	if r, ok := openOne(src, "logs/SystemVersion/SystemVersion.plist"); ok {
		data, _ := io.ReadAll(io.LimitReader(r, 1<<20))
		r.Close()
		var v struct {
			ProductVersion string `plist:"ProductVersion"`
			ProductBuild   string `plist:"ProductBuildVersion"`
		}
		if plistsafe.Unmarshal(data, &v) == nil {
			f.ProductVersion = v.ProductVersion
			if v.ProductBuild != "" {
				f.BuildVersion = v.ProductBuild
			}
		}
	}
	if r, ok := openOne(src, "remotectl_dumpstate.txt"); ok {
		f.ProductType = remotectlValue(r, "ProductType")
		r.Close()
	}
	return f, warnings
}

func openOne(src acq.Source, p string) (io.ReadCloser, bool) {
	files, err := src.Find("", p)
	if err != nil || len(files) != 1 {
		return nil, false
	}
	r, err := src.Open(files[0])
	return r, err == nil
}

// remotectlValue finds "key => value" in the local device's Properties.
func remotectlValue(r io.Reader, key string) string {
	sc := bufio.NewScanner(io.LimitReader(r, 4<<20))
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), " => "); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
