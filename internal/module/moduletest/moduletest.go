// Package moduletest runs one module on a fixture acquisition and collects what it emits.
package moduletest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
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
// test thereby proves that decrypt-on-read changes nothing.
func Run(t testing.TB, m module.Module, a *acq.Acquisition) Result {
	t.Helper()
	res := run(t, m, a)
	twinsMu.Lock()
	twin := twins[a]
	twinsMu.Unlock()
	if twin != nil {
		compareRuns(t, res, run(t, m, twin))
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

var (
	twinsMu sync.Mutex
	twins   = map[*acq.Acquisition]*acq.Acquisition{}
)

// twinPassword encrypts the twins; one PBKDF2 round keeps tests fast.
const twinPassword = "moduletest"

// OpenBackup writes b into a test folder and opens it as an acquisition. It also writes
// and opens an encrypted copy of b, which Run checks the module against.
func OpenBackup(t testing.TB, b *fixture.Backup) *acq.Acquisition {
	t.Helper()
	dir := t.TempDir()
	a := open(t, b.Write, filepath.Join(dir, "backup"), nil)
	enc := open(t, func(p string) error {
		return b.WriteEncrypted(p, fixture.EncryptOptions{Password: twinPassword})
	}, filepath.Join(dir, "encrypted"), &iosbackup.Credentials{Password: []byte(twinPassword)})
	enc.Facts.Encrypted = a.Facts.Encrypted // the one fact that is meant to differ
	twinsMu.Lock()
	twins[a] = enc
	twinsMu.Unlock()
	t.Cleanup(func() {
		twinsMu.Lock()
		delete(twins, a)
		twinsMu.Unlock()
	})
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
