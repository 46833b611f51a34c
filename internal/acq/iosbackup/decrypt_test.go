package iosbackup

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/vigil-project/vigil/internal/format/aeskw"
)

var testFileKey = bytes.Repeat([]byte{0x17}, 32)

// sealCBC is what iOS stores: PKCS#7 padding, then AES-256-CBC with a zero IV.
func sealCBC(t testing.TB, key, plain []byte) []byte {
	t.Helper()
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	out := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	cipher.NewCBCEncrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(out, out)
	return out
}

// rawCBC encrypts whole blocks without adding padding, to build bad inputs.
func rawCBC(t testing.TB, key, plain []byte) []byte {
	t.Helper()
	block, _ := aes.NewCipher(key)
	out := bytes.Clone(plain)
	cipher.NewCBCEncrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(out, out)
	return out
}

func patternBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestDecryptCBC(t *testing.T) {
	big := patternBytes(3*decryptChunk + 5) // crosses chunk boundaries with a ragged end
	tests := []struct {
		name    string
		cipher  []byte
		size    int64
		want    []byte
		wantErr string
	}{
		{"size exact", sealCBC(t, testFileKey, []byte("hello")), 5, []byte("hello"), ""},
		{"size within padding", sealCBC(t, testFileKey, []byte("hello")), 3, []byte("hel"), ""},
		{"size zero", sealCBC(t, testFileKey, nil), 0, nil, ""},
		{"size zero, no ciphertext", nil, 0, nil, ""},
		{"size large", sealCBC(t, testFileKey, big), int64(len(big)), big, ""},
		{"size beyond ciphertext", sealCBC(t, testFileKey, []byte("hello")), 17, nil, "shorter than the file's size"},
		{"size, ragged ciphertext", sealCBC(t, testFileKey, []byte("hello"))[:15], 5, nil, "whole number"},
		{"padding", sealCBC(t, testFileKey, []byte("hello")), -1, []byte("hello"), ""},
		{"padding, full block", sealCBC(t, testFileKey, []byte("0123456789abcdef")), -1, []byte("0123456789abcdef"), ""},
		{"padding, empty plaintext", sealCBC(t, testFileKey, nil), -1, []byte{}, ""},
		{"padding large", sealCBC(t, testFileKey, big), -1, big, ""},
		{"padding, exact chunk", sealCBC(t, testFileKey, big[:decryptChunk-16]), -1, big[:decryptChunk-16], ""},
		{"padding zero byte", rawCBC(t, testFileKey, make([]byte, 32)), -1, nil, "invalid PKCS#7"},
		{"padding over block", rawCBC(t, testFileKey, bytes.Repeat([]byte{17}, 32)), -1, nil, "invalid PKCS#7"},
		{"padding inconsistent", rawCBC(t, testFileKey, append(make([]byte, 29), 1, 2, 3)), -1, nil, "invalid PKCS#7"},
		{"padding, no ciphertext", nil, -1, nil, "empty ciphertext"},
		{"padding, ragged ciphertext", make([]byte, 33), -1, nil, "whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Half reads make io.ReadFull work for every chunk, as a slow disk would.
			for _, src := range []io.Reader{bytes.NewReader(tt.cipher), iotest.HalfReader(bytes.NewReader(tt.cipher))} {
				var out bytes.Buffer
				err := DecryptCBC(testFileKey, &out, src, tt.size)
				if tt.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("err = %v, want %q", err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), tt.want) {
					t.Fatalf("got %d bytes, want %d", out.Len(), len(tt.want))
				}
			}
		})
	}
}

func TestDecryptCBCErrors(t *testing.T) {
	if err := DecryptCBC(make([]byte, 16), io.Discard, bytes.NewReader(make([]byte, 16)), -1); err == nil {
		t.Error("AES-128 key accepted")
	}
	boom := errors.New("disk on fire")
	if err := DecryptCBC(testFileKey, io.Discard, iotest.ErrReader(boom), 0); !errors.Is(err, boom) {
		t.Errorf("read error: err = %v", err)
	}
	w := &failWriter{err: boom}
	if err := DecryptCBC(testFileKey, w, bytes.NewReader(sealCBC(t, testFileKey, []byte("x"))), -1); !errors.Is(err, boom) {
		t.Errorf("write error: err = %v", err)
	}
}

