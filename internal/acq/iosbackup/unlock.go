package iosbackup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vigil-project/vigil/internal/format/nskeyed"
)

// Credentials unlock an encrypted backup: a password, or a key saved by
// `vigil backup derive-key` (which skips the slow derivation).
type Credentials struct {
	Password []byte
	Key      []byte
	KeyUUID  string // keybag UUID the key file was made for; "" when unknown
	// Progress, when set, is told how far the key derivation has got.
	Progress func(done, total int)
}

// ErrNeedPassword reports an encrypted backup opened without credentials.
var ErrNeedPassword = errors.New("this backup is encrypted: give its password with " +
	"--password-file FILE or --password-file - (standard input), type it when asked, " +
	"or use a key saved by 'vigil backup derive-key' with --key-file")

// ErrKeyMismatch reports a key file made for another backup.
var ErrKeyMismatch = errors.New("this key file was made for another backup (its keybag UUID differs)")

// crypt holds what decrypts an encrypted backup: the unwrapped class keys, and the
// private folder where the decrypted Manifest.db lives for as long as the backup is open.
type crypt struct {
	classKeys map[uint32][]byte
	tempDir   string
	key       []byte // the derived backup key, for derive-key
	keybag    *Keybag
}

// unlock derives (or takes) the backup key and unwraps the class keys.
func unlock(manifest map[string]any, creds *Credentials) (*crypt, error) {
	raw, _ := manifest["BackupKeyBag"].([]byte)
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: Manifest.plist has no BackupKeyBag", ErrCorruptKeybag)
	}
	kb, err := ParseKeybag(raw)
	if err != nil {
		return nil, err
	}
	key := creds.Key
	if key == nil {
		if len(creds.Password) == 0 {
			return nil, ErrNeedPassword
		}
		if key, err = DeriveKey(kb, creds.Password, creds.Progress); err != nil {
			return nil, err
		}
	} else if creds.KeyUUID != "" && creds.KeyUUID != kb.UUIDHex() {
		return nil, ErrKeyMismatch
	}
	classKeys, err := kb.Unlock(key)
	if err != nil {
		return nil, err
	}
	return &crypt{classKeys: classKeys, key: key, keybag: kb}, nil
}

// decryptManifestDB writes the plain Manifest.db into a private temp folder and returns
// its path. Backups from before iOS 10.2 have no ManifestKey and a plain Manifest.db.
func (c *crypt) decryptManifestDB(dir string, manifest map[string]any) (string, error) {
	src := filepath.Join(dir, "Manifest.db")
	mk, _ := manifest["ManifestKey"].([]byte)
	if len(mk) == 0 {
		return src, nil
	}
	key, err := UnwrapManifestKey(c.classKeys, mk)
	if err != nil {
		return "", fmt.Errorf("manifest key: %w", err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return "", fmt.Errorf("manifest: %w", err)
	}
	plain, err := DecryptAll(key, data)
	if err != nil {
		return "", fmt.Errorf("manifest: %w", err)
	}
	if !bytes.HasPrefix(plain, sqliteMagic) {
		return "", errors.New("manifest: Manifest.db does not decrypt to an SQLite database: " +
			"the backup is damaged or its Manifest.plist belongs to another backup")
	}
	if c.tempDir, err = os.MkdirTemp("", "vigil-backup-"); err != nil {
		return "", err
	}
	p := filepath.Join(c.tempDir, "Manifest.db")
	if err := os.WriteFile(p, plain, 0o600); err != nil {
		return "", err
	}
	return p, nil
}

// close removes the decrypted Manifest.db.
func (c *crypt) close() error {
	if c == nil || c.tempDir == "" {
		return nil
	}
	return os.RemoveAll(c.tempDir)
}

// fileKey returns the per-file key that an MBFile blob carries, wrapped by its class key.
func (c *crypt) fileKey(blob []byte) ([]byte, error) {
	v, err := nskeyed.Decode(blob)
	if err != nil {
		return nil, fmt.Errorf("file metadata: %w", err)
	}
	m, _ := v.(map[string]any)
	wrapped, _ := m["EncryptionKey"].([]byte)
	class, ok := nskeyed.Int64(m["ProtectionClass"])
	if len(wrapped) == 0 || !ok {
		return nil, errors.New("file metadata has no encryption key")
	}
	return UnwrapFileKey(c.classKeys, uint32(class), wrapped)
}

// decrypting streams the plaintext of an encrypted content file, truncated to size.
func decrypting(key []byte, ciphertext *os.File, size int64) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		err := DecryptCBC(key, pw, ciphertext, size)
		ciphertext.Close()
		pw.CloseWithError(err)
	}()
	return pr
}
