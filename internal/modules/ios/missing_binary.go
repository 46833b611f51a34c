package ios

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// systemProgram is a program every iOS device has (/sbin/launchd).
const systemProgram = "launchd"

// truncatedNameLen is the length at which XNU cuts process names (MAXCOMLEN): a name of
// exactly this length may be the start of a longer one.
const truncatedNameLen = 16

// readDataUsageChecked reads one database of the DataUsage schema (DataUsage.sqlite or
// netusage.sqlite) like readDataUsage, then runs the missing-binary check on its
// processes. The check needs a Source that indexes base names (a filesystem dump); on any
// other it is skipped, so a module may call this for every kind.
func readDataUsageChecked(ctx context.Context, in *module.Input, db *module.DB, emit module.Emitter) error {
	c := &binaryCandidates{Emitter: emit, seen: map[string]bool{}}
	if err := readDataUsage(ctx, db, c); err != nil {
		return err
	}
	found, err := missingBinaryDetections(in.Source(), c.recs)
	if err != nil {
		// The records are out already; the check failing makes the module partial.
		emit.Problem(fmt.Errorf("missing-binary check: %w", err))
		return nil
	}
	for _, d := range found {
		emit.Detection(d)
	}
	return nil
}

// binaryCandidates passes everything on and keeps, once per base name, the process rows
// that name no app: their executable should be a file somewhere on the device.
type binaryCandidates struct {
	module.Emitter
	seen map[string]bool
	recs []DataUsageRecord
}

// Record implements module.Emitter.
func (c *binaryCandidates) Record(r module.Record) {
	c.Emitter.Record(r)
	d, ok := r.(DataUsageRecord)
	if !ok || !d.hasProcess() || d.BundleID != "" {
		return
	}
	if name := processBaseName(d.ProcessName); !c.seen[name] {
		c.seen[name] = true
		c.recs = append(c.recs, d)
	}
}

// processBaseName is the executable name of a ZPROCNAME: the text after its last '/'
// ("<UUID>/com.apple.facetime" gives "com.apple.facetime").
func processBaseName(n string) string { return n[strings.LastIndexByte(n, '/')+1:] }

// missingBinaryDetections looks, for each process row without a bundle id, for a file of
// the process's name anywhere in the acquisition, as MVT does on filesystem dumps. Spyware
// deletes its executable after running, while the network-usage row stays; a row whose
// program is nowhere on the device deserves a look. It returns nothing when src cannot
// answer by name (a backup holds only part of the filesystem, so absence means nothing),
// and when the dump lacks the system partition: a dump of /private alone (a common
// jailbreak tar) holds no daemon's program, and every one would look deleted. That is
// judged by launchd, which every device has, or by any of the programs being found.
func missingBinaryDetections(src acq.Source, recs []DataUsageRecord) ([]module.Detection, error) {
	idx, ok := src.(acq.NameIndex)
	if !ok {
		return nil, nil
	}
	var out []module.Detection
	anyFound := false
	for _, r := range recs {
		name := processBaseName(r.ProcessName)
		if name != "" {
			found, err := idx.HasBaseName(name)
			if err != nil {
				return nil, err
			}
			if found {
				anyFound = true
				continue
			}
		}
		out = append(out, missingBinaryDetection(r, name))
	}
	if !anyFound && len(out) > 0 {
		if system, err := idx.HasBaseName(systemProgram); err != nil || !system {
			return nil, err
		}
	}
	return out, nil
}

func missingBinaryDetection(r DataUsageRecord, name string) module.Detection {
	msg := fmt.Sprintf("No file named %q exists anywhere in the filesystem dump, yet a process of "+
		"that name used the network: its program may have been deleted after it ran", name)
	switch {
	case name == "":
		msg = fmt.Sprintf("A process with no name used the network (process record %d)", r.ProcessID)
	case len(name) == truncatedNameLen:
		msg += " (its name is 16 characters long, where iOS cuts longer names: the file may " +
			"exist under its full name)"
	}
	t := r.LiveUsage
	if t.IsZero() {
		t = r.FirstUsage
	}
	return module.Detection{
		Severity:  module.Medium,
		Message:   msg,
		Time:      t,
		Evidence:  fmt.Sprintf("ZPROCNAME = %q (process record %d)", r.ProcessName, r.ProcessID),
		Reference: "MVT (missing-binary check of DataUsage/netusage on filesystem dumps)",
		Record:    r,
	}
}
