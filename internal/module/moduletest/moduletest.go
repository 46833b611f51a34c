// Package moduletest runs one module on a fixture acquisition and collects what it emits.
package moduletest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Result is everything a module emitted in one run.
type Result struct {
	Records    []module.Record
	Detections []module.Detection
	Problems   []error
	Err        error // what Run returned
}

// Events flattens the records' timeline events.
func (r Result) Events() []timeline.Event {
	var out []timeline.Event
	for _, rec := range r.Records {
		out = append(out, rec.Events()...)
	}
	return out
}

// Observables flattens the records' observables.
func (r Result) Observables() []ioc.Observable {
	var out []ioc.Observable
	for _, rec := range r.Records {
		out = append(out, rec.Observables()...)
	}
	return out
}

type collector struct {
	mu sync.Mutex
	r  *Result
}

func (c *collector) Record(r module.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.r.Records = append(c.r.Records, r)
}

func (c *collector) Detection(d module.Detection) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.r.Detections = append(c.r.Detections, d)
}

func (c *collector) Problem(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.r.Problems = append(c.r.Problems, err)
}

// Run runs m on a with a private temp area that is removed afterwards. When a came from
// OpenBackup, m also runs on the encrypted twin of the same backup, and the test fails
// unless both runs emit the same records, detections, problems and outcome: every module
// test thereby proves that decrypt-on-read changes nothing. When m also reads filesystem
// dumps, it runs on the filesystem twin too, and the test fails unless that run finds the
// same observables, detections and outcome (see compareFilesystem).
func Run(t testing.TB, m module.Module, a *acq.Acquisition) Result {
	t.Helper()
	return runTwins(t, m, a, fsCompare{enabled: true})
}

// RunBackup is Run without the filesystem twin, for the rare test whose backup holds
// something a filesystem dump cannot (a backup tool's own quirk): the caller says why.
func RunBackup(t testing.TB, m module.Module, a *acq.Acquisition) Result {
	t.Helper()
	return runTwins(t, m, a, fsCompare{})
}

// RunWithFilesystemExtras is Run for a module that finds more on a dump than in a backup:
// the dump run's detections for which extra is true are left out of the comparison. Only
// what a dump alone can show belongs there, such as a file missing from the whole device.
func RunWithFilesystemExtras(t testing.TB, m module.Module, a *acq.Acquisition, extra func(module.Detection) bool) Result {
	t.Helper()
	return runTwins(t, m, a, fsCompare{enabled: true, extra: extra})
}

// fsCompare says whether and how the filesystem twin is compared.
type fsCompare struct {
	enabled bool
	extra   func(module.Detection) bool
}

func runTwins(t testing.TB, m module.Module, a *acq.Acquisition, fsc fsCompare) Result {
	t.Helper()
	res := run(t, m, a)
	twinsMu.Lock()
	tw := twins[a]
	twinsMu.Unlock()
	if tw == nil {
		return res
	}
	compareRuns(t, res, run(t, m, tw.encrypted))
	if fsc.enabled && slices.Contains(m.Kinds(), acq.IOSFilesystem) && slices.Contains(m.Kinds(), acq.IOSBackup) {
		fs := run(t, m, tw.filesystem)
		if fsc.extra != nil {
			fs.Detections = slices.DeleteFunc(fs.Detections, fsc.extra)
		}
		compareFilesystem(t, res, fs)
	}
	return res
}

func run(t testing.TB, m module.Module, a *acq.Acquisition) Result {
	t.Helper()
	temp, err := module.NewTempArea()
	if err != nil {
		t.Fatal(err)
	}
	defer temp.Remove()
	var res Result
	in := &module.Input{Acq: a, Temp: temp, Log: slog.New(slog.DiscardHandler)}
	res.Err = m.Run(context.Background(), in, &collector{r: &res})
	return res
}

func compareRuns(t testing.TB, plain, encrypted Result) {
	t.Helper()
	if (plain.Err == nil) != (encrypted.Err == nil) || errors.Is(plain.Err, module.ErrNoData) != errors.Is(encrypted.Err, module.ErrNoData) {
		t.Errorf("encrypted backup: Run returned %v, the plain one %v", encrypted.Err, plain.Err)
	}
	if len(plain.Problems) != len(encrypted.Problems) {
		t.Errorf("encrypted backup: %d problems, the plain one %d: %v", len(encrypted.Problems), len(plain.Problems), encrypted.Problems)
	}
	for _, part := range []struct {
		name string
		p, e any
	}{{"records", plain.Records, encrypted.Records}, {"detections", plain.Detections, encrypted.Detections}} {
		pj, err1 := json.Marshal(part.p)
		ej, err2 := json.Marshal(part.e)
		if err1 != nil || err2 != nil {
			t.Fatalf("marshal %s: %v %v", part.name, err1, err2)
		}
		if !bytes.Equal(pj, ej) {
			t.Errorf("encrypted backup gives other %s than the plain one:\nplain:     %.400s\nencrypted: %.400s", part.name, pj, ej)
		}
	}
}

// twinSet are the other layouts of one fixture.
type twinSet struct{ encrypted, filesystem *acq.Acquisition }

var (
	twinsMu sync.Mutex
	twins   = map[*acq.Acquisition]*twinSet{}
)

// twinPassword encrypts the twins; one PBKDF2 round keeps tests fast.
const twinPassword = "moduletest"

// OpenBackup writes b into a test folder and opens it as an acquisition. It also writes
// and opens an encrypted copy of b and a filesystem dump of b, which Run checks the
// module against.
func OpenBackup(t testing.TB, b *fixture.Backup) *acq.Acquisition {
	t.Helper()
	dir := t.TempDir()
	a := open(t, b.Write, filepath.Join(dir, "backup"), nil)
	enc := open(t, func(p string) error {
		return b.WriteEncrypted(p, fixture.EncryptOptions{Password: twinPassword})
	}, filepath.Join(dir, "encrypted"), &iosbackup.Credentials{Password: []byte(twinPassword)})
	enc.Facts.Encrypted = a.Facts.Encrypted // the one fact that is meant to differ
	fs := open(t, b.WriteFilesystem, filepath.Join(dir, "filesystem"), nil)
	twinsMu.Lock()
	twins[a] = &twinSet{encrypted: enc, filesystem: fs}
	twinsMu.Unlock()
	t.Cleanup(func() {
		twinsMu.Lock()
		delete(twins, a)
		twinsMu.Unlock()
	})
	return a
}

// OpenFilesystem writes b as a filesystem dump into a test folder and opens it, for
// tests of what only dumps hold.
func OpenFilesystem(t testing.TB, b *fixture.Backup) *acq.Acquisition {
	t.Helper()
	a := open(t, b.WriteFilesystem, filepath.Join(t.TempDir(), "filesystem"), nil)
	if a.Kind != acq.IOSFilesystem {
		t.Fatalf("the fixture dump opened as %s", a.Kind)
	}
	return a
}

func open(t testing.TB, write func(string) error, dir string, creds *iosbackup.Credentials) *acq.Acquisition {
	t.Helper()
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	a, err := detect.Open(dir, creds)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}
