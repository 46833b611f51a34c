package iosbackup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/format/nskeyed"
)

const testPassword = "correct horse battery staple"

// encryptedFixture writes an encrypted backup and returns its folder and the
// plaintext of every file whose content it holds, by fileID.
func encryptedFixture(t *testing.T, opts fixture.EncryptOptions) (string, map[string][]byte) {
	t.Helper()
	files := map[string][]byte{
		"Library/SMS/sms.db":           []byte("SQLite format 3\x00 pretend messages"),
		"Library/Safari/History.db":    patternBytes(3*decryptChunk + 7), // several chunks, ragged end
		"Library/Preferences/a.plist":  []byte("0123456789abcdef"),       // exactly one block: a full padding block follows
		"Library/Preferences/empty":    {},
		"Library/Caches/one-byte.bin":  {1},
		"Library/Caches/locationd.txt": []byte("clients"),
	}
	b := fixture.NewBackup()
	plain := map[string][]byte{}
	for rel, data := range files {
		b.File("HomeDomain", rel, data)
		plain[fixture.FileID("HomeDomain", rel)] = data
	}
	b.Dir("HomeDomain", "Library/SMS")
	b.Listed("HomeDomain", "Library/Gone.db")
	dir := filepath.Join(t.TempDir(), "backup")
	if err := b.WriteEncrypted(dir, opts); err != nil {
		t.Fatal(err)
	}
	return dir, plain
}

type manifestPlist struct {
	IsEncrypted  bool
	BackupKeyBag []byte
	ManifestKey  []byte
	Lockdown     struct{ ProductVersion string }
}

