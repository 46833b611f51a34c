package ios

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

const smsAttachments = "Library/SMS/Attachments"

// triangulationFileMarks turns the M/C/B times of attachment folders and the watched
// system files into marks. Attachment entries deeper than Attachments/xx/yy are files of
// real attachments: they get their own class, which voids a window (triangle_check's
// guard against ordinary message traffic).
func triangulationFileMarks(_ context.Context, in *module.Input, _ module.Emitter) ([]TriangulationMark, error) {
	var marks []TriangulationMark
	for _, pattern := range []string{"/*", "/*/*", "/*/*/*"} {
		files, err := in.Source().Find("MediaDomain", smsAttachments+pattern)
		if err != nil {
			return nil, err
		}
		class := "sms"
		if pattern == "/*/*/*" {
			class = "sms-deep"
		}
		for _, f := range files {
			marks = append(marks, fileMarks(f, class)...)
		}
	}
	for _, l := range triangulationFiles {
		files, err := in.Source().Find(l.domain, l.path)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			marks = append(marks, fileMarks(f, "file")...)
		}
	}
	if len(marks) == 0 {
		return nil, module.ErrNoData
	}
	return marks, nil
}

func fileMarks(f acq.File, class string) []TriangulationMark {
	var out []TriangulationMark
	for _, t := range []struct {
		label string
		at    time.Time
	}{{"M", f.Modified}, {"C", f.Changed}, {"B", f.Birth}} {
		if !t.at.IsZero() {
			out = append(out, TriangulationMark{Time: t.at, Class: class, What: f.Domain + "/" + f.Path, Label: t.label})
		}
	}
	return out
}

// triangulationNetMarks reads DataUsage and the daily analytics: BackupAgent is
// Triangulation's own process and is reported at once; the processes the exploit chain
// drives give "net" marks.
func triangulationNetMarks(ctx context.Context, in *module.Input, emit module.Emitter) ([]TriangulationMark, error) {
	var marks []TriangulationMark
	noData := 0
	backupAgent := func(where string, at time.Time) {
		emit.Detection(module.Detection{Severity: module.High, Time: at, Evidence: "BackupAgent",
			Reference: triangulationReference,
			Message: fmt.Sprintf("A process named BackupAgent used the network (%s): Operation Triangulation's implant ran under that name, "+
				"which no current iOS process has", where)})
	}
	recs, err := sub(ctx, NewDataUsage(), in)
	switch {
	case err == module.ErrNoData:
		noData++
	case err != nil:
		return nil, fmt.Errorf("triangulation: DataUsage: %w", err)
	}
	for _, r := range recs {
		d, ok := r.(DataUsageRecord)
		if !ok {
			continue
		}
		at := d.LiveUsage
		if at.IsZero() {
			at = d.FirstUsage
		}
		switch name := path.Base(d.ProcessName); {
		case name == "BackupAgent":
			backupAgent("DataUsage", at)
		case triangulationNet[d.ProcessName] || triangulationNet[name]:
			marks = append(marks, TriangulationMark{Time: at, Class: "net", What: d.ProcessName})
		}
	}
	recs, err = sub(ctx, NewOSAnalyticsADDaily(), in)
	switch {
	case err == module.ErrNoData:
		noData++
	case err != nil:
		return nil, fmt.Errorf("triangulation: addaily: %w", err)
	}
	for _, r := range recs {
		a, ok := r.(ADDailyRecord)
		switch {
		case !ok:
		case a.Process == "BackupAgent":
			backupAgent("daily analytics", a.Date)
		case triangulationNet[a.Process]:
			marks = append(marks, TriangulationMark{Time: a.Date, Class: "net", What: a.Process})
		}
	}
	if noData == 2 {
		return nil, module.ErrNoData
	}
	return marks, nil
}

// triangulationLocationMarks reads when two location clients last stopped.
func triangulationLocationMarks(ctx context.Context, in *module.Input, _ module.Emitter) ([]TriangulationMark, error) {
	recs, err := sub(ctx, NewLocationdClients(), in)
	if err != nil {
		return nil, err
	}
	var marks []TriangulationMark
	for _, r := range recs {
		c, ok := r.(LocationdClient)
		if !ok || !hasAnySuffix(c.Client, triangulationLocation) {
			continue
		}
		for _, t := range c.Times {
			if t.Key == "LocationTimeStopped" {
				marks = append(marks, TriangulationMark{Time: t.Time, Class: "location", What: c.Client})
			}
		}
	}
	return marks, nil
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, suf := range suffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}
