// Package aeskw implements the AES key wrap algorithm of RFC 3394 with its
// default initial value, as iOS uses it to wrap the class keys of a backup
// keybag and the per-file keys of every backed-up file.
package aeskw

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrIntegrity reports a wrapped key whose integrity check failed: the key
// encryption key is not the one it was wrapped with, or the bytes were altered.
var ErrIntegrity = errors.New("aeskw: integrity check failed")

// defaultIV is the initial value of RFC 3394 section 2.2.3.1.
var defaultIV = [8]byte{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6}

// Wrap wraps plaintext (a key of at least 16 bytes, a multiple of 8) with
// kek (an AES-128, -192 or -256 key). The result is 8 bytes longer.
func Wrap(kek, plaintext []byte) ([]byte, error) {
	if len(plaintext) < 16 || len(plaintext)%8 != 0 {
		return nil, fmt.Errorf("aeskw: wrap: key data of %d bytes: want a multiple of 8, at least 16", len(plaintext))
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("aeskw: wrap: %w", err)
	}
	n := len(plaintext) / 8
	out := make([]byte, 8+len(plaintext))
	copy(out, defaultIV[:])
	copy(out[8:], plaintext)
	var b [16]byte
	for j := range 6 {
		for i := 1; i <= n; i++ {
			r := out[8*i : 8*i+8]
			copy(b[:8], out[:8])
			copy(b[8:], r)
			block.Encrypt(b[:], b[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(out[:8], binary.BigEndian.Uint64(b[:8])^t)
			copy(r, b[8:])
		}
	}
	return out, nil
}

// Unwrap reverses Wrap. It returns ErrIntegrity when the recovered initial
// value is not the default one, which for iOS keybags means a wrong password.
func Unwrap(kek, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < 24 || len(ciphertext)%8 != 0 {
		return nil, fmt.Errorf("aeskw: unwrap: wrapped key of %d bytes: want a multiple of 8, at least 24", len(ciphertext))
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("aeskw: unwrap: %w", err)
	}
	n := len(ciphertext)/8 - 1
	a := binary.BigEndian.Uint64(ciphertext[:8])
	out := make([]byte, 8*n)
	copy(out, ciphertext[8:])
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			r := out[8*(i-1) : 8*i]
			binary.BigEndian.PutUint64(b[:8], a^uint64(n*j+i))
			copy(b[8:], r)
			block.Decrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8])
			copy(r, b[8:])
		}
	}
	var got [8]byte
	binary.BigEndian.PutUint64(got[:], a)
	// Constant time so that the check leaks nothing about how close a guess came.
	if subtle.ConstantTimeCompare(got[:], defaultIV[:]) != 1 {
		clear(out)
		return nil, ErrIntegrity
	}
	return out, nil
}
