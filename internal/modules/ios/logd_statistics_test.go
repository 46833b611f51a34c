package ios

import (
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
	logdPlanted = "/private/var/tmp/com.apple.WebKit.Networking"
	logdOdd     = "/private/var/mobile/Library/Caches/.agent/agentd"
)

var (
	logdZone = time.FixedZone("", -7*3600)
	logdT1   = fixture.Epoch.Add(-5 * 24 * time.Hour)
	logdT2   = fixture.Epoch.Add(-2 * 24 * time.Hour)
	logdT3   = fixture.Epoch.Add(-time.Hour)
	// logdRecs: a clean rotation (decoys only), one with the planted writer, a memory
	// rollover with an odd user-data program, and a quarantine of the planted one.
	logdRecs = []fixture.LogdStat{
		{Time: logdT1.In(logdZone), Processes: fixture.DemoLogdProcesses},
		{Time: logdT2.In(logdZone), Processes: append([]string{logdPlanted}, fixture.DemoLogdProcesses...)},
		{Time: logdT3.In(logdZone), Type: "Memory Rollover", Processes: []string{"/kernel", logdOdd, logdPlanted}},
		{Time: logdT3.In(logdZone), Quarantine: true, Processes: []string{logdPlanted}},
	}
)

func TestLogdStatistics(t *testing.T) {
	for _, text := range []bool{false, true} {
		t.Run(fmt.Sprintf("text=%v", text), func(t *testing.T) {
			var rel string
			a := openSysdiagnoseFixture(t, func(s *fixture.Sysdiagnose) {
				var err error
				if rel, err = fixture.SysdiagLogdStats(s, 0, logdRecs, text); err != nil {
					t.Fatal(err)
				}
			})
			res := moduletest.Run(t, NewLogdStatistics(), a)
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			if len(res.Records) != len(logdRecs) {
				t.Fatalf("%d records", len(res.Records))
			}
			want := []string{"high " + logdPlanted, "medium " + logdOdd}
			if got := sysdiagDetections(res.Detections); !slices.Equal(got, want) {
				t.Errorf("detections = %q\nwant %q", got, want)
			}
			if d := res.Detections[0]; !d.Time.Equal(logdT2) || d.Reference == "" || d.Message == "" {
				t.Errorf("detection %+v", d)
			}
			rec := res.Records[1].(LogdStatisticsRecord)
			if rec.File != rel || rec.Type != "File Rotate" || rec.LogFile == "" || len(rec.Processes) != 5 || rec.TotalBytes == 0 {
				t.Errorf("record = %+v", rec)
			}
			for _, o := range []ioc.Observable{
				{Type: ioc.Process, Value: logdPlanted}, {Type: ioc.FilePath, Value: logdPlanted},
				{Type: ioc.ProcessPath, Value: logdOdd}, {Type: ioc.Process, Value: "/usr/libexec/locationd"},
			} {
				if !slices.Contains(res.Observables(), o) {
					t.Errorf("missing observable %v", o)
				}
			}
			var events []string
			for _, e := range res.Events() {
				events = append(events, e.Event+" "+e.Time.Format(time.RFC3339))
			}
			wantEvents := []string{"logd_statistics " + logdT1.Format(time.RFC3339), "logd_statistics " + logdT2.Format(time.RFC3339),
				"logd_statistics " + logdT3.Format(time.RFC3339), "logd_quarantine " + logdT3.Format(time.RFC3339)}
			if !slices.Equal(events, wantEvents) {
				t.Errorf("events = %q\nwant %q", events, wantEvents)
			}
		})
	}
}

func TestLogdStatisticsVariants(t *testing.T) {
	clean := []fixture.LogdStat{{Time: logdT1.In(logdZone), Processes: fixture.DemoLogdProcesses}}
	planted := []fixture.LogdStat{{Time: logdT2.In(logdZone), Processes: []string{logdPlanted}}}
	jsonl := func(recs []fixture.LogdStat) []byte {
		b, err := fixture.LogdStatsJSONL(recs)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dir := fixture.SysdiagLogdDir + "/"
	tests := []struct {
		name     string
		build    func(*fixture.Sysdiagnose)
		want     []string
		records  int
		problems int
		wantErr  error
	}{
		{"clean", func(s *fixture.Sysdiagnose) { s.File(dir+"logdata.statistics.0.jsonl", jsonl(clean)) }, nil, 1, 0, nil},
		{"both forms and a rotated file", func(s *fixture.Sysdiagnose) {
			s.File(dir+"logdata.statistics.0.jsonl", jsonl(clean))
			s.File(dir+"logdata.statistics.1.jsonl", jsonl(planted))
			s.File(dir+"logdata.statistics.0.txt", fixture.LogdStatsText(planted))
		}, []string{"high " + logdPlanted}, 3, 0, nil},
		{"a broken line among good ones", func(s *fixture.Sysdiagnose) {
			s.File(dir+"logdata.statistics.0.jsonl", append(append(jsonl(clean), "{\"record\":\"logd stat\x00\n"...), jsonl(planted)...))
		}, []string{"high " + logdPlanted}, 2, 1, nil},
		{"binary garbage", func(s *fixture.Sysdiagnose) {
			s.File(dir+"logdata.statistics.0.txt", []byte{0xde, 0xad, 0xbe, 0xef, '\n', 0x00})
		}, nil, 0, 1, nil},
		{"empty file", func(s *fixture.Sysdiagnose) { s.File(dir+"logdata.statistics.0.txt", nil) }, nil, 0, 0, nil},
		{"absent", func(s *fixture.Sysdiagnose) { s.File(dir+"shutdown.log", []byte("x")) }, nil, 0, 0, module.ErrNoData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := moduletest.Run(t, NewLogdStatistics(), openSysdiagnoseFixture(t, tt.build))
			if !sysdiagOutcome(res.Err, tt.wantErr) || len(res.Problems) != tt.problems || len(res.Records) != tt.records {
				t.Fatalf("err %v, problems %v, %d records", res.Err, res.Problems, len(res.Records))
			}
			if got := sysdiagDetections(res.Detections); !slices.Equal(got, tt.want) {
				t.Errorf("detections = %q\nwant %q", got, tt.want)
			}
		})
	}
}
