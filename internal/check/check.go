// Package check is the whole `vigil check` job: open the acquisition, load indicators, run
// the modules, write the results folder. The CLI and `vigil demo` share it.
package check

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/modules/list"
	"github.com/vigil-project/vigil/internal/report"
	"github.com/vigil-project/vigil/internal/scan"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Exit statuses of `vigil check`.
const (
	ExitClean = 0 // no indicator matched
	ExitMatch = 1 // at least one indicator matched
	ExitFatal = 2 // usage or fatal error
)

// Options are the user's choices for one check.
type Options struct {
	Path      string
	Creds     *iosbackup.Credentials // unlock an encrypted backup; nil when none given
	IOCPaths  []string               // --iocs
	IOCEnv    string                 // value of VIGIL_IOCS
	NoDataDir bool                   // skip the user data folder of downloaded bundles (tests, demo)
	OutDir    string
	Force     bool
	Modules   []string // empty: every module for the kind
	Timeout   time.Duration
	Parallel  int
	Version   string
	Command   []string
	Stdout    io.Writer
	Log       *slog.Logger
	Progress  func(total int) func(name string, done bool, res *scan.ModuleResult)
	Now       func() time.Time
}

// Outcome is what a finished check returns to the CLI.
type Outcome struct {
	Exit   int
	OutDir string
	Result *scan.Result
}

// Run performs the check. Errors it returns are fatal (exit 2) and say what to do.
func Run(ctx context.Context, o Options) (*Outcome, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	started := now().UTC()
	a, err := detect.OpenWith(o.Path, detect.Options{Creds: o.Creds, Want: detect.WantPaths(list.FilesystemPaths())})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	set, err := loadIndicators(o)
	if err != nil {
		return nil, err
	}
	mods, err := list.Select(a.Kind, o.Modules)
	if err != nil {
		return nil, err
	}
	outDir := o.OutDir
	if outDir == "" {
		outDir = fmt.Sprintf("vigil-results-%s-%s", a.Kind, started.Format("20060102-150405"))
	}
	if outDir, err = filepath.Abs(outDir); err != nil {
		return nil, err
	}
	if err := report.PrepareFolder(outDir, o.Force); err != nil {
		return nil, err
	}
	spoolDir, err := os.MkdirTemp("", "vigil-timeline-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(spoolDir)
	// Half a million events in memory at most; the rest waits sorted on disk.
	spool := timeline.NewSpool(spoolDir, 500_000)
	defer spool.Close()
	opts := scan.Options{Modules: mods, IOCs: set, Sink: report.Folder{Dir: outDir}, Timeline: spool,
		Timeout: o.Timeout, Parallel: o.Parallel, Log: o.Log}
	if o.Progress != nil {
		opts.Progress = o.Progress(len(mods))
	}
	res, err := scan.Run(ctx, a, opts)
	if err != nil {
		return nil, err
	}
	run := report.Run{
		Tool: "vigil", Version: o.Version, Command: o.Command,
		Started: started, Ended: now().UTC(),
		Acquisition: report.RunAcquisition{Kind: a.Kind, Path: a.Path, Facts: a.Facts, Warnings: a.Warnings},
		Indicators:  set.Stats(), Modules: res.Modules, Totals: report.CountTotals(res),
		Caveat: report.Caveat,
	}
	if err := report.WriteResults(outDir, res, run); err != nil {
		return nil, fmt.Errorf("writing results: %w", err)
	}
	if o.Stdout != nil {
		report.WriteSummary(o.Stdout, report.SummaryInput{Result: res, Run: run,
			IndicatorsNum: set.Len(), OutDir: outDir})
	}
	out := &Outcome{Exit: ExitClean, OutDir: outDir, Result: res}
	if run.Totals.IndicatorMatches > 0 {
		out.Exit = ExitMatch
	}
	return out, nil
}

func loadIndicators(o Options) (*ioc.Set, error) {
	dataDir := ""
	if !o.NoDataDir {
		// No config folder means nothing was ever downloaded: not an error.
		dataDir, _ = ioc.DataDir()
	}
	files, err := ioc.DiscoverIn(o.IOCPaths, o.IOCEnv, dataDir)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	set, err := ioc.Load(files)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	return set, nil
}
