package ios

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var uuid2PathPlaces = places{
	acq.IOSSysdiag: {{"", "logs/tailspindb/UUIDToBinaryLocations"}},
}

// UUID2Path reads tailspin's map of binary UUIDs to the paths they were loaded from
// (UUIDToBinaryLocations): programs and libraries whose code ran while tailspin sampled,
// spyware included, wherever it was stored.
type UUID2Path struct {
	about
	places places
}

// NewUUID2Path returns the uuid2path module.
func NewUUID2Path() *UUID2Path {
	return &UUID2Path{about: about{
		name: "ios/uuid2path",
		desc: "Binaries tailspin saw running, by UUID and path (UUIDToBinaryLocations); flags " +
			"programs in temporary, system-database or user-data folders",
		kinds:     sysdiagOnly,
		artifacts: uuid2PathPlaces.artifacts(),
	}, places: uuid2PathPlaces}
}

// BinaryLocation is one binary of the map.
type BinaryLocation struct {
	File string `json:"file"`
	UUID string `json:"uuid"` // the Mach-O image's LC_UUID
	Path string `json:"path"`
	Name string `json:"name"` // the path's base name
}

// Events implements module.Record: the map holds no times.
func (BinaryLocation) Events() []timeline.Event { return nil }

// Observables implements module.Record: the binary's name against process indicators and
// its path against path indicators.
func (b BinaryLocation) Observables() []ioc.Observable { return pathObservables(b.Path) }

// Run implements module.Module.
func (m *UUID2Path) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	if files, err = dropEmpty(files); err != nil {
		return err
	}
	seen := newUnusualPaths()
	err = eachFile(ctx, files, emit, func(f acq.File) error {
		var doc map[string]any
		if err := readPlist(in, f, &doc); err != nil {
			return err
		}
		odd := 0
		for _, id := range slices.Sorted(maps.Keys(doc)) {
			p, ok := doc[id].(string)
			if !ok || p == "" {
				odd++
				continue
			}
			rec := BinaryLocation{File: f.Path, UUID: id, Path: p, Name: path.Base(p)}
			emit.Record(rec)
			if pl, ok := seen.check(p); ok {
				emit.Detection(module.Detection{
					Severity:  pl.Severity,
					Message:   execMessage(p, "ran", pl),
					Evidence:  p,
					Reference: execPathReference,
					Record:    rec,
				})
			}
		}
		if odd > 0 {
			emit.Problem(fmt.Errorf("%s: %d entries without a path skipped", f.Path, odd))
		}
		return nil
	})
	seen.finish(emit)
	return err
}
