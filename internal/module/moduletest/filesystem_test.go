package moduletest

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

type pathRec struct{ Path string }

func (pathRec) Events() []timeline.Event { return nil }
func (r pathRec) Observables() []ioc.Observable {
	return []ioc.Observable{{Type: ioc.FilePath, Value: r.Path}}
}

// layoutBound reads both kinds but only knows the backup location of its file, or leaks
// the layout's path into an observable, as a half-converted module would.
type layoutBound struct{ leakPath bool }

func (layoutBound) Name() string      { return "test/layout_bound" }
func (layoutBound) Kinds() []acq.Kind { return []acq.Kind{acq.IOSBackup, acq.IOSFilesystem} }
func (m layoutBound) Run(_ context.Context, in *module.Input, emit module.Emitter) error {
	pattern := "Library/x.txt"
	if m.leakPath && in.Acq.Kind == acq.IOSFilesystem {
		pattern = "private/var/mobile/Library/x.txt"
	}
	files, err := in.Source().Find("", pattern)
	if err != nil || len(files) == 0 {
		return module.ErrNoData
	}
	emit.Record(pathRec{Path: files[0].Path})
	return nil
}

// sameBoth finds its file in both layouts and emits nothing layout-specific.
type sameBoth struct{ layoutBound }

func (sameBoth) Run(_ context.Context, in *module.Input, emit module.Emitter) error {
	pattern := map[acq.Kind]string{acq.IOSBackup: "Library/x.txt", acq.IOSFilesystem: "private/var/mobile/Library/x.txt"}[in.Acq.Kind]
	files, _ := in.Source().Find("", pattern)
	if len(files) == 0 {
		return module.ErrNoData
	}
	emit.Record(pathRec{Path: "/private/var/mobile/Library/x.txt"})
	emit.Detection(module.Detection{Severity: module.Low, Evidence: "x"})
	return nil
}

func TestFilesystemTwinCatchesDifferences(t *testing.T) {
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/x.txt", []byte("x"))
	a := OpenBackup(t, b)
	for name, m := range map[string]module.Module{
		"backup location only": layoutBound{},
		"path in observable":   layoutBound{leakPath: true},
	} {
		rt := &recordingTB{TB: t}
		Run(rt, m, a)
		if len(rt.errors) == 0 {
			t.Errorf("%s: a module that behaves differently on the filesystem twin went unnoticed", name)
		}
		rt = &recordingTB{TB: t}
		RunBackup(rt, m, a)
		if len(rt.errors) != 0 {
			t.Errorf("%s: RunBackup compared the filesystem twin: %v", name, rt.errors)
		}
	}
	rt := &recordingTB{TB: t}
	if res := Run(rt, sameBoth{}, a); len(rt.errors) != 0 || len(res.Detections) != 1 {
		t.Errorf("a module that reads both layouts alike failed the comparison: %v", rt.errors)
	}
}

func TestOpenFilesystem(t *testing.T) {
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/x.txt", []byte("x"))
	a := OpenFilesystem(t, b)
	if found, _ := a.Source.Find("", "private/var/mobile/Library/x.txt"); len(found) != 1 {
		t.Errorf("found %+v", found)
	}
}

// dumpOnly finds one more thing on a dump, as a check that needs the whole device would.
type dumpOnly struct{ sameBoth }

func (m dumpOnly) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	if in.Acq.Kind == acq.IOSFilesystem {
		emit.Detection(module.Detection{Severity: module.Medium, Evidence: "dump only"})
	}
	return m.sameBoth.Run(ctx, in, emit)
}

func TestFilesystemExtras(t *testing.T) {
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/x.txt", []byte("x"))
	a := OpenBackup(t, b)
	rt := &recordingTB{TB: t}
	Run(rt, dumpOnly{}, a)
	if len(rt.errors) == 0 {
		t.Error("a detection found only on the dump went unnoticed")
	}
	rt = &recordingTB{TB: t}
	RunWithFilesystemExtras(rt, dumpOnly{}, a, func(d module.Detection) bool { return d.Evidence == "dump only" })
	if len(rt.errors) != 0 {
		t.Errorf("a declared dump-only detection failed the comparison: %v", rt.errors)
	}
}
