package check

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/fixture"
)

// benchBackup is a mid-sized backup: enough rows that decryption cost shows, small enough
// to build in seconds.
func benchBackup(b *testing.B) *fixture.Backup {
	b.Helper()
	bk := fixture.NewBackup()
	t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	err := fixture.SafariHistoryFunc(bk, fixture.SafariDomain, fixture.SafariHistoryPath, 200_000, func(i int) fixture.SafariVisit {
		return fixture.SafariVisit{URL: fmt.Sprintf("https://site%d.example.com/page/%d", i%20_000, i), Time: t0.Add(time.Duration(i) * time.Second)}
	})
	if err != nil {
		b.Fatal(err)
	}
	err = fixture.SMSFunc(bk, 60_000, func(i int) fixture.SMSMessage {
		text := fmt.Sprintf("message %d", i)
		if i%3 == 0 {
			text += fmt.Sprintf(" https://link%d.example.org/x", i)
		}
		return fixture.SMSMessage{Text: text, Handle: fmt.Sprintf("+1555%07d", i%500), Date: t0.Add(time.Duration(i) * time.Minute)}
	}, fixture.SMSOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 20_000 {
		bk.File("HomeDomain", fmt.Sprintf("Library/Caches/app%d/file%d.dat", i%300, i), []byte("x"))
	}
	return bk
}

func benchCheck(b *testing.B, path string, creds *iosbackup.Credentials) {
	b.Helper()
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		_, err := Run(ctx, Options{Path: path, Creds: creds, NoDataDir: true,
			OutDir: filepath.Join(b.TempDir(), fmt.Sprint("out", i)), Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckBackup checks the same backup plain and encrypted (from a saved key): the
// issue's goal is a decrypt-on-read overhead under 25%.
func BenchmarkCheckBackup(b *testing.B) {
	dir := b.TempDir()
	bk := benchBackup(b)
	plain, enc := filepath.Join(dir, "plain"), filepath.Join(dir, "encrypted")
	if err := bk.Write(plain); err != nil {
		b.Fatal(err)
	}
	if err := bk.WriteEncrypted(enc, fixture.EncryptOptions{Password: "bench"}); err != nil {
		b.Fatal(err)
	}
	key, uuid, err := iosbackup.DeriveBackupKey(enc, []byte("bench"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("plain", func(b *testing.B) { benchCheck(b, plain, nil) })
	b.Run("encrypted-from-key", func(b *testing.B) {
		benchCheck(b, enc, &iosbackup.Credentials{Key: key, KeyUUID: uuid})
	})
}
