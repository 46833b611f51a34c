package ios

import (
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestShutdownLogSysdiagnose(t *testing.T) {
	quiet := []fixture.ShutdownReboot{{Time: sdT2, Waits: []fixture.ShutdownWait{{After: 0.2, Clients: []fixture.ShutdownClient{{PID: 5, Path: sdDecoy}}}}}}
	extra := "system_logs.logarchive/Extra/"
	tests := []struct {
		name  string
		files map[string][]fixture.ShutdownReboot
		want  []string // severity and evidence of each detection
		err   error
	}{
		{"planted", map[string][]fixture.ShutdownReboot{fixture.SysdiagShutdownLogPath: sdReboots}, []string{
			"low " + fixture.SysdiagShutdownLogPath + " line 8: 3 delays", "high " + sdPegasus,
			"high " + sdPredator + "/" + sdUUID, "medium " + sdOddDB}, nil},
		{"decoy only", map[string][]fixture.ShutdownReboot{fixture.SysdiagShutdownLogPath: quiet}, nil, nil},
		{"rotated copy beside the log", map[string][]fixture.ShutdownReboot{
			fixture.SysdiagShutdownLogPath: quiet, extra + "shutdown.0.log": sdReboots[2:]},
			[]string{"high " + sdPegasus, "high " + sdPredator + "/" + sdUUID, "medium " + sdOddDB}, nil},
		{"emptied", map[string][]fixture.ShutdownReboot{fixture.SysdiagShutdownLogPath: nil},
			[]string{"low " + fixture.SysdiagShutdownLogPath}, nil},
		{"absent", map[string][]fixture.ShutdownReboot{extra + "logdata.statistics.0.txt": quiet}, nil, module.ErrNoData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSysdiagFixture(t)
			for p, r := range tt.files {
				s.File(p, fixture.ShutdownLogText(r))
			}
			res := moduletest.Run(t, NewShutdownLog(), openSysdiagFixture(t, s))
			if !wantOutcome(res.Err, tt.err, false) || len(res.Problems) > 0 {
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

func TestShutdownLogSysdiagnoseRecords(t *testing.T) {
	s := newSysdiagFixture(t)
	s.File(fixture.SysdiagShutdownLogPath, fixture.ShutdownLogText(sdReboots))
	res := moduletest.Run(t, NewShutdownLog(), openSysdiagFixture(t, s))
	sum, ok := res.Records[len(res.Records)-1].(ShutdownLogFile)
	if !ok || sum.File != fixture.SysdiagShutdownLogPath || sum.Reboots != 3 || !sum.Last.Equal(sdT3) {
		t.Fatalf("summary = %+v", res.Records[len(res.Records)-1])
	}
	if ev := res.Events(); len(ev) != 8 || !ev[0].Time.Equal(sdT1) || ev[0].Time.Location() != time.UTC {
		t.Errorf("events = %v", ev)
	}
}
