package iosbackup

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyFileRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{0xC3}, 32)
	p := filepath.Join(t.TempDir(), "backup.key")
	// A file left world-readable by something else must end up private.
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(p, key, "ABAB0000ABAB0000ABAB0000ABAB0000"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(p)
	want := "vigil-backup-key v1\nkeybag-uuid: abab0000abab0000abab0000abab0000\nkey: " + strings.Repeat("c3", 32) + "\n"
	if string(data) != want {
		t.Errorf("file = %q, want %q", data, want)
	}
	got, uuid, err := ReadKeyFile(p)
	if err != nil || !bytes.Equal(got, key) || uuid != "abab0000abab0000abab0000abab0000" {
		t.Errorf("ReadKeyFile = %x, %q, %v", got, uuid, err)
	}
}

func TestWriteKeyFileErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WriteKeyFile(filepath.Join(dir, "a"), make([]byte, 16), ""); err == nil {
		t.Error("16-byte key accepted")
	}
	if err := WriteKeyFile(filepath.Join(dir, "b"), make([]byte, 32), "not hex"); err == nil {
		t.Error("non-hex UUID accepted")
	}
	if err := WriteKeyFile(filepath.Join(dir, "missing", "c"), make([]byte, 32), ""); err == nil {
		t.Error("write into a missing folder succeeded")
	}
}

func TestParseKeyFile(t *testing.T) {
	hexKey := strings.Repeat("0f", 32)
	tests := []struct {
		name, data, wantUUID, wantErr string
	}{
		{"MVT bare key", hexKey + "\n", "", ""},
		{"MVT bare key, upper case, CRLF", strings.ToUpper(hexKey) + "\r\n", "", ""},
		{"ours without UUID", "vigil-backup-key v1\nkey: " + hexKey + "\n", "", ""},
		{"ours, fields swapped, blank line", "vigil-backup-key v1\n\nkey: " + hexKey + "\nkeybag-uuid: 00ff\n", "00ff", ""},
		{"empty", "", "", "neither"},
		{"short bare key", hexKey[:62], "", "neither"},
		{"bare key not hex", strings.Repeat("zz", 32), "", "not hex"},
		{"unknown version", "vigil-backup-key v2\nkey: " + hexKey, "", "first line"},
		{"no key line", "vigil-backup-key v1\nkeybag-uuid: 00ff\n", "", "no key line"},
		{"two keys", "vigil-backup-key v1\nkey: " + hexKey + "\nkey: " + hexKey, "", "repeated"},
		{"unknown field", "vigil-backup-key v1\npassword: hunter2\nkey: " + hexKey, "", "unexpected"},
		{"no colon", "vigil-backup-key v1\n" + hexKey, "", "name: value"},
		{"bad uuid", "vigil-backup-key v1\nkeybag-uuid: xyz\nkey: " + hexKey, "", "not hex"},
		{"too large", strings.Repeat(" ", maxKeyFileSize+1), "", "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, uuid, err := parseKeyFile([]byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %x, %v; want error %q", key, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(key, bytes.Repeat([]byte{0x0f}, 32)) || uuid != tt.wantUUID {
				t.Errorf("got %x, %q", key, uuid)
			}
		})
	}
	if _, _, err := ReadKeyFile(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Error("absent file: no error")
	}
}
