package moduletest

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

type rec struct{ Local bool }

func (rec) Events() []timeline.Event      { return nil }
func (rec) Observables() []ioc.Observable { return nil }

// leaky behaves differently on an encrypted backup, as a module that read files from their
// plain local path would.
type leaky struct{}

func (leaky) Name() string      { return "test/leaky" }
func (leaky) Kinds() []acq.Kind { return []acq.Kind{acq.IOSBackup} }
func (leaky) Run(_ context.Context, in *module.Input, emit module.Emitter) error {
	files, _ := in.Source().Find("HomeDomain", "Library/x.txt")
	_, ok := in.Source().LocalPath(files[0])
	emit.Record(rec{Local: ok})
	return nil
}

type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestEncryptedTwinCatchesDifferences(t *testing.T) {
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/x.txt", []byte("x"))
	a := OpenBackup(t, b)
	rt := &recordingTB{TB: t}
	Run(rt, leaky{}, a)
	if len(rt.errors) == 0 {
		t.Error("a module that behaves differently on the encrypted twin went unnoticed")
	}
}