func readManifestPlist(t *testing.T, dir string) manifestPlist {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "Manifest.plist"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifestPlist
	if _, err := plist.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// openEncrypted runs spec section 2 steps 1-5: keybag, key, class keys,
// decrypted Manifest.db opened read-only.
func openEncrypted(t *testing.T, dir, password string) (map[uint32][]byte, *sqlite3.Conn) {
	t.Helper()
	m := readManifestPlist(t, dir)
	if !m.IsEncrypted || m.Lockdown.ProductVersion == "" {
		t.Fatalf("Manifest.plist = %+v", m)
	}
	kb, err := ParseKeybag(m.BackupKeyBag)
	if err != nil {
		t.Fatal(err)
	}
	key, err := DeriveKey(kb, []byte(password), nil)
	if err != nil {
		t.Fatal(err)
	}
	classKeys, err := kb.Unlock(key)
	if err != nil {
		t.Fatal(err)
	}
	mk, err := UnwrapManifestKey(classKeys, m.ManifestKey)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := os.ReadFile(filepath.Join(dir, "Manifest.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(sealed, []byte("SQLite format 3\x00")) {
		t.Fatal("Manifest.db is stored in the clear")
	}
	db, err := DecryptAll(mk, sealed)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "Manifest.db")
	if err := os.WriteFile(p, db, 0o600); err != nil {
		t.Fatal(err)
	}
	conn, err := sqlite3.OpenFlags(p, sqlite3.OPEN_READONLY)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return classKeys, conn
}

// decryptRows decrypts the content of every file row and checks it against plain.
func decryptRows(t *testing.T, dir string, classKeys map[uint32][]byte, conn *sqlite3.Conn, plain map[string][]byte) {
	t.Helper()
	stmt, _, err := conn.Prepare(`SELECT fileID, flags, file FROM Files ORDER BY fileID`)
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	decrypted, missing := 0, 0
	classes := map[int64]bool{}
	for stmt.Step() {
		id, flags := stmt.ColumnText(0), stmt.ColumnInt(1)
		v, err := nskeyed.Decode(stmt.ColumnRawBlob(2))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		mb, _ := v.(map[string]any)
		if flags != 1 {
			if _, ok := mb["EncryptionKey"]; ok {
				t.Errorf("%s: flags %d row has an EncryptionKey", id, flags)
			}
			continue
		}
		ek, _ := mb["EncryptionKey"].([]byte)
		class, _ := nskeyed.Int64(mb["ProtectionClass"])
		size, _ := nskeyed.Int64(mb["Size"])
		if len(ek) != 44 || int64(binary.LittleEndian.Uint32(ek)) != class || class < 1 || class > 4 {
			t.Fatalf("%s: EncryptionKey %x, ProtectionClass %d", id, ek, class)
		}
		classes[class] = true
		fk, err := UnwrapFileKey(classKeys, uint32(class), ek)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		f, err := os.Open(filepath.Join(dir, id[:2], id))
		if errors.Is(err, os.ErrNotExist) {
			missing++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err = DecryptCBC(fk, &out, f, size)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if !bytes.Equal(out.Bytes(), plain[id]) {
			t.Errorf("%s: decrypted %d bytes, want %d", id, out.Len(), len(plain[id]))
		}
		decrypted++
	}
	if err := stmt.Err(); err != nil {
		t.Fatal(err)
	}
	if decrypted != len(plain) || missing != 1 {
		t.Errorf("decrypted %d files (want %d), %d missing (want 1)", decrypted, len(plain), missing)
	}
	if len(classes) < 2 {
		t.Errorf("every file uses class %v: the fixture should spread them", classes)
	}
}

func TestEncryptedBackupRoundTrip(t *testing.T) {
	dir, plain := encryptedFixture(t, fixture.EncryptOptions{Password: testPassword})
	classKeys, conn := openEncrypted(t, dir, testPassword)
	decryptRows(t, dir, classKeys, conn, plain)
}

func TestEncryptedBackupRefusesBadKeys(t *testing.T) {
	dir, _ := encryptedFixture(t, fixture.EncryptOptions{Password: testPassword})
	m := readManifestPlist(t, dir)

	kb, err := ParseKeybag(m.BackupKeyBag)
	if err != nil {
		t.Fatal(err)
	}
	wrongKey, err := DeriveKey(kb, []byte("Correct horse battery staple"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kb.Unlock(wrongKey); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: err = %v, want ErrWrongPassword", err)
	}

	rightKey, err := DeriveKey(kb, []byte(testPassword), nil)
	if err != nil {
		t.Fatal(err)
	}
	kb.Classes[len(kb.Classes)-1].WrappedKey[7] ^= 0x20
	if _, err := kb.Unlock(rightKey); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("tampered WPKY: err = %v, want ErrWrongPassword", err)
	}

	for _, n := range []int{0, 7, 100, len(m.BackupKeyBag) - 1} {
		if _, err := ParseKeybag(m.BackupKeyBag[:n]); !errors.Is(err, ErrCorruptKeybag) {
			t.Errorf("keybag cut to %d bytes: err = %v, want ErrCorruptKeybag", n, err)
		}
	}
}

// TestEncryptedBackupRealCounts checks the whole chain at the iteration
// counts iOS uses (10,000,000 SHA-256 rounds, 10,000 SHA-1 rounds), where
// only the real cost shows; it takes a few seconds.
func TestEncryptedBackupRealCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("derives keys at the real iteration counts")
	}
	if raceDetector {
		// About 90 s instead of 3: the race detector instruments every byte
		// the hashing touches, and a single-goroutine derivation has no race to find.
		t.Skip("too slow under -race; run without -race to cover the real iteration counts")
	}
	start := time.Now()
	dir, plain := encryptedFixture(t, fixture.EncryptOptions{Password: testPassword,
		Iterations: fixture.BackupDPIC, SHA1Iterations: fixture.BackupITER})
	kb, err := ParseKeybag(readManifestPlist(t, dir).BackupKeyBag)
	if err != nil {
		t.Fatal(err)
	}
	if kb.DPIC != 10_000_000 || kb.Iterations != 10_000 {
		t.Fatalf("DPIC %d, ITER %d", kb.DPIC, kb.Iterations)
	}
	classKeys, conn := openEncrypted(t, dir, testPassword)
	decryptRows(t, dir, classKeys, conn, plain)
	t.Logf("write and decrypt at real counts: %v", time.Since(start).Round(time.Millisecond))
}