type failWriter struct{ err error }

func (w *failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestDecryptAll(t *testing.T) {
	db := append([]byte("SQLite format 3\x00"), patternBytes(4080)...)
	unpadded := rawCBC(t, testFileKey, append(bytes.Clone(db[:4080]), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9))
	tests := []struct {
		name   string
		cipher []byte
		want   []byte
	}{
		{"padded", sealCBC(t, testFileKey, db), db},
		{"not padded: kept whole", unpadded, append(bytes.Clone(db[:4080]), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9)},
		{"empty", nil, []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecryptAll(testFileKey, tt.cipher)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("got %d bytes, want %d", len(got), len(tt.want))
			}
		})
	}
	if _, err := DecryptAll(testFileKey, make([]byte, 20)); err == nil {
		t.Error("ragged ciphertext accepted")
	}
	if _, err := DecryptAll(testFileKey[:24], make([]byte, 32)); err == nil {
		t.Error("AES-192 key accepted")
	}
}

func wrappedBlob(t testing.TB, class uint32, classKey, key []byte) []byte {
	t.Helper()
	w, err := aeskw.Wrap(classKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return append(binary.LittleEndian.AppendUint32(nil, class), w...)
}

func TestUnwrapKeys(t *testing.T) {
	classKeys := map[uint32][]byte{3: testClassKey(3), 4: testClassKey(4)}
	manifest := wrappedBlob(t, 4, testClassKey(4), testFileKey)
	if k, err := UnwrapManifestKey(classKeys, manifest); err != nil || !bytes.Equal(k, testFileKey) {
		t.Errorf("UnwrapManifestKey = %x, %v", k, err)
	}
	file := wrappedBlob(t, 3, testClassKey(3), testFileKey)
	if k, err := UnwrapFileKey(classKeys, 3, file); err != nil || !bytes.Equal(k, testFileKey) {
		t.Errorf("UnwrapFileKey = %x, %v", k, err)
	}
	tampered := bytes.Clone(file)
	tampered[10] ^= 1
	tests := []struct {
		name, want string
		call       func() ([]byte, error)
	}{
		{"manifest short", "43 bytes", func() ([]byte, error) { return UnwrapManifestKey(classKeys, manifest[:43]) }},
		{"manifest unknown class", "class 7", func() ([]byte, error) {
			return UnwrapManifestKey(classKeys, wrappedBlob(t, 7, testClassKey(7), testFileKey))
		}},
		{"manifest big-endian class", "class 67108864", func() ([]byte, error) {
			return UnwrapManifestKey(classKeys, append([]byte{0, 0, 0, 4}, manifest[4:]...))
		}},
		{"file long", "48 bytes", func() ([]byte, error) { return UnwrapFileKey(classKeys, 3, append(file, make([]byte, 4)...)) }},
		{"file wrong class key", "integrity", func() ([]byte, error) { return UnwrapFileKey(classKeys, 4, file) }},
		{"file tampered", "integrity", func() ([]byte, error) { return UnwrapFileKey(classKeys, 3, tampered) }},
		{"file class not unlocked", "class 1", func() ([]byte, error) { return UnwrapFileKey(classKeys, 1, file) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %x, %v; want an error mentioning %q", k, err, tt.want)
			}
		})
	}
}

func BenchmarkDecryptCBC(b *testing.B) {
	plain := patternBytes(8 << 20)
	sealed := sealCBC(b, testFileKey, plain)
	b.SetBytes(int64(len(sealed)))
	b.ReportAllocs()
	for b.Loop() {
		if err := DecryptCBC(testFileKey, io.Discard, bytes.NewReader(sealed), int64(len(plain))); err != nil {
			b.Fatal(err)
		}
	}
}
