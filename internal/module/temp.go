package module

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// TempArea is the run's private scratch folder (0700). Copies of databases and, later,
// decrypted files live here and nowhere else; Remove deletes all of it.
type TempArea struct {
	root string
	n    atomic.Int64
	once sync.Once
}

// NewTempArea creates a private folder under the system temp directory.
func NewTempArea() (*TempArea, error) {
	root, err := os.MkdirTemp("", "vigil-")
	if err != nil {
		return nil, fmt.Errorf("temp area: %w", err)
	}
	if err := os.Chmod(root, 0o700); err != nil {
		os.RemoveAll(root)
		return nil, fmt.Errorf("temp area: %w", err)
	}
	return &TempArea{root: root}, nil
}

// Root is the folder's path.
func (t *TempArea) Root() string { return t.root }

// Dir makes a fresh private subfolder whose name starts with hint.
func (t *TempArea) Dir(hint string) (string, error) {
	hint = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' {
			return '_'
		}
		return r
	}, hint)
	dir := filepath.Join(t.root, fmt.Sprintf("%s-%d", hint, t.n.Add(1)))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("temp area: %w", err)
	}
	return dir, nil
}

// Remove deletes the folder and everything in it. It is safe to call more than once.
func (t *TempArea) Remove() error {
	var err error
	t.once.Do(func() { err = os.RemoveAll(t.root) })
	return err
}
