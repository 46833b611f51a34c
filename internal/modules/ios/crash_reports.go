package ios

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/ips"
	"github.com/vigil-project/vigil/internal/module"
)

// crashReportsDir holds a sysdiagnose's crash and diagnostic reports, at any depth.
const crashReportsDir = "crashes_and_spins/"

// CrashReports reads a sysdiagnose's crash and diagnostic reports (.ips): which
// programs crashed, when and from where, and the process lists of stackshots and
// memory-pressure reports. Exploits often crash the program they attack, and spyware
// that runs shows up in the process lists.
type CrashReports struct{ about }

// NewCrashReports returns the crash_reports module.
func NewCrashReports() *CrashReports {
	return &CrashReports{about: about{
		name: "ios/crash_reports",
		desc: "Crash, stackshot and memory-pressure reports (crashes_and_spins/**/*.ips); flags " +
			"crashes of programs in temporary, system-database or user-data folders",
		kinds:     []acq.Kind{acq.IOSSysdiag},
		artifacts: []string{string(acq.IOSSysdiag) + ": " + crashReportsDir + "**/*.ips"},
	}}
}

// isCrashReport picks the reports under crashReportsDir. Like SAF, it leaves out the
// Wi-Fi link-quality metrics and OTA update reports, which name no process worth checking.
func isCrashReport(f acq.File) bool {
	if f.IsDir() || !strings.HasPrefix(f.Path, crashReportsDir) {
		return false
	}
	base := path.Base(f.Path)
	i := strings.Index(base, ".ips")
	if i < 0 || i+4 != len(base) && base[i+4] != '.' { // "x.ips" or "x.ips.ca.synced"
		return false
	}
	return !strings.Contains(base, "WiFiLQMMetrics") && !strings.Contains(base, "OTAUpdate")
}

// Run implements module.Module.
func (m *CrashReports) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	var files []acq.File
	err := in.Source().Walk(func(f acq.File) error {
		if isCrashReport(f) {
			files = append(files, f)
		}
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("listing %s: %w", crashReportsDir, err)
	}
	if len(files) == 0 {
		return module.ErrNoData
	}
	slices.SortFunc(files, func(a, b acq.File) int { return strings.Compare(a.Path, b.Path) })
	seen := newUnusualPaths()
	err = eachFile(ctx, files, emit, func(f acq.File) error { return readCrashReport(in, f, seen, emit) })
	seen.finish(emit)
	return err
}

func readCrashReport(in *module.Input, f acq.File, seen *unusualPaths, emit module.Emitter) error {
	r, err := in.Source().Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	rep, err := ips.Parse(r)
	if err != nil && !errors.Is(err, ips.ErrNoHeader) {
		return err
	}
	if err != nil && rep.Crash.ProcName == "" && rep.Crash.ProcPath == "" && len(rep.Processes) == 0 {
		// Neither a header nor a legacy text body: not a report at all.
		return err
	}
	rec := newCrashReport(f.Path, rep, in.Acq.Facts.UTCOffset)
	emit.Record(rec)
	if rep.Body == ips.BodyUnknown {
		emit.Problem(fmt.Errorf("%s: body not readable: %s", f.Path, rec.BodyError))
	}
	checkCrashPaths(rec, seen, emit)
	return nil
}

// checkCrashPaths flags a crashed program, or a library it had loaded, that sits in an
// unusual folder: injected code shows up among the loaded images.
func checkCrashPaths(rec CrashReport, seen *unusualPaths, emit module.Emitter) {
	if pl, ok := seen.check(rec.ProcessPath); ok {
		emit.Detection(module.Detection{Severity: pl.Severity, Message: execMessage(rec.ProcessPath, "crashed", pl),
			Time: rec.Time, Evidence: rec.ProcessPath, Reference: execPathReference, Record: rec})
	}
	for _, img := range rec.ImagePaths {
		if img == rec.ProcessPath {
			continue
		}
		if pl, ok := seen.check(img); ok {
			emit.Detection(module.Detection{Severity: pl.Severity,
				Message: fmt.Sprintf("%s had loaded the library %s from %s: iOS installs no code there, "+
					"and spyware (Pegasus, Predator, QuaDream) has run from such folders",
					crashSubjectPhrase(rec.subject()), path.Base(img), pl.Where),
				Time: rec.Time, Evidence: img, Reference: execPathReference, Record: rec})
		}
	}
}

// crashSubjectPhrase names a report's subject, or says it has none.
func crashSubjectPhrase(s string) string {
	if s == "" {
		return "A program"
	}
	return "The program " + s
}
