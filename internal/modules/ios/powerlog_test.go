package ios

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// The device clock ran 10 s behind until it was set an hour back-and-forth a day ago.
var plTestOffsets = []fixture.PowerLogOffset{
	{At: fixture.Epoch.Add(-72 * time.Hour), System: 10},
	{At: fixture.Epoch.Add(-24 * time.Hour), System: 3600},
}

// powerLogData plants Pegasus's roleaccountd (started twice, once before the first offset
// row) and bh (network use), beside Safari and an app's coalition as decoys.
func powerLogData() fixture.PowerLog {
	e := fixture.Epoch
	return fixture.PowerLog{
		Offsets: plTestOffsets,
		Launches: []fixture.PowerLogLaunch{
			{At: e.Add(-80 * time.Hour), ProcessName: "roleaccountd", PID: 311, CoalitionID: 90},
			{At: e.Add(-30 * time.Hour), ProcessName: "MobileSafari", BundleID: "com.apple.mobilesafari", PID: 412, CoalitionID: 91},
			{At: e.Add(-2 * time.Hour), ProcessName: "roleaccountd", PID: 4242, CoalitionID: 92},
		},
		Network: []fixture.PowerLogNetwork{{At: e.Add(-90 * time.Minute), End: e.Add(-85 * time.Minute),
			ProcessName: "bh", WifiIn: 1200, WifiOut: 880000}},
		Samples: []fixture.PowerLogSample{{At: e.Add(-time.Hour), BundleID: "com.apple.mobilesafari",
			ProcessName: "MobileSafari", PID: 412, Value: 1.5, Unit: "s"}},
		Coalitions: []fixture.PowerLogCoalition{{At: e.Add(-50 * time.Minute), End: e.Add(-40 * time.Minute),
			LaunchdName: "UIKitApplication:com.example.notes[5c1d][rb-legacy]", CPUTime: 2.5}},
	}
}

func TestPowerLog(t *testing.T) {
	s := newSysdiagFixture(t)
	if err := fixture.SysdiagPowerLog(s, fixture.PowerLogName(fixture.Epoch), powerLogData()); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewPowerLog(), openSysdiagFixture(t, s))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 {
		t.Fatalf("err %v, problems %v, detections %v", res.Err, res.Problems, res.Detections)
	}
	var got []string
	for _, r := range res.Records {
		p := r.(PowerLogProcess)
		got = append(got, p.Kind+" "+p.Name()+" "+p.Time.Format(time.RFC3339)+" "+strings.Repeat("r", btoi(p.Repeat)))
	}
	e := fixture.Epoch
	at := func(d time.Duration, off float64) string {
		return e.Add(d + time.Duration(off*float64(time.Second))).Format(time.RFC3339)
	}
	want := []string{
		"process_launch roleaccountd " + at(-80*time.Hour, 10) + " ", // before every offset row: the earliest
		"process_launch MobileSafari " + at(-30*time.Hour, 10) + " ",
		"process_launch roleaccountd " + at(-2*time.Hour, 3600) + " r",
		"network_usage bh " + at(-90*time.Minute, 3600) + " ",
		"process_sample MobileSafari " + at(-time.Hour, 3600) + " r",
		"coalition_interval UIKitApplication:com.example.notes[5c1d][rb-legacy] " + at(-50*time.Minute, 3600) + " ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("records:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	launch := res.Records[2].(PowerLogProcess)
	if launch.PID == nil || *launch.PID != 4242 || launch.Offset != 3600 || launch.File != fixture.SysdiagPowerLogDir+"/"+fixture.PowerLogName(e) {
		t.Errorf("launch = %+v", launch)
	}
	net := res.Records[3].(PowerLogProcess)
	if net.WifiOut == nil || *net.WifiOut != 880000 || !net.End.Equal(e.Add(-85*time.Minute+time.Hour)) {
		t.Errorf("network = %+v", net)
	}
	wantObs := []ioc.Observable{
		{Type: ioc.Process, Value: "roleaccountd"},
		{Type: ioc.Process, Value: "MobileSafari"}, {Type: ioc.AppID, Value: "com.apple.mobilesafari"}, {Type: ioc.Process, Value: "com.apple.mobilesafari"},
		{Type: ioc.Process, Value: "bh"},
		{Type: ioc.AppID, Value: "com.example.notes"}, {Type: ioc.Process, Value: "com.example.notes"},
	}
	if obs := res.Observables(); !slices.Equal(obs, wantObs) {
		t.Errorf("observables = %v", obs)
	}
	ev := res.Events()
	if len(ev) != 6 || ev[2].Event != "process_launch" || ev[2].Description != "Process roleaccountd started with PID 4242" ||
		ev[3].Description != "Process bh used the network: Wi-Fi 1200/880000 bytes, cellular 0/0 bytes in/out" {
		t.Errorf("events = %v", ev)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestPowerLogVariants(t *testing.T) {
	old := powerLogData()
	old.NoBundleIDs = true
	old.Offsets = nil
	tests := []struct {
		name     string
		build    func(*fixture.Sysdiagnose) error
		err      error
		anyErr   bool
		records  int
		problems int
	}{
		{"older database, no bundle ids, no offsets", func(s *fixture.Sysdiagnose) error {
			return fixture.SysdiagPowerLog(s, "log_2026-03-11_09-00_0A0B0C0D.PLSQL", old)
		}, nil, false, 6, 0},
		{"current and older together", func(s *fixture.Sysdiagnose) error {
			if err := fixture.SysdiagPowerLog(s, "log_2026-03-11_09-00_0A0B0C0D.PLSQL", old); err != nil {
				return err
			}
			return fixture.SysdiagPowerLog(s, fixture.PowerLogName(fixture.Epoch), powerLogData())
		}, nil, false, 12, 0},
		{"absent", func(s *fixture.Sysdiagnose) error {
			s.File("logs/powerlogs/README", []byte("x"))
			return nil
		}, module.ErrNoData, false, 0, 0},
		{"only a companion file", func(s *fixture.Sysdiagnose) error {
			s.File("logs/powerlogs/powerlog_2026-03-14_09-26_00000000.PLSQL-shm", []byte("x"))
			return nil
		}, module.ErrNoData, false, 0, 0},
		{"random bytes", func(s *fixture.Sysdiagnose) error {
			s.File("logs/powerlogs/powerlog_x.PLSQL", []byte("\x8f\x00garbage that is no database at all, long enough"))
			return nil
		}, nil, true, 0, 0},
		{"empty tables", func(s *fixture.Sysdiagnose) error {
			return fixture.SysdiagPowerLog(s, "powerlog_x.PLSQL", fixture.PowerLog{})
		}, nil, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSysdiagFixture(t)
			if err := tt.build(s); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewPowerLog(), openSysdiagFixture(t, s))
			if !wantOutcome(res.Err, tt.err, tt.anyErr) || len(res.Records) != tt.records || len(res.Problems) != tt.problems {
				t.Fatalf("err %v, records %d, problems %v", res.Err, len(res.Records), res.Problems)
			}
		})
	}
}

