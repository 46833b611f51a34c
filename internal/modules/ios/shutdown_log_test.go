package ios

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

const (
	sdUUID     = "2C9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C"
	sdPegasus  = "/private/var/db/com.apple.xpc.roleaccountd.staging/com.apple.WebKit.Networking"
	sdPredator = "/var/tmp/UserEventAgent" // the /var spelling must be caught too
	sdOddDB    = "/private/var/db/helperd"
	sdDecoy    = "/usr/libexec/nfcd"
)

var (
	sdT1 = fixture.Epoch.Add(-30 * 24 * time.Hour)
	sdT2 = fixture.Epoch.Add(-2 * 24 * time.Hour)
	sdT3 = fixture.Epoch.Add(-time.Hour)
)

// sdReboots: a slow reboot with Pegasus's staging path and a decoy system daemon, a quick
// one, and one where Predator's and an odd /private/var/db path ran.
var sdReboots = []fixture.ShutdownReboot{
	{Time: sdT1, Waits: []fixture.ShutdownWait{
		{After: 0.35, Clients: []fixture.ShutdownClient{{PID: 1234, Path: sdDecoy + "/" + sdUUID}, {PID: 87, Path: sdPegasus}}},
		{After: 1.02, Clients: []fixture.ShutdownClient{{PID: 87, Path: sdPegasus}}},
		{After: 3.5, Clients: []fixture.ShutdownClient{{PID: 87, Path: sdPegasus}}},
	}},
	{Time: sdT2},
	{Time: sdT3, Waits: []fixture.ShutdownWait{
		{After: 0.5, Clients: []fixture.ShutdownClient{{PID: 90, Path: sdPegasus}, {PID: 91, Path: sdPredator + "/" + sdUUID}, {PID: 92, Path: sdOddDB}}},
	}},
}

func runShutdownLog(t *testing.T, build func(*fixture.Backup), version string) moduletest.Result {
	t.Helper()
	b := fixture.NewBackup()
	build(b)
	a := moduletest.OpenFilesystem(t, b)
	a.Facts.ProductVersion = version
	return moduletest.Run(t, NewShutdownLog(), a)
}

func TestShutdownLog(t *testing.T) {
	res := runShutdownLog(t, func(b *fixture.Backup) { fixture.ShutdownLog(b, fixture.ShutdownLogPath, sdReboots) }, "17.4")
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	var got []string
	for _, d := range res.Detections {
		if d.Reference == "" || d.Record == nil || d.Time.IsZero() {
			t.Errorf("detection %+v", d)
		}
		got = append(got, fmt.Sprintf("%v %s %s", d.Severity, d.Time.Format(time.DateOnly), d.Evidence))
	}
	want := []string{
		"low " + sdT1.Format(time.DateOnly) + " " + fixture.ShutdownLogPath + " line 8: 3 delays",
		"high " + sdT1.Format(time.DateOnly) + " " + sdPegasus,
		"high " + sdT3.Format(time.DateOnly) + " " + sdPredator + "/" + sdUUID,
		"medium " + sdT3.Format(time.DateOnly) + " " + sdOddDB,
	}
	if !slices.Equal(got, want) {
		t.Errorf("detections = %q\nwant %q", got, want)
	}
	if rec := res.Detections[1].Record.(ShutdownClient); rec.PID != 87 || rec.Listed != 3 || rec.StillThereAfter != 3.5 {
		t.Errorf("pegasus record = %+v", rec)
	}
	for _, o := range []ioc.Observable{
		{Type: ioc.ProcessPath, Value: sdDecoy + "/" + sdUUID},
		{Type: ioc.Process, Value: sdDecoy},
		{Type: ioc.FilePath, Value: sdDecoy},
		{Type: ioc.FilePath, Value: sdDecoy + "/" + sdUUID},
		{Type: ioc.FilePath, Value: sdPegasus},
	} {
		if !slices.Contains(res.Observables(), o) {
			t.Errorf("missing observable %v", o)
		}
	}
	var events []string
	for _, e := range res.Events() {
		events = append(events, e.Time.Format(time.DateOnly)+" "+e.Event)
	}
	d1, d3 := sdT1.Format(time.DateOnly), sdT3.Format(time.DateOnly)
	wantEvents := []string{d1 + " reboot", d1 + " shutdown", d1 + " shutdown", sdT2.Format(time.DateOnly) + " reboot",
		d3 + " reboot", d3 + " shutdown", d3 + " shutdown", d3 + " shutdown"}
	if !slices.Equal(events, wantEvents) {
		t.Errorf("events = %q\nwant %q", events, wantEvents)
	}
	sum := res.Records[len(res.Records)-1].(ShutdownLogFile)
	if sum.Reboots != 3 || !sum.First.Equal(sdT1) || !sum.Last.Equal(sdT3) {
		t.Errorf("summary = %+v", sum)
	}
}

func TestShutdownLogVariants(t *testing.T) {
	quiet := []fixture.ShutdownReboot{{Time: sdT2, Waits: []fixture.ShutdownWait{{After: 0.2, Clients: []fixture.ShutdownClient{{PID: 5, Path: sdDecoy}}}}}}
	tests := []struct {
		name    string
		build   func(*fixture.Backup)
		version string
		want    []string // severity and evidence of each detection
		wantErr error
	}{
		{"clean log", func(b *fixture.Backup) { fixture.ShutdownLog(b, fixture.ShutdownLogPath, quiet) }, "17.4", nil, nil},
		{"rotated log only", func(b *fixture.Backup) {
			fixture.ShutdownLog(b, fixture.ShutdownLogDir+"/shutdown.0.log", sdReboots[2:])
		}, "", []string{"high " + sdPegasus, "high " + sdPredator + "/" + sdUUID, "medium " + sdOddDB}, nil},
		{"current and rotated logs, iOS 26", func(b *fixture.Backup) {
			fixture.ShutdownLog(b, fixture.ShutdownLogPath, quiet)
			fixture.ShutdownLog(b, fixture.ShutdownLogDir+"/shutdown.1.log", quiet)
		}, "26.1", []string{"info iOS 26.1"}, nil},
		{"emptied log", func(b *fixture.Backup) { b.Raw(fixture.ShutdownLogPath, nil) }, "17.4",
			[]string{"low " + fixture.ShutdownLogPath}, nil},
		{"binary garbage", func(b *fixture.Backup) { b.Raw(fixture.ShutdownLogPath, []byte{0xff, 0, 0x8f, '\n', '(', ')'}) }, "",
			[]string{"low " + fixture.ShutdownLogPath}, nil},
		{"absent", func(b *fixture.Backup) { b.Raw("private/var/db/diagnostics/other.log", []byte("x")) }, "", nil, module.ErrNoData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runShutdownLog(t, tt.build, tt.version)
			if !errors.Is(res.Err, tt.wantErr) || len(res.Problems) > 0 {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			var got []string
			for _, d := range res.Detections {
				got = append(got, d.Severity.String()+" "+d.Evidence)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("detections = %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestShutdownLogFolderIsNotALog(t *testing.T) {
	// A folder named like a rotated log holds no log: absent, not an error.
	res := runShutdownLog(t, func(b *fixture.Backup) {
		b.Raw(fixture.ShutdownLogDir+"/shutdown.9.log/inner", []byte("x"))
	}, "")
	if !errors.Is(res.Err, module.ErrNoData) {
		t.Errorf("err = %v", res.Err)
	}
}
