package iosbackup

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/vigil-project/vigil/internal/format/aeskw"
)

// ErrWrongPassword reports a password (or saved key) that does not unwrap the
// keybag's class keys.
var ErrWrongPassword = errors.New("the password does not unlock this backup's keybag")

// wrappedKeyBlobSize is a ManifestKey or MBFile EncryptionKey: a 4-byte
// little-endian protection class, then a wrapped 32-byte key.
const wrappedKeyBlobSize = 4 + wrappedKeySize

// decryptChunk is how much ciphertext DecryptCBC handles at a time: large
// enough to amortise the calls, small enough to keep memory flat.
const decryptChunk = 64 << 10

// Unlock unwraps, with the key from DeriveKey, every class key wrapped by
// the backup password (WRAP bit 2), and returns them by class. Records
// wrapped only by the device key cannot be opened off the device and are
// left out. A failed integrity check means a wrong password: ErrWrongPassword.
func (kb *Keybag) Unlock(key []byte) (map[uint32][]byte, error) {
	if len(key) != BackupKeySize {
		return nil, fmt.Errorf("unlock keybag: key of %d bytes, want %d", len(key), BackupKeySize)
	}
	keys := map[uint32][]byte{}
	for _, c := range kb.Classes {
		if c.Wrap&WrapPasscode == 0 {
			continue
		}
		k, err := aeskw.Unwrap(key, c.WrappedKey)
		if errors.Is(err, aeskw.ErrIntegrity) {
			return nil, ErrWrongPassword
		}
		if err != nil {
			return nil, fmt.Errorf("unlock keybag: class %d: %w", c.Class, err)
		}
		keys[c.Class] = k
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("unlock keybag: %w: no class key is wrapped by the backup password", ErrCorruptKeybag)
	}
	return keys, nil
}

// UnwrapManifestKey unwraps Manifest.plist's ManifestKey (4-byte
// little-endian class, then the wrapped key) with that class's key.
func UnwrapManifestKey(classKeys map[uint32][]byte, manifestKey []byte) ([]byte, error) {
	if len(manifestKey) != wrappedKeyBlobSize {
		return nil, fmt.Errorf("manifest key: %d bytes, want %d", len(manifestKey), wrappedKeyBlobSize)
	}
	class := binary.LittleEndian.Uint32(manifestKey)
	k, err := unwrapWithClass(classKeys, class, manifestKey[4:])
	if err != nil {
		return nil, fmt.Errorf("manifest key: %w", err)
	}
	return k, nil
}

// UnwrapFileKey unwraps an MBFile's EncryptionKey with the key of the row's
// ProtectionClass. The blob's own 4-byte class prefix is dropped unread, as
// iOSbackup does: ProtectionClass is the field iOS documents per file, and
// the two agreed on every row of the reference backup.
func UnwrapFileKey(classKeys map[uint32][]byte, protectionClass uint32, encryptionKey []byte) ([]byte, error) {
	if len(encryptionKey) != wrappedKeyBlobSize {
		return nil, fmt.Errorf("file key: %d bytes, want %d", len(encryptionKey), wrappedKeyBlobSize)
	}
	k, err := unwrapWithClass(classKeys, protectionClass, encryptionKey[4:])
	if err != nil {
		return nil, fmt.Errorf("file key: %w", err)
	}
	return k, nil
}

func unwrapWithClass(classKeys map[uint32][]byte, class uint32, wrapped []byte) ([]byte, error) {
	ck, ok := classKeys[class]
	if !ok {
		return nil, fmt.Errorf("no unlocked key for protection class %d", class)
	}
	k, err := aeskw.Unwrap(ck, wrapped)
	if err != nil {
		// The class keys unwrapped, so the password was right: this blob is damaged.
		return nil, fmt.Errorf("class %d key does not unwrap it: %w", class, err)
	}
	return k, nil
}