func TestPowerLogOddSchemas(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		anyErr   bool
		records  int
		problems int
	}{
		{"only battery table", `CREATE TABLE PLBatteryAgent_EventBackward_Battery (ID INTEGER PRIMARY KEY, timestamp REAL);`, true, 0, 0},
		{"table without timestamp beside a good one", `
			CREATE TABLE PLPROCESSMONITORAGENT_EVENTFORWARD_PROCESSID (ID INTEGER PRIMARY KEY, PROCESSNAME TEXT);
			CREATE TABLE PLProcessNetworkAgent_EventInterval_UsageDiff (ID INTEGER PRIMARY KEY, TIMESTAMP REAL, PROCESSNAME TEXT);
			INSERT INTO PLProcessNetworkAgent_EventInterval_UsageDiff VALUES (1, 1773480413.5, 'nehelper');`, false, 1, 1},
		{"odd values", `
			CREATE TABLE PLStorageOperator_EventForward_TimeOffset (ID INTEGER PRIMARY KEY, timestamp REAL, system REAL);
			INSERT INTO PLStorageOperator_EventForward_TimeOffset VALUES (1, NULL, 5), (2, 'x', 'y');
			CREATE TABLE PLProcessMonitorAgent_EventForward_ProcessID (ID INTEGER PRIMARY KEY, timestamp REAL, ProcessName TEXT, PID INTEGER);
			INSERT INTO PLProcessMonitorAgent_EventForward_ProcessID VALUES
				(1, NULL, 'a', NULL), (2, -5, X'6e616d65', 'pid'), (3, 1e300, NULL, 7), (4, 'soon', X'ff', 1), (5, 9e11, 'far', 1);`, false, 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := fixture.BuildSQLite(tt.script)
			if err != nil {
				t.Fatal(err)
			}
			s := newSysdiagFixture(t)
			s.File("logs/powerlogs/powerlog_2026-03-14_09-26_00000000.PLSQL", data)
			res := moduletest.Run(t, NewPowerLog(), openSysdiagFixture(t, s))
			if (res.Err != nil) != tt.anyErr || len(res.Records) != tt.records || len(res.Problems) != tt.problems {
				t.Fatalf("err %v, records %d, problems %v", res.Err, len(res.Records), res.Problems)
			}
			if _, err := json.Marshal(res.Records); err != nil {
				t.Errorf("records cannot be written: %v", err)
			}
		})
	}
}

func TestPowerLogFilesystem(t *testing.T) {
	b := fixture.NewBackup()
	if err := fixture.FilesystemPowerLog(b, powerLogData()); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewPowerLog(), moduletest.OpenFilesystem(t, b))
	if res.Err != nil || len(res.Records) != 6 {
		t.Fatalf("err %v, records %d", res.Err, len(res.Records))
	}
	if !slices.Contains(res.Observables(), ioc.Observable{Type: ioc.Process, Value: "bh"}) {
		t.Errorf("observables = %v", res.Observables())
	}
}
