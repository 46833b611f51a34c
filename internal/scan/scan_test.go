package scan

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

type rec struct {
	URL  string
	When time.Time
}

func (r rec) Events() []timeline.Event {
	return []timeline.Event{{Time: r.When, Event: "visit", Description: r.URL}}
}
func (r rec) Observables() []ioc.Observable {
	return []ioc.Observable{{Type: ioc.URL, Value: r.URL}, {Type: ioc.URL, Value: r.URL}}
}

type fake struct {
	name string
	run  func(ctx context.Context, emit module.Emitter) error
}

func (f fake) Name() string      { return f.name }
func (f fake) Kinds() []acq.Kind { return []acq.Kind{acq.IOSBackup} }
func (f fake) Run(ctx context.Context, _ *module.Input, emit module.Emitter) error {
	return f.run(ctx, emit)
}

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func emitting(name string, n int) fake {
	return fake{name, func(_ context.Context, emit module.Emitter) error {
		for i := range n {
			emit.Record(rec{URL: fmt.Sprintf("https://%s-%d.example/", name, i), When: t0.Add(time.Duration(n-i) * time.Second)})
		}
		emit.Detection(module.Detection{Severity: module.Medium, Message: name + " heuristic"})
		return nil
	}}
}

func testModules() []module.Module {
	return []module.Module{
		emitting("test/b", 5),
		emitting("test/a", 3),
		fake{"test/absent", func(context.Context, module.Emitter) error { return module.ErrNoData }},
		fake{"test/crash", func(context.Context, module.Emitter) error { panic("boom") }},
		fake{"test/broken", func(_ context.Context, emit module.Emitter) error {
			emit.Record(rec{URL: "https://partial.example/", When: t0})
			emit.Problem(errors.New("row 7 unreadable"))
			return nil
		}},
		fake{"test/fails", func(context.Context, module.Emitter) error { return errors.New("no such table: message") }},
		fake{"test/hangs", func(context.Context, module.Emitter) error { time.Sleep(2 * time.Second); return nil }},
		fake{"test/empty", func(context.Context, module.Emitter) error { return nil }},
	}
}

func TestStatuses(t *testing.T) {
	res, err := Run(context.Background(), &acq.Acquisition{}, Options{Modules: testModules(), Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{
		"test/a": StatusOK, "test/b": StatusOK, "test/absent": StatusNoData, "test/crash": StatusFailed,
		"test/broken": StatusPartial, "test/fails": StatusFailed, "test/hangs": StatusFailed, "test/empty": StatusOK,
	}
	for _, m := range res.Modules {
		if m.Status != want[m.Name] {
			t.Errorf("%s: status %s, want %s (errors %q)", m.Name, m.Status, want[m.Name], m.Errors)
		}
		if m.Status == StatusFailed && len(m.Errors) == 0 {
			t.Errorf("%s failed without a message", m.Name)
		}
	}
	events, err := timeline.Collect(res.Timeline)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 9 || len(res.Detections) != 2 {
		t.Errorf("events %d (want 9), detections %d (want 2)", len(events), len(res.Detections))
	}
	for i := 1; i < len(events); i++ {
		if timeline.Compare(events[i-1], events[i]) > 0 {
			t.Errorf("events not sorted at %d", i)
		}
	}
	if events[0].Module == "" {
		t.Error("event module not filled in")
	}
}

func TestDeterministicWhateverParallelism(t *testing.T) {
	type snapshot struct {
		Modules    []ModuleResult
		Detections []module.Detection
		Events     []timeline.Event
	}
	var prev *snapshot
	for _, p := range []int{1, 2, 8} {
		mods := testModules()[:2]
		res, err := Run(context.Background(), &acq.Acquisition{}, Options{Modules: mods, Parallel: p})
		if err != nil {
			t.Fatal(err)
		}
		for i := range res.Modules {
			res.Modules[i].Duration, res.Modules[i].DurationMS = 0, 0
		}
		events, err := timeline.Collect(res.Timeline)
		if err != nil {
			t.Fatal(err)
		}
		got := snapshot{res.Modules, res.Detections, events}
		if prev != nil {
			if d := cmp.Diff(*prev, got); d != "" {
				t.Errorf("parallel %d differs: %s", p, d)
			}
		}
		prev = &got
	}
}