// DecryptCBC decrypts src (AES-256-CBC, zero IV, as backups store every file)
// into dst, a chunk at a time so that memory stays flat whatever the size.
// With size >= 0 (MBFile Size) the output is cut to size bytes, and the
// ciphertext must hold at least that many; with size < 0 the PKCS#7 padding
// is checked and stripped. The ciphertext must be a whole number of blocks.
// On error, dst may already hold part of the plaintext.
func DecryptCBC(key []byte, dst io.Writer, src io.Reader, size int64) error {
	mode, err := cbcDecrypter(key)
	if err != nil {
		return err
	}
	buf := make([]byte, decryptChunk)
	var total int64
	var last [aes.BlockSize]byte // padding mode: the last block, held until EOF proves it last
	held := false
	for {
		n, rerr := io.ReadFull(src, buf)
		if rerr != nil && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			return fmt.Errorf("decrypt: read: %w", rerr)
		}
		total += int64(n)
		if n%aes.BlockSize != 0 {
			return fmt.Errorf("decrypt: ciphertext of %d bytes is not a whole number of %d-byte blocks", total, aes.BlockSize)
		}
		chunk := buf[:n]
		mode.CryptBlocks(chunk, chunk)
		if size >= 0 {
			if err := writeUpTo(dst, chunk, size-(total-int64(n))); err != nil {
				return err
			}
		} else if n > 0 {
			if held {
				if _, err := dst.Write(last[:]); err != nil {
					return fmt.Errorf("decrypt: write: %w", err)
				}
			}
			if _, err := dst.Write(chunk[:n-aes.BlockSize]); err != nil {
				return fmt.Errorf("decrypt: write: %w", err)
			}
			copy(last[:], chunk[n-aes.BlockSize:])
			held = true
		}
		if rerr != nil {
			break
		}
	}
	if size >= 0 {
		if total < size {
			return fmt.Errorf("decrypt: ciphertext of %d bytes is shorter than the file's size, %d", total, size)
		}
		return nil
	}
	if !held {
		return errors.New("decrypt: empty ciphertext has no padding")
	}
	pad, ok := pkcs7(last[:])
	if !ok {
		return errors.New("decrypt: invalid PKCS#7 padding (wrong key, or damaged file)")
	}
	if _, err := dst.Write(last[:aes.BlockSize-pad]); err != nil {
		return fmt.Errorf("decrypt: write: %w", err)
	}
	return nil
}

// writeUpTo writes the part of chunk that falls before the limit of left bytes.
func writeUpTo(dst io.Writer, chunk []byte, left int64) error {
	if left <= 0 {
		return nil
	}
	if int64(len(chunk)) > left {
		chunk = chunk[:left]
	}
	if _, err := dst.Write(chunk); err != nil {
		return fmt.Errorf("decrypt: write: %w", err)
	}
	return nil
}

// DecryptAll decrypts a whole in-memory file such as Manifest.db. Valid
// PKCS#7 padding is stripped; invalid padding leaves the plaintext whole,
// since iOSbackup never strips it and SQLite ignores bytes past its last
// page. (A file that iOS left unpadded and whose last byte happens to look
// like padding would lose those bytes; iOS pads Manifest.db, so this is not
// expected.)
func DecryptAll(key, data []byte) ([]byte, error) {
	mode, err := cbcDecrypter(key)
	if err != nil {
		return nil, err
	}
	if len(data)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("decrypt: ciphertext of %d bytes is not a whole number of %d-byte blocks", len(data), aes.BlockSize)
	}
	out := make([]byte, len(data))
	mode.CryptBlocks(out, data)
	if len(out) >= aes.BlockSize {
		if pad, ok := pkcs7(out[len(out)-aes.BlockSize:]); ok {
			out = out[:len(out)-pad]
		}
	}
	return out, nil
}

func cbcDecrypter(key []byte) (cipher.BlockMode, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("decrypt: key of %d bytes, want 32 (AES-256)", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	return cipher.NewCBCDecrypter(block, make([]byte, aes.BlockSize)), nil
}

// pkcs7 returns the padding length that the final block declares, and
// whether every padding byte agrees with it.
func pkcs7(block []byte) (int, bool) {
	pad := int(block[len(block)-1])
	if pad == 0 || pad > len(block) {
		return 0, false
	}
	for _, b := range block[len(block)-pad:] {
		if int(b) != pad {
			return 0, false
		}
	}
	return pad, true
}
