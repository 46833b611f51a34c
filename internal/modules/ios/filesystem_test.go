package ios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestFilesystem(t *testing.T) {
	b := fixture.NewBackup()
	planted := fixture.Epoch.Add(-6 * time.Hour)
	b.Raw("private/var/tmp/UserEventAgent", []byte("\xcf\xfa\xed\xfe")).Modified = planted
	b.Raw("private/var/mobile/Library/Preferences/com.example.app.plist", []byte("bplist00"))
	b.Dir("HomeDomain", "Library/Caches").Modified = fixture.Epoch.Add(-9 * time.Hour)
	res := moduletest.Run(t, NewFilesystem(), moduletest.OpenFilesystem(t, b))
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	byPath := map[string]FilesystemEntry{}
	for _, r := range res.Records {
		e := r.(FilesystemEntry)
		byPath[e.Path] = e
		if !e.Changed.IsZero() {
			t.Errorf("%s: the change time of a folder dump is the copy's, not the device's", e.Path)
		}
	}
	tmp := byPath["private/var/tmp/UserEventAgent"]
	if tmp.Type != "file" || tmp.Size != 4 || tmp.Mode != "-rw-r--r--" || !tmp.Modified.Equal(planted) {
		t.Errorf("planted entry = %+v", tmp)
	}
	if d := byPath["private/var/mobile/Library/Caches"]; d.Type != "dir" || !d.Modified.Equal(fixture.Epoch.Add(-9*time.Hour)) {
		t.Errorf("folder = %+v", d)
	}
	obs := res.Observables()
	for _, o := range []ioc.Observable{
		{Type: ioc.FilePath, Value: "/private/var/tmp/UserEventAgent"},
		{Type: ioc.ProcessPath, Value: "/private/var/tmp/UserEventAgent"},
		{Type: ioc.FilePath, Value: "/private/var/mobile/Library/Preferences/com.example.app.plist"},
		{Type: ioc.FilePath, Value: "/private/var/tmp"},
	} {
		if !slices.Contains(obs, o) {
			t.Errorf("missing %v", o)
		}
	}
	if got := len(res.Events()); got != len(res.Records) {
		t.Errorf("%d events for %d entries, want one each", got, len(res.Records))
	}
	for _, e := range res.Events() {
		if e.Event == "entry_modified" && e.Description == "/private/var/tmp/UserEventAgent" && !e.Time.Equal(planted) {
			t.Errorf("event %+v", e)
		}
	}
}

func TestFilesystemEntryChanged(t *testing.T) {
	m := fixture.Epoch
	for _, tt := range []struct {
		name    string
		f       acq.File
		keep    bool
		want    []string
		wantTyp string
	}{
		{"archive ctime kept", acq.File{Path: "a", Flags: 1, Modified: m, Changed: m.Add(time.Hour)}, true,
			[]string{"entry_modified", "entry_changed"}, "file"},
		{"equal times", acq.File{Path: "a", Flags: 1, Modified: m, Changed: m}, true, []string{"entry_modified"}, "file"},
		{"folder dump ctime dropped", acq.File{Path: "a", Flags: 1, Modified: m, Changed: m.Add(time.Hour)}, false,
			[]string{"entry_modified"}, "file"},
		{"symlink", acq.File{Path: "l", Flags: 4, Target: "/x"}, true, nil, "symlink"},
		{"no times", acq.File{Path: "d", Flags: 2}, true, nil, "dir"},
	} {
		e := newFilesystemEntry(tt.f, tt.keep)
		var got []string
		for _, ev := range e.Events() {
			got = append(got, ev.Event)
		}
		if !slices.Equal(got, tt.want) || e.Type != tt.wantTyp {
			t.Errorf("%s: events %q, type %s", tt.name, got, e.Type)
		}
	}
}

// synthetic is a Source of n generated entries, none stored: it lets the test measure
// what the module itself keeps.
type synthetic struct {
	n   int
	err error
}

func (s synthetic) Find(string, string) ([]acq.File, error) { return nil, nil }
func (s synthetic) Open(acq.File) (io.ReadCloser, error)    { return nil, acq.ErrMissing }
func (s synthetic) LocalPath(acq.File) (string, bool)       { return "", false }
func (s synthetic) Walk(fn func(acq.File) error) error {
	for i := range s.n {
		f := acq.File{Path: fmt.Sprintf("private/var/mobile/Containers/Data/Application/%08d/Library/f%d.db", i/100, i),
			Flags: 1, Size: int64(i), Modified: fixture.Epoch}
		if err := fn(f); err != nil {
			return err
		}
	}
	return s.err
}

// counter is an Emitter that keeps nothing.
type counter struct{ records, observables int }

func (c *counter) Record(r module.Record)     { c.records++; c.observables += len(r.Observables()) }
func (c *counter) Detection(module.Detection) {}
func (c *counter) Problem(error)              {}

func runSynthetic(t *testing.T, src synthetic) (*counter, error) {
	t.Helper()
	temp, err := module.NewTempArea()
	if err != nil {
		t.Fatal(err)
	}
	defer temp.Remove()
	in := &module.Input{Acq: acq.New(acq.IOSFilesystem, "synthetic", src, acq.Facts{}, nil), Temp: temp,
		Log: slog.New(slog.DiscardHandler)}
	c := &counter{}
	return c, NewFilesystem().Run(context.Background(), in, c)
}

func TestFilesystemMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 300,000 entries")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := runSynthetic(t, synthetic{n: 300_000})
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err != nil || c.records != 300_000 || c.observables != 600_000 {
		t.Fatalf("err %v, %d records, %d observables", err, c.records, c.observables)
	}
	// Keeping the entries would hold tens of megabytes; streaming holds almost nothing.
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > 8<<20 {
		t.Errorf("heap grew by %d MiB over the walk", grown>>20)
	}
}

func TestFilesystemOdd(t *testing.T) {
	if _, err := runSynthetic(t, synthetic{}); !errors.Is(err, module.ErrNoData) {
		t.Errorf("empty: err = %v", err)
	}
	boom := errors.New("device read error")
	if c, err := runSynthetic(t, synthetic{n: 3, err: boom}); !errors.Is(err, boom) || c.records != 3 {
		t.Errorf("walk error: err = %v after %d records", err, c.records)
	}
}

func BenchmarkFilesystem(b *testing.B) {
	src := synthetic{n: 100_000}
	temp, err := module.NewTempArea()
	if err != nil {
		b.Fatal(err)
	}
	defer temp.Remove()
	in := &module.Input{Acq: acq.New(acq.IOSFilesystem, "synthetic", src, acq.Facts{}, nil), Temp: temp,
		Log: slog.New(slog.DiscardHandler)}
	b.ReportAllocs()
	for b.Loop() {
		if err := NewFilesystem().Run(context.Background(), in, &counter{}); err != nil {
			b.Fatal(err)
		}
	}
}
