package ios

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// triangulationReference documents the method: Kaspersky's triangle_check, published with
// the Operation Triangulation research (June 2023).
const triangulationReference = "Kaspersky, Operation Triangulation: triangle_check (June 2023)"

// Triangulation looks for Operation Triangulation's traces in a backup: the BackupAgent
// process, and short windows where iMessage attachment folders change together with
// unrelated system files, network use by the processes the exploit chain drives, or
// location services stopping.
type Triangulation struct{ about }

// NewTriangulation returns the triangulation module.
func NewTriangulation() *Triangulation {
	return &Triangulation{about{
		name:  "ios/triangulation",
		desc:  "Operation Triangulation heuristics (triangle_check): BackupAgent, and bursts of attachment, file, network and location events",
		kinds: backupOnly,
		artifacts: []string{
			"ios-backup: MediaDomain/Library/SMS/Attachments (file times)",
			"ios-backup: " + triangulationFiles[0].String(), "ios-backup: " + triangulationFiles[1].String(),
			"ios-backup: " + triangulationFiles[2].String(),
			"ios-backup: DataUsage.sqlite, com.apple.osanalytics.addaily.plist, locationd clients.plist (as their modules read them)",
		},
	}}
}

// triangulationFiles are the system files whose changes accompany the exploitation.
var triangulationFiles = []location{
	{"RootDomain", "Library/Preferences/com.apple.ImageIO.plist"},
	{"HomeDomain", "Library/Preferences/com.apple.locationd.StatusBarIconManager.plist"},
	{"HomeDomain", "Library/Preferences/com.apple.imservice.ids.FaceTime.plist"},
}

// triangulationNet are processes whose traffic triangle_check counts as a "net" event.
var triangulationNet = map[string]bool{
	"nehelper": true, "com.apple.WebKit.WebContent": true,
	"powerd/com.apple.datausage.diagnostics": true, "lockdownd/com.apple.datausage.security": true,
}

// triangulationLocation are locationd clients whose stop time is a "location" event.
var triangulationLocation = []string{"IonosphereHarvest.bundle", "WRMLinkSelection.bundle"}

// TriangulationWindow is one burst of events that triangle_check finds suspicious.
type TriangulationWindow struct {
	Start   time.Time           `json:"start"`
	End     time.Time           `json:"end"`
	Classes []string            `json:"classes"`
	Marks   []TriangulationMark `json:"events"`
}

// TriangulationMark is one event inside a window.
type TriangulationMark struct {
	Time  time.Time `json:"time"`
	Class string    `json:"class"` // sms, file, net, location
	What  string    `json:"what"`
	Label string    `json:"label,omitempty"` // M, C or B for file times
}

// Events implements module.Record.
func (w TriangulationWindow) Events() []timeline.Event {
	return []timeline.Event{{Time: w.Start, Event: "triangulation_window",
		Description: fmt.Sprintf("%d events of kinds %s within %s", len(w.Marks), strings.Join(w.Classes, ", "), w.End.Sub(w.Start))}}
}

// Observables implements module.Record.
func (TriangulationWindow) Observables() []ioc.Observable { return nil }

// Run implements module.Module.
func (m *Triangulation) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	var marks []TriangulationMark
	found := false
	for _, gather := range []func(context.Context, *module.Input, module.Emitter) ([]TriangulationMark, error){
		triangulationFileMarks, triangulationNetMarks, triangulationLocationMarks,
	} {
		ms, err := gather(ctx, in, emit)
		if errors.Is(err, module.ErrNoData) {
			continue
		}
		if err != nil {
			emit.Problem(err)
			continue
		}
		found = true
		marks = append(marks, ms...)
	}
	if !found {
		return module.ErrNoData
	}
	slices.SortStableFunc(marks, func(a, b TriangulationMark) int { return a.Time.Compare(b.Time) })
	for _, w := range triangulationWindows(marks) {
		emit.Record(w)
		emit.Detection(module.Detection{Severity: module.Medium, Time: w.Start, Record: w,
			Evidence: strings.Join(w.Classes, "+"), Reference: triangulationReference,
			Message: fmt.Sprintf("Within %s, iMessage attachment folders, system files, network use or location services "+
				"changed together (%s): the pattern Operation Triangulation's zero-click exploit left on infected iPhones",
				w.End.Sub(w.Start).Round(time.Second), strings.Join(w.Classes, ", "))})
	}
	return nil
}

// sub runs a sibling module and keeps its records: the triangulation check reads the same
// artifacts, and reading them through their own module keeps one parser for each.
func sub(ctx context.Context, m module.Module, in *module.Input) ([]module.Record, error) {
	var c recordsOnly
	err := m.Run(ctx, in, &c)
	return c.records, err
}

type recordsOnly struct{ records []module.Record }

func (c *recordsOnly) Record(r module.Record)   { c.records = append(c.records, r) }
func (*recordsOnly) Detection(module.Detection) {}
func (*recordsOnly) Problem(error)              {}
