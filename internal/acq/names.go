package acq

// NameIndex is an optional capability of a Source: whether any entry other than a folder
// has a given base name. Heuristics that ask "does a file of that name exist anywhere?"
// (DataUsage's missing-binary check) would otherwise walk the whole acquisition once per
// question; a Source that offers this walks it once and answers from memory. Modules use
// it by type assertion on their Source and skip the heuristic when it is absent.
type NameIndex interface {
	// HasBaseName reports whether a file or symlink named name (the last path component,
	// compared exactly) exists anywhere in the acquisition. The first call may walk the
	// whole acquisition; an error from that walk is returned by every call.
	HasBaseName(name string) (bool, error)
}
