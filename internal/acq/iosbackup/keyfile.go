package iosbackup

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// keyFileHeader opens a key file written by WriteKeyFile; the version after
// the magic lets a later format be refused by name instead of misread.
const (
	keyFileMagic  = "vigil-backup-key"
	keyFileHeader = keyFileMagic + " v1"
)

// maxKeyFileSize bounds what ReadKeyFile reads: a key file is a few lines.
const maxKeyFileSize = 4 << 10

// WriteKeyFile saves a derived backup key so that later runs skip the slow
// derivation. The file is readable by its owner only (the key opens the
// backup as the password would) and looks like:
//
//	vigil-backup-key v1
//	keybag-uuid: 0123456789abcdef0123456789abcdef
//	key: <64 hex digits>
//
// keybagUUID (Keybag.UUIDHex) lets ReadKeyFile's caller refuse a key saved
// for another backup before trying it; it may be empty.
func WriteKeyFile(path string, key []byte, keybagUUID string) error {
	if len(key) != BackupKeySize {
		return fmt.Errorf("key file: key of %d bytes, want %d", len(key), BackupKeySize)
	}
	if _, err := hex.DecodeString(keybagUUID); err != nil {
		return fmt.Errorf("key file: keybag UUID %q is not hex", keybagUUID)
	}
	var b strings.Builder
	b.WriteString(keyFileHeader + "\n")
	if keybagUUID != "" {
		b.WriteString("keybag-uuid: " + strings.ToLower(keybagUUID) + "\n")
	}
	b.WriteString("key: " + hex.EncodeToString(key) + "\n")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	// An existing file keeps its mode through O_TRUNC; a key must not stay world-readable.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	return nil
}

// ReadKeyFile reads a key saved by WriteKeyFile, or a bare file of 64 hex
// digits as MVT's extract-key writes (whose keybag UUID is then "").
func ReadKeyFile(path string) (key []byte, keybagUUID string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, "", fmt.Errorf("key file: %w", err)
	}
	key, keybagUUID, err = parseKeyFile(data)
	if err != nil {
		return nil, "", fmt.Errorf("key file %s: %w", path, err)
	}
	return key, keybagUUID, nil
}

func parseKeyFile(data []byte) ([]byte, string, error) {
	if len(data) > maxKeyFileSize {
		return nil, "", errors.New("too large to be a key file")
	}
	text := strings.TrimSpace(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	if !strings.HasPrefix(text, keyFileMagic) {
		key, err := decodeKey(text)
		if err != nil {
			return nil, "", fmt.Errorf("neither a Vigil key file nor 64 hex digits: %w", err)
		}
		return key, "", nil
	}
	var key []byte
	var uuid string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Scan()
	if strings.TrimSpace(sc.Text()) != keyFileHeader {
		return nil, "", fmt.Errorf("first line %q, want %q (a key file from a newer Vigil?)", sc.Text(), keyFileHeader)
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch {
		case !ok:
			return nil, "", fmt.Errorf("line %q is not \"name: value\"", line)
		case name == "key" && key == nil:
			k, err := decodeKey(value)
			if err != nil {
				return nil, "", err
			}
			key = k
		case name == "keybag-uuid" && uuid == "":
			if _, err := hex.DecodeString(value); err != nil || value == "" {
				return nil, "", fmt.Errorf("keybag-uuid %q is not hex", value)
			}
			uuid = strings.ToLower(value)
		default:
			return nil, "", fmt.Errorf("unexpected or repeated field %q", name)
		}
	}
	if key == nil {
		return nil, "", errors.New("no key line")
	}
	return key, uuid, nil
}

func decodeKey(s string) ([]byte, error) {
	if len(s) != 2*BackupKeySize {
		return nil, fmt.Errorf("key of %d characters, want %d hex digits", len(s), 2*BackupKeySize)
	}
	k, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("key is not hex: %w", err)
	}
	return k, nil
}
