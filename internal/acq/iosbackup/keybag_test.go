package iosbackup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/format/aeskw"
)

// tlvRecord is one tag of a hand-built keybag.
type tlvRecord struct {
	tag   string
	value []byte
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func encodeTLV(recs []tlvRecord) []byte {
	var b bytes.Buffer
	for _, r := range recs {
		b.WriteString(r.tag)
		b.Write(be32(uint32(len(r.value))))
		b.Write(r.value)
	}
	return b.Bytes()
}

var testBackupKey = bytes.Repeat([]byte{0x42}, 32)

func testClassKey(class uint32) []byte { return bytes.Repeat([]byte{byte(class)}, 32) }

// testKeybag is a keybag in the shape iOS writes: header, then class records
// 1-4 wrapped by testBackupKey, plus a device-only record (WRAP 1) whose
// WPKY the backup key cannot open.
func testKeybag(t testing.TB) []tlvRecord {
	t.Helper()
	recs := []tlvRecord{
		{"VERS", be32(4)}, {"TYPE", be32(1)}, {"UUID", bytes.Repeat([]byte{0xAB}, 16)},
		{"HMCK", make([]byte, 40)}, {"WRAP", be32(0)}, {"SALT", []byte("salt-salt-salt-salt!")},
		{"ITER", be32(3)}, {"DPWT", be32(1)}, {"DPIC", be32(5)}, {"DPSL", []byte("dpsl-dpsl-dpsl-dpsl!")},
	}
	for class := uint32(1); class <= 5; class++ {
		wrap, kek := uint32(WrapPasscode), testBackupKey
		if class == 5 {
			wrap, kek = WrapDevice, bytes.Repeat([]byte{0x99}, 32)
		}
		wpky, err := aeskw.Wrap(kek, testClassKey(class))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs,
			tlvRecord{"UUID", bytes.Repeat([]byte{byte(class)}, 16)}, tlvRecord{"CLAS", be32(class)},
			tlvRecord{"WRAP", be32(wrap)}, tlvRecord{"KTYP", be32(0)}, tlvRecord{"WPKY", wpky})
	}
	return recs
}

func TestParseKeybag(t *testing.T) {
	recs := testKeybag(t)
	// A public key and an unknown tag must not disturb the parse.
	recs = append(recs[:len(recs)-1], tlvRecord{"PBKY", make([]byte, 32)}, tlvRecord{"ZZZZ", []byte("later iOS")}, recs[len(recs)-1])
	kb, err := ParseKeybag(encodeTLV(recs))
	if err != nil {
		t.Fatal(err)
	}
	if kb.Version != 4 || kb.Type != 1 || kb.UUIDHex() != strings.Repeat("ab", 16) || kb.Iterations != 3 ||
		kb.DPIC != 5 || string(kb.DPSL) != "dpsl-dpsl-dpsl-dpsl!" || string(kb.Salt) != "salt-salt-salt-salt!" {
		t.Errorf("header = %+v", kb)
	}
	if len(kb.Classes) != 5 {
		t.Fatalf("%d classes, want 5", len(kb.Classes))
	}
	for i, c := range kb.Classes {
		if c.Class != uint32(i+1) || len(c.WrappedKey) != 40 || len(c.UUID) != 16 {
			t.Errorf("class record %d = %+v", i, c)
		}
	}
	if kb.Classes[4].Wrap != WrapDevice || len(kb.Classes[4].PublicKey) != 32 {
		t.Errorf("last record = %+v", kb.Classes[4])
	}
}

