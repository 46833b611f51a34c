package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Options configure a scan.
type Options struct {
	Modules  []module.Module
	IOCs     *ioc.Set        // nil: only heuristics run
	Sink     Sink            // where records go; nil keeps them nowhere
	Timeline *timeline.Spool // where events go; nil keeps them in memory
	Timeout  time.Duration   // per module; 0 means 30 minutes
	Parallel int             // modules at once; 0 means GOMAXPROCS
	Log      *slog.Logger
	// Progress, when set, is told when each module starts and ends.
	Progress func(name string, done bool, res *ModuleResult)
}

// Result is a finished scan. Detections are sorted and the timeline gives its events in
// order, so output is identical whatever order modules ran in.
type Result struct {
	Modules    []ModuleResult
	Detections []module.Detection
	Timeline   *timeline.Spool
}

// Run runs every module of opts on a. It returns an error only when the scan itself cannot
// run (no temp area, cancelled); module failures are reported in the result.
func Run(ctx context.Context, a *acq.Acquisition, opts Options) (*Result, error) {
	temp, err := module.NewTempArea()
	if err != nil {
		return nil, err
	}
	defer temp.Remove()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	parallel := cmp.Or(opts.Parallel, runtime.GOMAXPROCS(0))
	if opts.Timeline == nil {
		opts.Timeline = timeline.NewSpool("", 1)
	}
	emitters := make([]*emitter, len(opts.Modules))
	results := make([]ModuleResult, len(opts.Modules))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, m := range opts.Modules {
		results[i] = ModuleResult{Name: m.Name()}
		emitters[i] = &emitter{name: m.Name(), sink: opts.Sink, iocs: opts.IOCs, res: &results[i], timeline: opts.Timeline}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			in := &module.Input{Acq: a, Temp: temp, Log: opts.Log.With("module", m.Name())}
			runOne(ctx, m, in, emitters[i], opts)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("scan interrupted: %w", err)
	}
	return collect(emitters, results, opts.Timeline), nil
}

// runOne runs a module with a recover and a deadline, and settles its status.
func runOne(ctx context.Context, m module.Module, in *module.Input, e *emitter, opts Options) {
	if opts.Progress != nil {
		opts.Progress(m.Name(), false, nil)
	}
	timeout := cmp.Or(opts.Timeout, 30*time.Minute)
	mctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				in.Log.Error("module crashed", "panic", p, "stack", string(debug.Stack()))
				done <- fmt.Errorf("crashed: %v", p)
			}
		}()
		done <- m.Run(mctx, in, e)
	}()
	var err error
	select {
	case err = <-done:
	case <-mctx.Done():
		err = fmt.Errorf("stopped after %s: %w", timeout, mctx.Err())
	}
	e.close()
	e.mu.Lock()
	settle(e.res, err, e.problems)
	e.res.Duration = time.Since(start)
	e.res.DurationMS = e.res.Duration.Milliseconds()
	e.res.Events = e.events
	e.res.Detections = len(e.detections)
	e.mu.Unlock()
	if opts.Progress != nil {
		opts.Progress(m.Name(), true, e.res)
	}
}

func settle(res *ModuleResult, err error, problems []string) {
	res.Errors = append(res.Errors, problems...)
	switch {
	case errors.Is(err, module.ErrNoData) && res.Records == 0 && len(problems) == 0:
		res.Status = StatusNoData
	case err != nil && !errors.Is(err, module.ErrNoData):
		res.Errors = append(res.Errors, err.Error())
		res.Status = StatusFailed
		if res.Records > 0 {
			res.Status = StatusPartial
		}
	case len(problems) > 0:
		res.Status = StatusPartial
	default:
		res.Status = StatusOK
	}
}

func collect(emitters []*emitter, results []ModuleResult, tl *timeline.Spool) *Result {
	r := &Result{Modules: results, Timeline: tl}
	for _, e := range emitters {
		r.Detections = append(r.Detections, e.detections...)
	}
	slices.SortStableFunc(r.Detections, CompareDetections)
	slices.SortFunc(r.Modules, func(a, b ModuleResult) int { return cmp.Compare(a.Name, b.Name) })
	return r
}

// CompareDetections orders detections most severe first, then by module, time and message.
func CompareDetections(a, b module.Detection) int {
	return cmp.Or(
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Module, b.Module),
		a.Time.Compare(b.Time),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Evidence, b.Evidence),
	)
}
