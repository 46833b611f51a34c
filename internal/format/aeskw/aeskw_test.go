package aeskw

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	kek128 = "000102030405060708090A0B0C0D0E0F"
	kek192 = "000102030405060708090A0B0C0D0E0F1011121314151617"
	kek256 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
	key128 = "00112233445566778899AABBCCDDEEFF"
	key192 = "00112233445566778899AABBCCDDEEFF0001020304050607"
	key256 = "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F"
)

// rfc3394Vectors are the six test vectors of RFC 3394 section 4.
var rfc3394Vectors = []struct {
	name, kek, key, wrapped string
}{
	{"4.1 128-bit key, 128-bit KEK", kek128, key128, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"},
	{"4.2 128-bit key, 192-bit KEK", kek192, key128, "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D"},
	{"4.3 128-bit key, 256-bit KEK", kek256, key128, "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7"},
	{"4.4 192-bit key, 192-bit KEK", kek192, key192, "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2"},
	{"4.5 192-bit key, 256-bit KEK", kek256, key192, "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1"},
	{"4.6 256-bit key, 256-bit KEK", kek256, key256, "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
}

func TestRFC3394Vectors(t *testing.T) {
	for _, v := range rfc3394Vectors {
		t.Run(v.name, func(t *testing.T) {
			kek, key, want := unhex(t, v.kek), unhex(t, v.key), unhex(t, v.wrapped)
			got, err := Wrap(kek, key)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Wrap = %X, want %X", got, want)
			}
			back, err := Unwrap(kek, want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(back, key) {
				t.Errorf("Unwrap = %X, want %X", back, key)
			}
		})
	}
}

// TestTamperedBitFailsIntegrity flips every bit of every vector in turn: the
// check must catch each one, not only changes to the first block.
func TestTamperedBitFailsIntegrity(t *testing.T) {
	for _, v := range rfc3394Vectors {
		t.Run(v.name, func(t *testing.T) {
			kek, wrapped := unhex(t, v.kek), unhex(t, v.wrapped)
			for bit := range len(wrapped) * 8 {
				bad := bytes.Clone(wrapped)
				bad[bit/8] ^= 1 << (bit % 8)
				if out, err := Unwrap(kek, bad); !errors.Is(err, ErrIntegrity) || out != nil {
					t.Fatalf("bit %d flipped: Unwrap = %X, %v; want nil, ErrIntegrity", bit, out, err)
				}
			}
		})
	}
}

func TestWrongKEKFailsIntegrity(t *testing.T) {
	kek := unhex(t, kek256)
	kek[31] ^= 0x80
	if _, err := Unwrap(kek, unhex(t, rfc3394Vectors[5].wrapped)); !errors.Is(err, ErrIntegrity) {
		t.Errorf("err = %v, want ErrIntegrity", err)
	}
}

func TestLengthErrors(t *testing.T) {
	kek := unhex(t, kek128)
	tests := []struct {
		name   string
		kek    []byte
		data   []byte
		unwrap bool
	}{
		{"wrap empty", kek, nil, false},
		{"wrap one semiblock", kek, make([]byte, 8), false},
		{"wrap 15 bytes", kek, make([]byte, 15), false},
		{"wrap 17 bytes", kek, make([]byte, 17), false},
		{"wrap kek 10 bytes", make([]byte, 10), make([]byte, 16), false},
		{"unwrap empty", kek, nil, true},
		{"unwrap 16 bytes", kek, make([]byte, 16), true},
		{"unwrap 23 bytes", kek, make([]byte, 23), true},
		{"unwrap 25 bytes", kek, make([]byte, 25), true},
		{"unwrap 41 bytes", kek, make([]byte, 41), true},
		{"unwrap kek 0 bytes", nil, make([]byte, 24), true},
		{"unwrap kek 33 bytes", make([]byte, 33), make([]byte, 40), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Wrap
			if tt.unwrap {
				f = Unwrap
			}
			out, err := f(tt.kek, tt.data)
			if err == nil || out != nil {
				t.Fatalf("got %X, %v; want an error", out, err)
			}
			if errors.Is(err, ErrIntegrity) {
				t.Errorf("a length error must not look like a failed integrity check: %v", err)
			}
		})
	}
}

func TestRoundTripLongKeyData(t *testing.T) {
	kek := unhex(t, kek256)
	for n := 16; n <= 128; n += 8 {
		data := bytes.Repeat([]byte{byte(n)}, n)
		w, err := Wrap(kek, data)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unwrap(kek, w)
		if err != nil || !bytes.Equal(back, data) {
			t.Fatalf("%d bytes: Unwrap = %X, %v", n, back, err)
		}
	}
}

func BenchmarkUnwrap40(b *testing.B) {
	kek, wrapped := unhex(b, kek256), unhex(b, rfc3394Vectors[5].wrapped)
	for b.Loop() {
		if _, err := Unwrap(kek, wrapped); err != nil {
			b.Fatal(err)
		}
	}
}
