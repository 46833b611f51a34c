// Package moduletest runs one module on a fixture acquisition and collects what it emits.
package moduletest

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/detect"
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

// Run runs m on a with a private temp area that is removed afterwards.
func Run(t testing.TB, m module.Module, a *acq.Acquisition) Result {
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

// OpenBackup writes b into a test folder and opens it as an acquisition.
func OpenBackup(t testing.TB, b *fixture.Backup) *acq.Acquisition {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "backup")
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	a, err := detect.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}
