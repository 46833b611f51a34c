package ioc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// EnvVar names the environment variable that lists extra bundle files or folders,
// separated by os.PathListSeparator (':' on Unix, ';' on Windows, so drive letters such as
// C:\iocs work; MVT's fixed ':' breaks them).
const EnvVar = "VIGIL_IOCS"

// DataDir returns the per-user folder whose bundles are always loaded:
// <os.UserConfigDir()>/vigil/indicators, e.g. ~/.config/vigil/indicators on Linux,
// ~/Library/Application Support/vigil/indicators on macOS, %AppData%\vigil\indicators on
// Windows. `vigil iocs update` is meant to store downloaded bundles there.
func DataDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("indicator data folder: %w", err)
	}
	return filepath.Join(dir, "vigil", "indicators"), nil
}

// Discover lists the bundle files to load, in this order: the explicit paths, then the
// entries of env (the value of EnvVar), then the files in DataDir. A path may be a file
// (any extension) or a folder, searched recursively for names ending in .stix2 or .json
// (any case), sorted, skipping names that start with '.'. A missing explicit or env path
// is an error; a missing or unknowable data folder is not. The same path found twice is
// listed once; identical content under different paths is caught later by Set.Add.
func Discover(paths []string, env string) ([]string, error) {
	dataDir, err := DataDir()
	if err != nil {
		dataDir = "" // no home folder: nothing was ever downloaded, so nothing to load
	}
	return DiscoverIn(paths, env, dataDir)
}

// DiscoverIn is Discover with the data folder given; "" leaves it out (the demo and tests
// must not pick up what a user downloaded).
func DiscoverIn(paths []string, env, dataDir string) ([]string, error) {
	var out []string
	seen := make(map[string]bool)
	add := func(p string) {
		if c := filepath.Clean(p); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	explicit := slices.Clone(paths)
	for _, p := range filepath.SplitList(env) {
		if p = strings.TrimSpace(p); p != "" {
			explicit = append(explicit, p)
		}
	}
	for _, p := range explicit {
		files, err := bundleFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			add(f)
		}
	}
	if dataDir != "" {
		files, err := bundleFiles(dataDir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, f := range files {
			add(f)
		}
	}
	return out, nil
}

// bundleFiles expands one path: a file is itself, a folder its bundle files.
func bundleFiles(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("indicators %s: %w", p, err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != p && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isBundleName(name) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 { // follow a link only to a regular file
			if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("indicators %s: %w", p, err)
	}
	slices.Sort(files)
	return files, nil
}

func isBundleName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".stix2" || ext == ".json"
}
