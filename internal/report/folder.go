// Package report writes a scan's results folder: per-module JSON, detections, timelines,
// provenance, and the terminal summary.
package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotEmpty reports an output folder that already holds files.
var ErrNotEmpty = errors.New("output folder is not empty")

// PrepareFolder creates dir with mode 0700, or accepts an existing empty one. A non-empty
// folder is refused unless force is set, so a second run never mixes with an earlier one;
// with force, earlier result files are removed first.
func PrepareFolder(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		return os.Chmod(dir, 0o700)
	case err != nil:
		return fmt.Errorf("output folder: %w", err)
	case len(entries) > 0 && !force:
		return fmt.Errorf("%w: %s (use --force to replace its contents, or -o for another folder)", ErrNotEmpty, dir)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
	}
	return os.Chmod(dir, 0o700)
}

// create opens a results file with mode 0600: results hold people's messages.
func create(dir, name string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
}

// writeFile writes a whole results file through fn.
func writeFile(dir, name string, fn func(io.Writer) error) error {
	f, err := create(dir, name)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	return f.Close()
}

// Slug is the file-name stem of a module: the part of its name after the last '/'
// ("ios/safari_history" → "safari_history"), as MVT names its files.
func Slug(module string) string {
	return module[strings.LastIndexByte(module, '/')+1:]
}
