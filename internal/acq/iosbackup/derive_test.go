package iosbackup

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"testing"
)

func TestPBKDF2SHA256MatchesStdlib(t *testing.T) {
	tests := []struct {
		password, salt string
		iterations     int
	}{
		{"password", "salt", 1},
		{"password", "salt", 2},
		{"password", "salt", 3},
		{"", "salt", 7},
		{"pässwörd with a longer tail than one SHA-256 block, so HMAC hashes the key first....", "s", 99},
		{"password", "", 100},
		{"x", "salt-salt-salt-salt!", 101},
		{"correct horse battery staple", "dpsl-dpsl-dpsl-dpsl!", 4096},
		{"correct horse battery staple", "dpsl-dpsl-dpsl-dpsl!", 10_000},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%q", tt.iterations, tt.password), func(t *testing.T) {
			want, err := pbkdf2.Key(sha256.New, tt.password, []byte(tt.salt), tt.iterations, 32)
			if err != nil {
				t.Fatal(err)
			}
			got := pbkdf2SHA256Block([]byte(tt.password), []byte(tt.salt), tt.iterations, func(int) {})
			if !bytes.Equal(got, want) {
				t.Errorf("got %x, want %x", got, want)
			}
		})
	}
}

func TestDeriveKey(t *testing.T) {
	salt, dpsl := []byte("salt-salt-salt-salt!"), []byte("dpsl-dpsl-dpsl-dpsl!")
	double := func(password string) []byte {
		k1, _ := pbkdf2.Key(sha256.New, password, dpsl, 1000, 32)
		k, _ := pbkdf2.Key(sha1.New, string(k1), salt, 10, 32)
		return k
	}
	single := func(password string) []byte {
		k, _ := pbkdf2.Key(sha1.New, password, salt, 10, 32)
		return k
	}
	tests := []struct {
		name string
		kb   *Keybag
		want []byte
	}{
		{"iOS 10.2 and later", &Keybag{Salt: salt, Iterations: 10, DPIC: 1000, DPSL: dpsl}, double("hunter2")},
		{"before iOS 10.2", &Keybag{Salt: salt, Iterations: 10}, single("hunter2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls [][2]int
			got, err := DeriveKey(tt.kb, []byte("hunter2"), func(done, total int) { calls = append(calls, [2]int{done, total}) })
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("key = %x, want %x", got, tt.want)
			}
			total := int(tt.kb.Iterations + tt.kb.DPIC)
			if len(calls) < 2 || calls[0] != [2]int{0, total} || calls[len(calls)-1] != [2]int{total, total} {
				t.Fatalf("progress calls = %v", calls)
			}
			for i := 1; i < len(calls); i++ {
				if calls[i][0] < calls[i-1][0] || calls[i][1] != total {
					t.Fatalf("progress not monotonic: %v", calls)
				}
			}
			if tt.kb.DPIC >= 100 && len(calls) < 100 {
				t.Errorf("%d progress calls over the SHA-256 stage, want about one per percent", len(calls))
			}
		})
	}
	if _, err := DeriveKey(&Keybag{Iterations: 1}, []byte("x"), nil); err == nil {
		t.Error("keybag without SALT: no error")
	}
}

// The benchmarks compare the progress-reporting PBKDF2 with crypto/pbkdf2;
// ours is kept only while it stays within about 10% of the standard library.
const benchIterations = 200_000

func BenchmarkPBKDF2SHA256Ours(b *testing.B) {
	for b.Loop() {
		pbkdf2SHA256Block([]byte("password"), []byte("dpsl-dpsl-dpsl-dpsl!"), benchIterations, func(int) {})
	}
}

func BenchmarkPBKDF2SHA256Stdlib(b *testing.B) {
	for b.Loop() {
		if _, err := pbkdf2.Key(sha256.New, "password", []byte("dpsl-dpsl-dpsl-dpsl!"), benchIterations, 32); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveKeyReal is one password check at the counts iOS uses.
func BenchmarkDeriveKeyReal(b *testing.B) {
	kb := &Keybag{Salt: []byte("salt-salt-salt-salt!"), Iterations: 10_000, DPIC: 10_000_000, DPSL: []byte("dpsl-dpsl-dpsl-dpsl!")}
	for b.Loop() {
		if _, err := DeriveKey(kb, []byte("password"), nil); err != nil {
			b.Fatal(err)
		}
	}
}
