package ios

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// sysdiagLocal is when the test sysdiagnoses were taken, on a phone one hour east of UTC:
// fixture.Epoch as the device's clock showed it.
var sysdiagLocal = fixture.Epoch.In(time.FixedZone("", 3600))

// openSysdiagnoseFixture builds a sysdiagnose, writes it as the extracted folder and opens
// it as Vigil would.
func openSysdiagnoseFixture(t *testing.T, build func(*fixture.Sysdiagnose)) *acq.Acquisition {
	t.Helper()
	s, err := fixture.NewSysdiagnose(sysdiagLocal, "iPhone14,2", "17.4", "21E236")
	if err != nil {
		t.Fatal(err)
	}
	build(s)
	dir, err := s.WriteFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a, err := detect.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if a.Kind != acq.IOSSysdiag || !a.Facts.AcquiredAt.Equal(fixture.Epoch) {
		t.Fatalf("opened %s taken at %v", a.Kind, a.Facts.AcquiredAt)
	}
	return a
}

// sysdiagDetections gives "severity evidence" for each detection.
func sysdiagDetections(ds []module.Detection) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Severity.String()+" "+d.Evidence)
	}
	return out
}

const (
	psPredator = "/private/var/tmp/UserEventAgent"
	psOddDB    = "/var/db/helperd"
	psUpdate   = "/private/var/db/com.apple.xpc.roleaccountd.staging/exec/" + updateBrain + ".xpc/" + updateBrain
)

// psRows: the demo list (decoys: system daemons, an App Store app, a staged Apple app)
// with Predator's path, an odd /var/db program and Apple's update helper planted.
var psRows = append(slices.Clone(fixture.DemoPSRows),
	fixture.PSRow{User: "root", PID: 666, PPID: 1, Command: psPredator + " -d", Threads: 2},
	fixture.PSRow{User: "root", PID: 667, PPID: 1, Command: psOddDB},
	fixture.PSRow{User: "root", PID: 668, PPID: 1, Command: psUpdate},
)

func TestProcesses(t *testing.T) {
	a := openSysdiagnoseFixture(t, func(s *fixture.Sysdiagnose) { fixture.SysdiagPS(s, psRows, fixture.PSModern) })
	res := moduletest.Run(t, NewProcesses(), a)
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	if len(res.Records) != 2*len(psRows) {
		t.Fatalf("%d records, want one per process in each listing (%d)", len(res.Records), 2*len(psRows))
	}
	// Each program is reported once, though both listings show it.
	want := []string{"high " + psPredator + " -d", "medium " + psOddDB, "low " + psUpdate}
	if got := sysdiagDetections(res.Detections); !slices.Equal(got, want) {
		t.Errorf("detections = %q\nwant %q", got, want)
	}
	for _, d := range res.Detections {
		if d.Reference == "" || d.Message == "" || !d.Time.Equal(fixture.Epoch) || d.Record == nil {
			t.Errorf("detection %+v", d)
		}
	}
	planted := res.Detections[0].Record.(PSProcess)
	if planted.File != fixture.SysdiagPSPath || planted.PID != 666 || planted.Executable != psPredator ||
		planted.Args != "-d" || *planted.UID != 0 || *planted.PPID != 1 || planted.Threads != 0 {
		t.Errorf("planted record = %+v", planted)
	}
	threaded := res.Records[len(psRows)+len(fixture.DemoPSRows)].(PSProcess)
	if threaded.File != fixture.SysdiagPSThreadPath || threaded.PID != 666 || threaded.Threads != 3 || threaded.UID != nil {
		t.Errorf("ps_thread record = %+v", threaded)
	}
	for _, o := range []ioc.Observable{
		{Type: ioc.Process, Value: psPredator}, {Type: ioc.ProcessPath, Value: psPredator}, {Type: ioc.FilePath, Value: psPredator},
		{Type: ioc.Process, Value: "/usr/libexec/lsd"},
	} {
		if !slices.Contains(res.Observables(), o) {
			t.Errorf("missing observable %v", o)
		}
	}
	events := res.Events()
	if len(events) != len(res.Records) || events[0].Event != "process_running" || !events[0].Time.Equal(fixture.Epoch) {
		t.Errorf("events = %v", events[:1])
	}
}

func TestProcessesVariants(t *testing.T) {
	clean := fixture.DemoPSRows
	planted := []fixture.PSRow{{PID: 70, PPID: 1, Command: "/tmp/bh"}, {PID: 71, Command: "-zsh"}}
	tests := []struct {
		name     string
		build    func(*fixture.Sysdiagnose)
		want     []string
		records  int
		problems int
		wantErr  error
	}{
		{"clean", func(s *fixture.Sysdiagnose) { fixture.SysdiagPS(s, clean, fixture.PSModern) }, nil, 2 * len(clean), 0, nil},
		{"before iOS 16, ps.txt only", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagPSPath, fixture.PSText(planted, fixture.PSLegacy))
		}, []string{"high /tmp/bh"}, 2, 0, nil},
		{"ps_thread.txt only", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagPSThreadPath, fixture.PSThreadText(planted))
		}, []string{"high /tmp/bh"}, 2, 0, nil},
		{"unreadable rows", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagPSPath, append(fixture.PSText(planted, fixture.PSModern), "root 0 x\n\x00\xff\n"...))
		}, []string{"high /tmp/bh"}, 2, 1, nil},
		{"one listing without a header", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagPSPath, []byte("\x1f\x8b\x08garbage\x00\xff"))
			s.File(fixture.SysdiagPSThreadPath, fixture.PSThreadText(planted))
		}, []string{"high /tmp/bh"}, 2, 1, nil},
		{"both listings garbage", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagPSPath, []byte{0xde, 0xad, 0xbe, 0xef})
			s.File(fixture.SysdiagPSThreadPath, nil)
		}, nil, 0, 0, errSysdiagAny},
		{"absent", func(s *fixture.Sysdiagnose) { s.File("taskinfo.txt", []byte("x")) }, nil, 0, 0, module.ErrNoData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := moduletest.Run(t, NewProcesses(), openSysdiagnoseFixture(t, tt.build))
			if !sysdiagOutcome(res.Err, tt.wantErr) || len(res.Problems) != tt.problems || len(res.Records) != tt.records {
				t.Fatalf("err %v, problems %v, %d records", res.Err, res.Problems, len(res.Records))
			}
			if got := sysdiagDetections(res.Detections); !slices.Equal(got, tt.want) {
				t.Errorf("detections = %q\nwant %q", got, tt.want)
			}
		})
	}
}

// errSysdiagAny stands for "some error other than ErrNoData" in table tests.
var errSysdiagAny = errors.New("any error")

func sysdiagOutcome(got, want error) bool {
	switch want {
	case nil:
		return got == nil
	case errSysdiagAny:
		return got != nil && !errors.Is(got, module.ErrNoData)
	}
	return errors.Is(got, want)
}
