// Package iosbackup reads iTunes/Finder backups: Info.plist, Manifest.plist and the
// Manifest.db index of every backed-up file, without writing anything inside the backup.
package iosbackup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
)

var sqliteMagic = []byte("SQLite format 3\x00")

// Backup is an opened backup folder.
type Backup struct {
	root     string
	Info     map[string]any // Info.plist
	Manifest map[string]any // Manifest.plist (empty when absent)

	// Warnings are things the user should hear that do not stop the check.
	Warnings []string

	mu     sync.Mutex // guards conn: Find may be called by modules in parallel
	conn   *sqlite3.Conn
	dbPath string // the plain Manifest.db: the backup's own, or a private decrypted copy
	crypt  *crypt // nil for a plain backup
}

// IsBackup reports whether dir looks like a backup folder.
func IsBackup(dir string) bool {
	return exists(filepath.Join(dir, "Info.plist")) && exists(filepath.Join(dir, "Manifest.db"))
}

// IsEncrypted reports whether the backup in dir has an encrypted Manifest.db, so that a
// caller knows to ask for the password before opening it.
func IsEncrypted(dir string) bool {
	plain, err := hasSQLiteHeader(filepath.Join(dir, "Manifest.db"))
	return err == nil && !plain
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Open opens the backup in dir. An encrypted backup needs creds (ErrNeedPassword without);
// a plain one given creds opens with a warning.
func Open(dir string, creds *Credentials) (*Backup, error) {
	b := &Backup{root: dir, Manifest: map[string]any{}}
	var err error
	if b.Info, err = readPlist(filepath.Join(dir, "Info.plist")); err != nil {
		return nil, err
	}
	if exists(filepath.Join(dir, "Manifest.plist")) {
		if b.Manifest, err = readPlist(filepath.Join(dir, "Manifest.plist")); err != nil {
			return nil, err
		}
	}
	db := filepath.Join(dir, "Manifest.db")
	plain, err := hasSQLiteHeader(db)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	b.dbPath = db
	if plain {
		if creds != nil && (creds.Password != nil || creds.Key != nil) {
			b.Warnings = append(b.Warnings, "this backup is not encrypted: the password or key given was not needed")
		}
	} else if err := b.unlock(creds); err != nil {
		return nil, err
	}
	if b.conn, err = openManifest(b.dbPath); err != nil {
		b.crypt.close()
		return nil, err
	}
	return b, nil
}

func (b *Backup) unlock(creds *Credentials) error {
	if creds == nil {
		return ErrNeedPassword
	}
	if len(b.Manifest) == 0 {
		return errors.New("this backup is encrypted but has no Manifest.plist, which holds its keys")
	}
	c, err := unlock(b.Manifest, creds)
	if err != nil {
		return err
	}
	if b.dbPath, err = c.decryptManifestDB(b.root, b.Manifest); err != nil {
		c.close()
		return err
	}
	b.crypt = c
	return nil
}

// Encrypted reports whether the backup is encrypted (and was unlocked).
func (b *Backup) Encrypted() bool { return b.crypt != nil }

func readPlist(p string) (map[string]any, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	// Info.plist is XML and may run to megabytes; plistsafe bounds its
	// nesting, not its size.
	var m map[string]any
	if err := plistsafe.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("backup: %s is not a readable plist: %w", filepath.Base(p), err)
	}
	return m, nil
}

func hasSQLiteHeader(p string) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil {
		return false, nil // shorter than a header: not plain SQLite
	}
	return bytes.Equal(head, sqliteMagic), nil
}

// openManifest opens Manifest.db read-only and immutable: backups never carry a WAL for it,
// and immutable mode guarantees SQLite creates no -shm or -journal next to the evidence.
func openManifest(p string) (*sqlite3.Conn, error) {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(p), RawQuery: "mode=ro&immutable=1"}
	conn, err := sqlite3.OpenFlags(u.String(), sqlite3.OPEN_READONLY|sqlite3.OPEN_URI)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := conn.Exec(`SELECT 1 FROM Files LIMIT 1`); err != nil {
		conn.Close()
		return nil, fmt.Errorf("manifest: Manifest.db has no readable Files table: %w", err)
	}
	return conn, nil
}

// Close closes Manifest.db and removes its decrypted copy, if any.
func (b *Backup) Close() error { return errors.Join(b.conn.Close(), b.crypt.close()) }

// Facts returns what Info.plist says about the device.
func (b *Backup) Facts() acq.Facts {
	f := acq.Facts{
		DeviceName:     str(b.Info["Device Name"]),
		ProductType:    str(b.Info["Product Type"]),
		ProductVersion: str(b.Info["Product Version"]),
		BuildVersion:   str(b.Info["Build Version"]),
	}
	if enc, ok := b.Manifest["IsEncrypted"].(bool); ok {
		f.Encrypted = enc
	}
	f.Encrypted = f.Encrypted || b.crypt != nil
	f.AcquiredAt = plistTime(b.Info["Last Backup Date"])
	return f
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
