package main

import (
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/vigil-project/vigil/internal/scan"
)

func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// newProgress shows a bar of finished modules on a terminal, and nothing otherwise, so that
// logs and CI output stay clean.
func newProgress(w io.Writer) func(total int) func(string, bool, *scan.ModuleResult) {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return func(total int) func(string, bool, *scan.ModuleResult) {
		p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
		var mu sync.Mutex
		running := ""
		bar := p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name("modules "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
				mu.Lock()
				defer mu.Unlock()
				return running
			})),
		)
		done := 0
		return func(name string, finished bool, _ *scan.ModuleResult) {
			mu.Lock()
			running = name
			mu.Unlock()
			if finished {
				bar.Increment()
				done++
				if done == total {
					mu.Lock()
					running = "done"
					mu.Unlock()
					p.Wait()
				}
			}
		}
	}
}

// newDeriveProgress shows the key derivation's progress on a terminal; elsewhere nil.
func newDeriveProgress(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	var p *mpb.Progress
	var bar *mpb.Bar
	return func(done, total int) {
		if bar == nil {
			p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
			bar = p.AddBar(int64(total), mpb.PrependDecorators(decor.Name("deriving the backup key ")),
				mpb.AppendDecorators(decor.Percentage()))
		}
		bar.SetCurrent(int64(done))
		if done >= total {
			p.Wait()
		}
	}
}
