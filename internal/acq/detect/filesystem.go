package detect

import (
	"io"
	"os"
	"path/filepath"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/fsdump"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
)

// systemVersion is where iOS says which version it runs. It lies outside /private, so
// only dumps of the whole "/" hold it; dumps of /private leave the version unknown.
const systemVersion = "System/Library/CoreServices/SystemVersion.plist"

// maxSystemVersion bounds the read: the real file is well under a kilobyte.
const maxSystemVersion = 1 << 20

// openFilesystem opens a filesystem dump folder; root is the folder that corresponds to
// the device's "/" (as fsdump.Detect found it), path what the user gave.
func openFilesystem(path, root string, varOnly bool) (*acq.Acquisition, error) {
	d, err := fsdump.Open(root, varOnly)
	if err != nil {
		return nil, err
	}
	var facts acq.Facts
	var warnings []string
	if !varOnly {
		facts, warnings = systemVersionFacts(root)
	}
	a := acq.New(acq.IOSFilesystem, path, d, facts, d)
	a.Warnings = warnings
	return a, nil
}

// systemVersionFacts reads the product version and build from SystemVersion.plist, when
// the dump has one; a dump without it is normal and says nothing.
func systemVersionFacts(root string) (acq.Facts, []string) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return acq.Facts{}, nil
	}
	defer r.Close()
	f, err := r.Open(filepath.FromSlash(systemVersion))
	if err != nil {
		return acq.Facts{}, nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSystemVersion))
	if err != nil {
		return acq.Facts{}, []string{"cannot read " + systemVersion + ": " + err.Error()}
	}
	var v struct {
		ProductVersion string `plist:"ProductVersion"`
		ProductBuild   string `plist:"ProductBuildVersion"`
	}
	if err := plistsafe.Unmarshal(data, &v); err != nil {
		return acq.Facts{}, []string{systemVersion + " is not a readable plist; the iOS version is unknown"}
	}
	return acq.Facts{ProductVersion: v.ProductVersion, BuildVersion: v.ProductBuild}, nil
}
