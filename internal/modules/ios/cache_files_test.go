package ios

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

const (
	cfDaemon = "private/var/mobile/Library/Caches/com.apple.imtranscoderagent/" + fixture.CacheDBName
	cfApp    = "private/var/mobile/Containers/Data/Application/0A1B2C3D-0000-4000-8000-000000000001/Library/Caches/com.example.news/" + fixture.CacheDBName
)

var cfT = time.Date(2026, 3, 1, 12, 30, 45, 0, time.UTC)

func TestCacheFiles(t *testing.T) {
	for _, old := range []bool{false, true} {
		b := fixture.NewBackup()
		opts := fixture.CacheDBOptions{NoPartition: old}
		// The planted exploit download by a system daemon, and a decoy app cache.
		if err := fixture.CacheDB(b, cfDaemon, []fixture.CacheResponse{
			{URL: "https://exploit.attacker.example/stage2.bin", Time: cfT},
			{URL: "https://init.example.com/config", TimeText: "yesterday"},
		}, opts); err != nil {
			t.Fatal(err)
		}
		if err := fixture.CacheDB(b, cfApp, []fixture.CacheResponse{{URL: "https://news.example.org/feed", Time: cfT.Add(time.Hour)}}, opts); err != nil {
			t.Fatal(err)
		}
		b.Raw("private/var/tmp/Cache.db/not-a-database", []byte("a folder named Cache.db"))
		res := moduletest.Run(t, NewCacheFiles(), moduletest.OpenFilesystem(t, b))
		if res.Err != nil || len(res.Problems) > 0 {
			t.Fatalf("old=%v: err %v, problems %v", old, res.Err, res.Problems)
		}
		var got []string
		for _, o := range res.Observables() {
			got = append(got, o.Value)
		}
		want := []string{"https://news.example.org/feed", "https://exploit.attacker.example/stage2.bin", "https://init.example.com/config"}
		if !slices.Equal(got, want) {
			t.Errorf("old=%v: observables = %q\nwant %q", old, got, want)
		}
		odd := res.Records[2].(CacheResponse)
		if !odd.Time.IsZero() || odd.TimeText != "yesterday" || odd.Database != cfDaemon || *odd.HashValue != 1001 {
			t.Errorf("record = %+v", odd)
		}
		ev := res.Events()
		if len(ev) != 2 || ev[1].Event != "cache_response" || !ev[1].Time.Equal(cfT) ||
			ev[1].Description != cfDaemon+" recorded visit to URL https://exploit.attacker.example/stage2.bin" {
			t.Errorf("events = %+v", ev)
		}
	}
}

func TestCacheFilesOddFiles(t *testing.T) {
	good := func(b *fixture.Backup) {
		if err := fixture.CacheDB(b, cfApp, []fixture.CacheResponse{{URL: "https://a.example/", Time: cfT}}, fixture.CacheDBOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name         string
		build        func(*fixture.Backup)
		wantErr      error // nil: any error
		wantOK       bool
		wantProblems int
	}{
		{"absent", func(*fixture.Backup) {}, module.ErrNoData, false, 0},
		{"random bytes only", func(b *fixture.Backup) { b.Raw(cfDaemon, []byte{0x13, 0x37, 0xff}) }, nil, false, 0},
		{"another kind of Cache.db beside a good one", func(b *fixture.Backup) {
			good(b)
			if err := b.RawSQLite(cfDaemon, `CREATE TABLE other (x);`); err != nil {
				t.Fatal(err)
			}
		}, nil, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			tt.build(b)
			res := moduletest.Run(t, NewCacheFiles(), moduletest.OpenFilesystem(t, b))
			switch {
			case tt.wantOK && res.Err != nil:
				t.Fatalf("err = %v", res.Err)
			case !tt.wantOK && res.Err == nil:
				t.Fatal("no error")
			case tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr):
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
			if len(res.Problems) != tt.wantProblems {
				t.Errorf("problems = %v", res.Problems)
			}
		})
	}
}
