package fsdump

import "github.com/vigil-project/vigil/internal/acq"

var _ acq.NameIndex = (*Dump)(nil)

// HasBaseName implements acq.NameIndex.
func (d *Dump) HasBaseName(name string) (bool, error) { return d.names.Has(d, name) }
