package iosbackup_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/fixture"
)

func writeBackup(t *testing.T) string {
	t.Helper()
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/SMS/sms.db", []byte("sms"))
	b.File("HomeDomain", "Library/Safari/History.db", []byte("history"))
	b.File("HomeDomain", "Library/Safari/Profiles/A1/History.db", []byte("profile history"))
	b.File("HomeDomain", "Library/Safari/Profiles/A1/Sub/History.db", []byte("too deep"))
	b.File("AppDomain-com.example.app", "Library/Safari/History.db", []byte("app history"))
	b.File("HomeDomain", "Library/100%_real_[x].db", []byte("odd name"))
	b.Dir("HomeDomain", "Library/Safari")
	b.Listed("HomeDomain", "Library/Gone.db")
	times := b.File("RootDomain", "Library/Caches/locationd/clients.plist", []byte("x"))
	times.Birth = time.Unix(1600000000, 0)
	dir := filepath.Join(t.TempDir(), "backup")
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFind(t *testing.T) {
	b, err := iosbackup.Open(writeBackup(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tests := []struct {
		domain, pattern string
		want            []string
	}{
		{"HomeDomain", "Library/SMS/sms.db", []string{"HomeDomain/Library/SMS/sms.db"}},
		{"", "Library/Safari/History.db", []string{"AppDomain-com.example.app/Library/Safari/History.db", "HomeDomain/Library/Safari/History.db"}},
		{"HomeDomain", "Library/Safari/Profiles/*/History.db", []string{"HomeDomain/Library/Safari/Profiles/A1/History.db"}},
		{"AppDomain-*", "Library/Safari/History.db", []string{"AppDomain-com.example.app/Library/Safari/History.db"}},
		{"HomeDomain", "library/sms/sms.db", nil}, // case matters, although LIKE would not care
		{"HomeDomain", "Library/100%_real_[x].db", []string{"HomeDomain/Library/100%_real_[x].db"}},
		{"HomeDomain", "Library/1%_real_[x].db", nil}, // '%' is literal, not a wildcard
		{"HomeDomain", "Library/Nothing.db", nil},
	}
	for _, tt := range tests {
		t.Run(tt.domain+"/"+tt.pattern, func(t *testing.T) {
			found, err := b.Find(tt.domain, tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range found {
				got = append(got, f.Domain+"/"+f.Path)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestOpenAndMetadata(t *testing.T) {
	b, err := iosbackup.Open(writeBackup(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	found, _ := b.Find("RootDomain", "Library/Caches/locationd/clients.plist")
	if len(found) != 1 {
		t.Fatalf("found %d", len(found))
	}
	f := found[0]
	if f.ID != fixture.FileID("RootDomain", "Library/Caches/locationd/clients.plist") || f.Size != 1 ||
		!f.Birth.Equal(time.Unix(1600000000, 0)) || f.Mode.Perm() != 0o644 || f.UserID != 501 {
		t.Errorf("metadata = %+v", f)
	}
	r, err := b.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(r)
	r.Close()
	if string(data) != "x" {
		t.Errorf("content = %q", data)
	}
	gone, _ := b.Find("HomeDomain", "Library/Gone.db")
	if _, err := b.Open(gone[0]); !errors.Is(err, acq.ErrMissing) {
		t.Errorf("missing content: err = %v, want ErrMissing", err)
	}
	if _, ok := b.LocalPath(gone[0]); ok {
		t.Error("LocalPath of missing content reported ok")
	}
}

func TestWalk(t *testing.T) {
	b, err := iosbackup.Open(writeBackup(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var paths []string
	dirs := 0
	err = b.Walk(func(f acq.File) error {
		paths = append(paths, f.Domain+"/"+f.Path)
		if f.IsDir() {
			dirs++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 9 || dirs != 1 {
		t.Errorf("walked %d entries with %d dirs: %q", len(paths), dirs, paths)
	}
	for i := 1; i < len(paths); i++ {
		if paths[i-1] > paths[i] {
			t.Errorf("not sorted: %q before %q", paths[i-1], paths[i])
		}
	}
}

func TestEncryptedIsRefused(t *testing.T) {
	dir := writeBackup(t)
	// An encrypted Manifest.db is ciphertext: no SQLite header.
	if err := os.WriteFile(filepath.Join(dir, "Manifest.db"), make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := iosbackup.Open(dir, nil); !errors.Is(err, iosbackup.ErrNeedPassword) {
		t.Errorf("err = %v, want ErrNeedPassword", err)
	}
}

func TestFacts(t *testing.T) {
	b, err := iosbackup.Open(writeBackup(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f := b.Facts()
	if f.ProductType != "iPhone14,2" || f.ProductVersion != "17.4.1" || f.Encrypted || !f.AcquiredAt.Equal(fixture.Epoch) {
		t.Errorf("facts = %+v", f)
	}
}
