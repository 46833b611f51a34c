package iosbackup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The flag is not called -update: the external test package in this folder may
// want that name for golden files, and both are linked into one binary.
var updateSeeds = flag.Bool("update-seeds", false, "rewrite the checked-in fuzz seed corpus")

// keybagSeeds are FuzzParseKeybag's starting points, one per shape the
// parser must survive; they are checked in under testdata/fuzz/FuzzParseKeybag.
func keybagSeeds(t testing.TB) map[string][]byte {
	good := encodeTLV(testKeybag(t))
	lying := bytes.Clone(good)
	binary.BigEndian.PutUint32(lying[4:8], 0xFFFFFFFF)
	legacy := encodeTLV(append(append([]tlvRecord{}, testKeybag(t)[:7]...), testKeybag(t)[10:]...))
	return map[string][]byte{
		"ios17":     good,
		"pre-10.2":  legacy,
		"truncated": good[:len(good)/2],
		"lying":     lying,
		"header":    encodeTLV(testKeybag(t)[:10]),
		"garbage":   []byte("VERS\x00\x00\x00\x04\x00\x00"),
	}
}

// cbcSeeds are FuzzDecryptCBC's starting points: ciphertext and size.
func cbcSeeds(t testing.TB) map[string]struct {
	data []byte
	size int64
} {
	type seed = struct {
		data []byte
		size int64
	}
	return map[string]seed{
		"sized":    {sealCBC(t, testFileKey, []byte("hello, world")), 12},
		"padded":   {sealCBC(t, testFileKey, patternBytes(100)), -1},
		"ragged":   {make([]byte, 17), -1},
		"short":    {sealCBC(t, testFileKey, nil), 40},
		"badpad":   {rawCBC(t, testFileKey, make([]byte, 32)), -1},
		"nothing":  {nil, 0},
		"overlong": {sealCBC(t, testFileKey, patternBytes(50)), 3},
	}
}

func FuzzParseKeybag(f *testing.F) {
	for _, s := range keybagSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		kb, err := ParseKeybag(data)
		if err != nil {
			if kb != nil || !errors.Is(err, ErrCorruptKeybag) {
				t.Fatalf("ParseKeybag = %v, %v; want nil and ErrCorruptKeybag", kb, err)
			}
			return
		}
		if len(kb.UUID) != 16 || len(kb.Salt) == 0 || kb.Iterations == 0 || len(kb.Classes) == 0 {
			t.Fatalf("accepted a keybag missing what derivation needs: %+v", kb)
		}
		seen := map[uint32]bool{}
		for _, c := range kb.Classes {
			if len(c.WrappedKey) != wrappedKeySize || seen[c.Class] {
				t.Fatalf("accepted class record %+v", c)
			}
			seen[c.Class] = true
		}
		// Whatever parses must not panic further down the chain.
		_, _ = kb.Unlock(testBackupKey)
	})
}

func FuzzDecryptCBC(f *testing.F) {
	for _, s := range cbcSeeds(f) {
		f.Add(s.data, s.size)
	}
	f.Fuzz(func(t *testing.T, data []byte, size int64) {
		var out bytes.Buffer
		err := DecryptCBC(testFileKey, &out, bytes.NewReader(data), size)
		if size >= 0 && err == nil && int64(out.Len()) != size {
			t.Fatalf("wrote %d bytes for size %d", out.Len(), size)
		}
		if size < 0 && err == nil {
			all, aerr := DecryptAll(testFileKey, data)
			if aerr != nil || !bytes.Equal(all, out.Bytes()) {
				t.Fatalf("streaming and whole decryption disagree: %d vs %d bytes (%v)", out.Len(), len(all), aerr)
			}
		}
	})
}

// TestCryptoSeedCorpus keeps the checked-in corpus in step with the seeds; run with
// -update-seeds after changing them.
func TestCryptoSeedCorpus(t *testing.T) {
	want := map[string]string{}
	for name, s := range keybagSeeds(t) {
		want[filepath.Join("FuzzParseKeybag", "seed-"+name)] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
	}
	for name, s := range cbcSeeds(t) {
		want[filepath.Join("FuzzDecryptCBC", "seed-"+name)] = fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nint64(%d)\n", s.data, s.size)
	}
	for rel, content := range want {
		path := filepath.Join("testdata", "fuzz", rel)
		if *updateSeeds {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Errorf("%s is missing or stale (err %v); run go test -run TestCryptoSeedCorpus -args -update-seeds", path, err)
		}
	}
}
