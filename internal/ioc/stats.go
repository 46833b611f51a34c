package ioc

import (
	"maps"
	"slices"
)

// Stats describes what a Set was built from, for the run's provenance (run.json). Maps
// marshal with sorted keys and lists keep load order, so the JSON is deterministic.
type Stats struct {
	Files          []FileStats     `json:"files"`
	DuplicateFiles []DuplicateFile `json:"duplicate_files"`
	Unsupported    []Unsupported   `json:"unsupported"`
	TotalsByKey    map[string]int  `json:"totals_by_key"`
	Indicators     int             `json:"indicators"`  // indexed values over all files
	Collections    int             `json:"collections"` // over all files; same names are not merged
}

// FileStats describes one loaded bundle file.
type FileStats struct {
	Path             string         `json:"path"`
	Name             string         `json:"name"`
	SHA256           string         `json:"sha256"`
	IndicatorObjects int            `json:"indicator_objects"` // STIX indicator objects in the file
	Indicators       int            `json:"indicators"`        // values indexed (an OR pattern gives several)
	ByKey            map[string]int `json:"by_key"`            // normalised key → values indexed
	ByCollection     map[string]int `json:"by_collection"`     // collection name → values indexed
	Unsupported      int            `json:"unsupported"`       // entries of Stats.Unsupported from this file
	DuplicateValues  int            `json:"duplicate_values"`  // repeats within one collection, dropped
	Revoked          int            `json:"revoked"`           // values from revoked indicators
	RevokedSkipped   int            `json:"revoked_skipped"`   // of those, left out (Options.SkipRevoked)
	Notes            []Note         `json:"notes,omitempty"`
}

// DuplicateFile is a file given again (by another path or the same) whose content was
// already loaded; it adds nothing to the Set.
type DuplicateFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	SameAs string `json:"same_as"` // path of the copy that was loaded
}

// Stats returns the provenance of the Set. The result is a copy; changing it does not
// change the Set.
func (s *Set) Stats() Stats {
	st := Stats{
		Files:          make([]FileStats, len(s.files)),
		DuplicateFiles: slices.Clone(s.duplicates),
		Unsupported:    slices.Clone(s.unsupported),
		TotalsByKey:    map[string]int{},
		Indicators:     len(s.entries),
		Collections:    len(s.collections),
	}
	// Empty lists marshal as [] rather than null: readers of run.json need not special-case.
	if st.DuplicateFiles == nil {
		st.DuplicateFiles = []DuplicateFile{}
	}
	if st.Unsupported == nil {
		st.Unsupported = []Unsupported{}
	}
	for i, f := range s.files {
		f.ByKey = maps.Clone(f.ByKey)
		f.ByCollection = maps.Clone(f.ByCollection)
		f.Notes = slices.Clone(f.Notes)
		st.Files[i] = f
		for k, n := range f.ByKey {
			st.TotalsByKey[k] += n
		}
	}
	return st
}
