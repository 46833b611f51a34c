package iosbackup

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// BackupKeySize is the size of the key derived from a backup password.
const BackupKeySize = 32

// progressSteps is how many progress reports the slow stage makes: one per
// percent is smooth enough for a bar and costs nothing next to the hashing.
const progressSteps = 100

// DeriveKey turns a backup password into the key that unwraps the keybag's
// class keys. Keybags from iOS 10.2 on (those with DPSL and DPIC) run
// PBKDF2-HMAC-SHA256 over the password, then PBKDF2-HMAC-SHA1 over its
// result; older ones run only the SHA-1 stage over the password.
//
// The SHA-256 stage has millions of rounds and takes seconds, so progress,
// when not nil, is called with the rounds done and the total of both stages:
// once at the start, about every percent, and once at the end.
func DeriveKey(kb *Keybag, password []byte, progress func(done, total int)) ([]byte, error) {
	if kb == nil || len(kb.Salt) == 0 || kb.Iterations == 0 {
		return nil, errors.New("derive backup key: the keybag has no SALT or ITER")
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	total := int(kb.Iterations) + int(kb.DPIC)
	progress(0, total)
	secret := password
	if kb.DPIC > 0 && len(kb.DPSL) > 0 {
		secret = pbkdf2SHA256Block(password, kb.DPSL, int(kb.DPIC), func(done int) { progress(done, total) })
	}
	key, err := pbkdf2.Key(sha1.New, string(secret), kb.Salt, int(kb.Iterations), BackupKeySize)
	if err != nil {
		return nil, fmt.Errorf("derive backup key: %w", err)
	}
	progress(total, total)
	return key, nil
}

// pbkdf2SHA256Block is PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) for one
// 32-byte output block, the only length the keybag needs. It exists because
// crypto/pbkdf2 cannot report progress and cannot be run in parts (each part
// would restart the chain); the benchmark beside it checks it keeps up with
// the standard library.
func pbkdf2SHA256Block(password, salt []byte, iterations int, progress func(done int)) []byte {
	prf := hmac.New(sha256.New, password)
	prf.Write(salt)
	var index [4]byte
	binary.BigEndian.PutUint32(index[:], 1)
	prf.Write(index[:])
	u := prf.Sum(nil)
	t := make([]byte, len(u))
	copy(t, u)
	step := max(iterations/progressSteps, 1)
	// A countdown rather than i%step: a division per round costs a measurable
	// share of the two SHA-256 compressions.
	next := step
	for i := 2; i <= iterations; i++ {
		// Reset reuses the keyed inner and outer states, so each round costs
		// two compressions, as in crypto/pbkdf2.
		prf.Reset()
		prf.Write(u)
		u = prf.Sum(u[:0])
		for j := range t {
			t[j] ^= u[j]
		}
		if next--; next == 0 {
			progress(i)
			next = step
		}
	}
	return t
}
