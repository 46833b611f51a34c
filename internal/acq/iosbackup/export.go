package iosbackup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/acq"
)

// DeriveBackupKey derives the key of the encrypted backup in dir from its password and
// proves it by unwrapping the class keys, without touching Manifest.db. It returns the
// key and the keybag UUID a key file records.
func DeriveBackupKey(dir string, password []byte, progress func(done, total int)) ([]byte, string, error) {
	manifest, err := readPlist(filepath.Join(dir, "Manifest.plist"))
	if err != nil {
		return nil, "", err
	}
	c, err := unlock(manifest, &Credentials{Password: password, Progress: progress})
	if err != nil {
		return nil, "", err
	}
	return c.key, c.keybag.UUIDHex(), nil
}

// ExportProblem is a file that could not be written to a decrypted copy.
type ExportProblem struct {
	Domain, Path, ID string
	Err              error
}

// ExportStats counts what DecryptTo wrote.
type ExportStats struct {
	Files, Bytes int64
	Missing      int64 // listed in Manifest.db, content absent from the backup
	Problems     []ExportProblem
}

// DecryptTo writes a plain copy of the backup into out (which must be empty or absent):
// the decrypted Manifest.db, every file under its usual id with its size checked against
// its record, Info.plist and Status.plist as they are, and Manifest.plist marked
// unencrypted. Files that cannot be decrypted are reported and skipped. progress, when
// set, is called after each file.
func (b *Backup) DecryptTo(out string, progress func(done int64)) (*ExportStats, error) {
	if b.crypt == nil {
		return nil, errors.New("this backup is not encrypted: there is nothing to decrypt")
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return nil, err
	}
	if err := b.exportMetadata(out); err != nil {
		return nil, err
	}
	st := &ExportStats{}
	var done int64
	err := b.Walk(func(f acq.File) error {
		if f.Flags != 1 {
			return nil
		}
		n, err := b.exportFile(out, f)
		switch {
		case errors.Is(err, acq.ErrMissing):
			st.Missing++
		case err != nil:
			st.Problems = append(st.Problems, ExportProblem{f.Domain, f.Path, f.ID, err})
		default:
			st.Files++
			st.Bytes += n
		}
		done++
		if progress != nil {
			progress(done)
		}
		return nil
	})
	return st, err
}

func (b *Backup) exportMetadata(out string) error {
	for _, name := range []string{"Info.plist", "Status.plist"} {
		if err := copyFile(filepath.Join(b.root, name), filepath.Join(out, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := copyFile(b.dbPath, filepath.Join(out, "Manifest.db")); err != nil {
		return err
	}
	manifest := make(map[string]any, len(b.Manifest))
	for k, v := range b.Manifest {
		manifest[k] = v
	}
	manifest["IsEncrypted"] = false
	delete(manifest, "ManifestKey") // Manifest.db is plain now: nothing for it to unlock
	data, err := plist.Marshal(manifest, plist.BinaryFormat)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "Manifest.plist"), data, 0o600)
}

func (b *Backup) exportFile(out string, f acq.File) (int64, error) {
	r, err := b.Open(f)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Join(out, f.ID[:2]), 0o700); err != nil {
		return 0, err
	}
	w, err := os.OpenFile(filepath.Join(out, f.ID[:2], f.ID), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != f.Size {
		err = fmt.Errorf("decrypted %d bytes, the record says %d", n, f.Size)
	}
	return n, err
}

func copyFile(src, dst string) error {
	r, err := os.Open(src)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
