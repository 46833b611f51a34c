package iosbackup

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
)

const fileColumns = `fileID, domain, relativePath, flags, file`

// Find implements acq.Source over Manifest.db.
func (b *Backup) Find(domain, pattern string) ([]acq.File, error) {
	var where []string
	var args []string
	for _, c := range []struct{ col, val string }{{"domain", domain}, {"relativePath", pattern}} {
		switch {
		case c.col == "domain" && c.val == "":
		case acq.HasWildcard(c.val):
			where = append(where, c.col+` LIKE ? ESCAPE '\'`)
			args = append(args, likePattern(c.val))
		default:
			where = append(where, c.col+` = ?`)
			args = append(args, c.val)
		}
	}
	q := `SELECT ` + fileColumns + ` FROM Files WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY domain, relativePath`
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []acq.File
	err := query(b.conn, q, args, func(f acq.File) error {
		if acq.MatchPattern(pattern, f.Path) && (domain == "" || acq.MatchPattern(domain, f.Domain)) {
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("manifest: find %s %s: %w", domain, pattern, err)
	}
	return out, nil
}

// likePattern turns a '*' pattern into SQL LIKE; LIKE is only a pre-filter (it is
// case-insensitive for ASCII and '%' crosses '/'), MatchPattern decides.
func likePattern(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`, `*`, `%`)
	return r.Replace(p)
}

// Walk implements acq.Source: every row of Manifest.db, ordered by domain and path. It uses
// its own connection so that a long walk does not hold up other modules' look-ups.
func (b *Backup) Walk(fn func(acq.File) error) error {
	conn, err := openManifest(b.dbPath)
	if err != nil {
		return err
	}
	defer conn.Close()
	return query(conn, `SELECT `+fileColumns+` FROM Files ORDER BY domain, relativePath`, nil, fn)
}

func query(conn *sqlite3.Conn, q string, args []string, fn func(acq.File) error) error {
	stmt, _, err := conn.Prepare(q)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, a := range args {
		if err := stmt.BindText(i+1, a); err != nil {
			return err
		}
	}
	for stmt.Step() {
		f := acq.File{
			ID:     stmt.ColumnText(0),
			Domain: stmt.ColumnText(1),
			Path:   stmt.ColumnText(2),
			Flags:  stmt.ColumnInt(3),
		}
		// A row whose metadata blob cannot be decoded is still listed: the path alone
		// matters for indicator checks.
		_ = decodeMBFile(stmt.ColumnRawBlob(4), &f)
		if err := fn(f); err != nil {
			return err
		}
	}
	return stmt.Err()
}

// contentPath is where a file's bytes live: <id[0:2]>/<id>, or <id> in old flat layouts.
func (b *Backup) contentPath(f acq.File) (string, error) {
	if len(f.ID) < 2 || strings.ContainsAny(f.ID, `/\.`) {
		return "", fmt.Errorf("backup: invalid file id %q", f.ID)
	}
	p := filepath.Join(b.root, f.ID[:2], f.ID)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	flat := filepath.Join(b.root, f.ID)
	if _, err := os.Stat(flat); err == nil {
		return flat, nil
	}
	return "", fmt.Errorf("backup: %s %s (%s): %w", f.Domain, f.Path, f.ID, acq.ErrMissing)
}

// Open implements acq.Source. Content of an encrypted backup is decrypted as it is read,
// in memory: nothing decrypted touches the disk here.
func (b *Backup) Open(f acq.File) (io.ReadCloser, error) {
	p, err := b.contentPath(f)
	if err != nil {
		return nil, err
	}
	var key []byte
	if b.crypt != nil {
		if key, err = b.fileKey(f); err != nil {
			return nil, fmt.Errorf("backup: %s %s: %w", f.Domain, f.Path, err)
		}
	}
	r, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("backup: %s: %w", f.Path, acq.ErrMissing)
	}
	if err != nil || key == nil {
		return r, err
	}
	return decrypting(key, r, f.Size), nil
}

// fileKey looks the row's metadata up again: per-file keys stay inside this package
// rather than travel with acq.File into records.
func (b *Backup) fileKey(f acq.File) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	stmt, _, err := b.conn.Prepare(`SELECT file FROM Files WHERE fileID = ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	stmt.BindText(1, f.ID)
	if !stmt.Step() {
		return nil, errors.Join(errors.New("no such file id in Manifest.db"), stmt.Err())
	}
	return b.crypt.fileKey(stmt.ColumnRawBlob(0))
}

// LocalPath implements acq.Source: plain backups keep each file as it was on the device;
// encrypted ones have no plain copy on disk.
func (b *Backup) LocalPath(f acq.File) (string, bool) {
	if b.crypt != nil {
		return "", false
	}
	p, err := b.contentPath(f)
	return p, err == nil
}
