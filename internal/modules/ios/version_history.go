package ios

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var versionHistoryPlaces = places{
	acq.IOSFilesystem: {{"", "private/var/db/analyticsd/Analytics-Journal-*.ips"}},
}

// maxJournalHeader bounds the first line read from a journal; real ones are a few hundred
// bytes.
const maxJournalHeader = 1 << 20

// VersionHistory reads which iOS version each analytics journal began on: the phone's
// update history.
type VersionHistory struct {
	about
	places places
}

// NewVersionHistory returns the version_history module.
func NewVersionHistory() *VersionHistory {
	return &VersionHistory{about: about{
		name:      "ios/version_history",
		desc:      "iOS versions the phone ran and when (first line of analyticsd's journals)",
		kinds:     fsOnlyKinds,
		artifacts: versionHistoryPlaces.artifacts(),
	}, places: versionHistoryPlaces}
}

// IOSVersionRecord is the version an analytics journal was started on.
type IOSVersionRecord struct {
	Time      time.Time `json:"time,omitzero"`
	OSVersion string    `json:"os_version"` // "iPhone OS 17.4.1 (21E236)"
	File      string    `json:"file"`
}

// Events implements module.Record with MVT's event.
func (r IOSVersionRecord) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Time, Event: "ios_version", Description: "Recorded iOS version " + r.OSVersion}}
}

// Observables implements module.Record.
func (IOSVersionRecord) Observables() []ioc.Observable { return nil }

// Run implements module.Module. The journals are few; their records are emitted by time.
func (m *VersionHistory) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	var recs []IOSVersionRecord
	err = eachFile(ctx, files, emit, func(f acq.File) error {
		r, err := readJournalHeader(in, f)
		if err == nil {
			recs = append(recs, r)
		}
		return err
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(recs, func(a, b IOSVersionRecord) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.File, b.File))
	})
	for _, r := range recs {
		emit.Record(r)
	}
	return nil
}

// readJournalHeader decodes a journal's first line: JSON with the local time the journal
// began, with its UTC offset, and the OS version.
func readJournalHeader(in *module.Input, f acq.File) (IOSVersionRecord, error) {
	rc, err := in.Source().Open(f)
	if err != nil {
		return IOSVersionRecord{}, err
	}
	defer rc.Close()
	line, err := bufio.NewReader(io.LimitReader(rc, maxJournalHeader)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return IOSVersionRecord{}, err
	}
	var head struct {
		Timestamp string `json:"timestamp"`
		OSVersion string `json:"os_version"`
	}
	if err := json.Unmarshal([]byte(line), &head); err != nil {
		return IOSVersionRecord{}, fmt.Errorf("first line is not a journal header: %w", err)
	}
	if head.OSVersion == "" {
		return IOSVersionRecord{}, errors.New("journal header names no os_version")
	}
	r := IOSVersionRecord{OSVersion: head.OSVersion, File: f.Path}
	// Fractional seconds are optional in the layout when parsing.
	if t, err := time.Parse("2006-01-02 15:04:05 -0700", strings.TrimSpace(head.Timestamp)); err == nil {
		r.Time = t.UTC()
	}
	return r, nil
}
