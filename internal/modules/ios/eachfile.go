package ios

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// eachFile runs read on every file, in order, for modules that find one artifact per app or
// profile. A file that cannot be read is reported as a problem and the others are still read;
// only when every file failed does eachFile return an error, so that the module is marked
// failed rather than partial.
func eachFile(ctx context.Context, files []acq.File, emit module.Emitter, read func(acq.File) error) error {
	var errs []error
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := read(f); err != nil {
			err = fmt.Errorf("%s: %w", fileMention(f), err)
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			errs = append(errs, err)
		}
	}
	if len(errs) == len(files) {
		return errors.Join(errs...)
	}
	for _, err := range errs {
		emit.Problem(err)
	}
	return nil
}

// fileMention names a file in problems: "Domain path" in a backup, the device path in a dump.
func fileMention(f acq.File) string {
	if f.Domain == "" {
		return f.Path
	}
	return f.Domain + " " + f.Path
}

// eachDatabase is eachFile for SQLite databases: it opens each one without touching the
// evidence (module.OpenSQLite), lets ctx interrupt its queries, and closes it afterwards.
func eachDatabase(ctx context.Context, in *module.Input, files []acq.File, emit module.Emitter,
	read func(*module.DB, acq.File) error) error {
	return eachFile(ctx, files, emit, func(f acq.File) error {
		db, err := module.OpenSQLite(in, f)
		if err != nil {
			return err
		}
		defer db.Close()
		db.SetInterrupt(ctx)
		return read(db, f)
	})
}