func TestParseKeybagErrors(t *testing.T) {
	good := testKeybag(t)
	without := func(tag string) []byte {
		var out []tlvRecord
		for _, r := range good {
			if r.tag != tag {
				out = append(out, r)
			}
		}
		return encodeTLV(out)
	}
	with := func(i int, r tlvRecord) []byte {
		out := append([]tlvRecord{}, good[:i]...)
		out = append(out, r)
		return encodeTLV(append(out, good[i:]...))
	}
	replaced := func(tag string, nth int, value []byte) []byte {
		out := append([]tlvRecord{}, good...)
		for i := range out {
			if out[i].tag == tag {
				if nth == 0 {
					out[i].value = value
					break
				}
				nth--
			}
		}
		return encodeTLV(out)
	}
	full := encodeTLV(good)
	lying := bytes.Clone(full)
	binary.BigEndian.PutUint32(lying[4:8], 1<<31) // VERS claims 2 GiB
	tests := []struct {
		name, want string
		data       []byte
	}{
		{"truncated header", "truncated TLV header", full[:len(full)-45]},
		{"truncated value", "only", full[:len(full)-1]},
		{"length beyond input", "claims 2147483648 bytes", lying},
		{"trailing bytes", "truncated TLV header", append(bytes.Clone(full), 0, 0, 0)},
		{"no SALT", "no SALT", without("SALT")},
		{"no ITER", "no ITER", without("ITER")},
		{"ITER zero", "no ITER", replaced("ITER", 0, be32(0))},
		{"DPIC without DPSL", "DPIC and DPSL", without("DPSL")},
		{"no UUID at all", "class key tag before any class record", without("UUID")},
		{"duplicate class", "duplicate class 2", replaced("CLAS", 2, be32(2))},
		{"short WPKY", "wrapped class key of 39 bytes", replaced("WPKY", 1, make([]byte, 39))},
		{"long WPKY", "wrapped class key of 48 bytes", replaced("WPKY", 0, make([]byte, 48))},
		{"record without WPKY", "has no WPKY", with(14, tlvRecord{"UUID", make([]byte, 16)})},
		{"duplicate header tag", "duplicate tag", with(1, tlvRecord{"SALT", []byte("x")})},
		{"duplicate record tag", "duplicate tag", with(12, tlvRecord{"CLAS", be32(9)})},
		{"header tag in record", "header tag inside a class record", with(12, tlvRecord{"ITER", be32(1)})},
		{"short integer", "integer of 2 bytes", replaced("ITER", 0, []byte{0, 1})},
		{"short UUID", "UUID of 15 bytes", replaced("UUID", 0, make([]byte, 15))},
		{"header only", "no class keys", encodeTLV(good[:10])},
		{"empty", "no UUID", nil},
		{"too large", "more than a keybag can hold", make([]byte, maxKeybagSize+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb, err := ParseKeybag(tt.data)
			if err == nil {
				t.Fatalf("parsed %+v, want an error", kb)
			}
			if !errors.Is(err, ErrCorruptKeybag) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrCorruptKeybag mentioning %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "corrupt keybag: ") {
				t.Errorf("err = %q, want it to start with \"corrupt keybag: \"", err)
			}
		})
	}
}

func TestUnlock(t *testing.T) {
	kb, err := ParseKeybag(encodeTLV(testKeybag(t)))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := kb.Unlock(testBackupKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 4 {
		t.Errorf("unlocked %d classes, want 4 (the device-only one is skipped)", len(keys))
	}
	for class := uint32(1); class <= 4; class++ {
		if !bytes.Equal(keys[class], testClassKey(class)) {
			t.Errorf("class %d key = %x", class, keys[class])
		}
	}

	wrong := bytes.Clone(testBackupKey)
	wrong[0] ^= 1
	if _, err := kb.Unlock(wrong); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong key: err = %v, want ErrWrongPassword", err)
	}
	if _, err := kb.Unlock(testBackupKey[:16]); err == nil || errors.Is(err, ErrWrongPassword) {
		t.Errorf("short key: err = %v, want a length error", err)
	}

	deviceOnly := &Keybag{Classes: []ClassKey{{Class: 1, Wrap: WrapDevice, WrappedKey: make([]byte, 40)}}}
	if _, err := deviceOnly.Unlock(testBackupKey); !errors.Is(err, ErrCorruptKeybag) {
		t.Errorf("no password-wrapped class: err = %v, want ErrCorruptKeybag", err)
	}
}
