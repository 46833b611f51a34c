// Package module is the contract between the scanner and the modules that extract artifacts.
package module

import (
	"context"
	"errors"
	"log/slog"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Module extracts one kind of artifact. It reads through Input, emits what it finds, and never
// opens output files, matches indicators or touches the network.
type Module interface {
	Name() string      // "ios/safari_history": stable; names the output file and --module
	Kinds() []acq.Kind // the acquisitions it reads
	Run(ctx context.Context, in *Input, emit Emitter) error
}

// Describer is implemented by modules that can say what they read, for `vigil modules`.
type Describer interface {
	Description() string
	Artifacts() []string
}

// ErrNoData reports that the artifact a module reads is absent from the acquisition.
var ErrNoData = errors.New("artifact not present in the acquisition")

// Record is one extracted item. It is written as JSON to the module's output file.
type Record interface {
	Events() []timeline.Event
	Observables() []ioc.Observable
}

// Emitter receives a module's output as it is produced.
type Emitter interface {
	Record(r Record)
	Detection(d Detection)
	// Problem notes a part of the artifact that could not be read; the run goes on and the
	// module's status becomes partial.
	Problem(err error)
}

// Input is what a module may read.
type Input struct {
	Acq  *acq.Acquisition
	Temp *TempArea // private scratch space for SQLite copies and decrypted files
	Log  *slog.Logger
}

// Source is shorthand for in.Acq.Source.
func (in *Input) Source() acq.Source { return in.Acq.Source }
