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

var (
	duT0 = fixture.Epoch.Add(-48 * time.Hour)
	duT1 = fixture.Epoch.Add(-24 * time.Hour)
	duT2 = fixture.Epoch.Add(-2 * time.Hour)
)

// duProcesses: a decoy Apple process with a UUID prefix, the planted Triangulation process,
// and a daemon without live usage.
var duProcesses = []fixture.DataUsageProcess{
	{ID: 1, Name: "5E3C9A2B-1F4D-4C8E-9B7A-2D6F0E1A3B4C/com.apple.facetime", Bundle: "com.apple.facetime", First: duT0, Last: duT1},
	{ID: 2, Name: "BackupAgent", First: duT1, Last: duT2},
	{ID: 3, Name: "CumulativeUsageTracker", First: duT0, Last: duT2},
}

var duLive = []fixture.DataUsageLive{
	{ProcessID: 1, Time: duT1, WWANIn: 2048, WWANOut: 512, WiFiIn: 7, WiFiOut: 8},
	{ProcessID: 2, Time: duT2, WWANIn: 100, WWANOut: 200, WiFiIn: 1, WiFiOut: 2},
}

func runDataUsage(t *testing.T, procs []fixture.DataUsageProcess, live []fixture.DataUsageLive, opts fixture.DataUsageOptions) moduletest.Result {
	t.Helper()
	b := fixture.NewBackup()
	if err := fixture.DataUsage(b, procs, live, opts); err != nil {
		t.Fatal(err)
	}
	return runDataUsageOn(t, moduletest.OpenBackup(t, b))
}

func TestDataUsageSchemas(t *testing.T) {
	for _, wifi := range []bool{false, true} {
		t.Run(fmt.Sprintf("wifi columns %v", wifi), func(t *testing.T) {
			res := runDataUsage(t, duProcesses, duLive, fixture.DataUsageOptions{WiFiColumns: wifi})
			if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 {
				t.Fatalf("err %v, problems %v, detections %v", res.Err, res.Problems, res.Detections)
			}
			want := []ioc.Observable{ // sorted by live usage, else first usage
				{Type: ioc.Process, Value: "CumulativeUsageTracker"},
				{Type: ioc.Process, Value: "5E3C9A2B-1F4D-4C8E-9B7A-2D6F0E1A3B4C/com.apple.facetime"},
				{Type: ioc.AppID, Value: "com.apple.facetime"},
				{Type: ioc.Process, Value: "BackupAgent"},
			}
			if got := res.Observables(); !slices.Equal(got, want) {
				t.Errorf("observables = %v\nwant %v", got, want)
			}
			if len(res.Records) != 3 {
				t.Fatalf("records = %d, want 3", len(res.Records))
			}
			facetime := res.Records[1].(DataUsageRecord)
			if *facetime.WWANIn != 2048 || facetime.LiveUsageID != 1 || !facetime.LiveUsage.Equal(duT1) ||
				!facetime.FirstUsage.Equal(duT0) || !facetime.CurrentUsage.Equal(duT1) {
				t.Errorf("record = %+v", facetime)
			}
			if got := facetime.WiFiIn != nil; got != wifi || wifi && *facetime.WiFiIn != 7 {
				t.Errorf("wifi_in = %v, want present %v", facetime.WiFiIn, wifi)
			}
			if idle := res.Records[0].(DataUsageRecord); idle.LiveUsageID != 0 || idle.ProcessID != 3 {
				t.Errorf("process without live usage = %+v", idle)
			}
		})
	}
}

func TestDataUsageEvents(t *testing.T) {
	res := runDataUsage(t, duProcesses[1:2], duLive[1:2], fixture.DataUsageOptions{})
	var got []string
	for _, e := range res.Events() {
		got = append(got, e.Time.Format(time.RFC3339)+" "+e.Event+" "+e.Description)
	}
	want := []string{
		duT2.Format(time.RFC3339) + " live_usage BackupAgent (Bundle ID: , ID: 2) WWAN IN: 100, WWAN OUT: 200",
		duT1.Format(time.RFC3339) + " first_usage BackupAgent (Bundle ID: , ID: 2)",
		duT2.Format(time.RFC3339) + " current_usage BackupAgent (Bundle ID: , ID: 2)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q\nwant %q", got, want)
	}
}

func TestDataUsageTampering(t *testing.T) {
	procs := []fixture.DataUsageProcess{
		{ID: 1, Name: "apsd", First: duT0, Last: duT1},
		{ID: 2, Name: "bh", First: duT1, Last: duT1},
		{ID: 3, Name: "nsurlsessiond", First: duT1, Last: duT2},
		{ID: 5, Name: "mDNSResponder", First: duT2, Last: duT2},
	}
	live := []fixture.DataUsageLive{
		{ProcessID: 2, Time: duT1, WWANIn: 10}, {ProcessID: 2, Time: duT2, WWANIn: 20},
		{ProcessID: 3, Time: duT2}, {ProcessID: 0, Time: duT2},
	}
	// Process 2 is deleted after its usage was logged; id 4 never existed in the file.
	res := runDataUsage(t, procs, live, fixture.DataUsageOptions{Delete: []int64{2}})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var sev []string
	for _, d := range res.Detections {
		sev = append(sev, d.Severity.String()+" "+d.Evidence)
	}
	want := []string{
		"high ZLIVEUSAGE.ZHASPROCESS = 2",
		"low ZPROCESS.Z_PK 2 missing after 1 (apsd)",
		"low ZPROCESS.Z_PK 4 missing after 3 (nsurlsessiond)",
	}
	if !slices.Equal(sev, want) {
		t.Errorf("detections = %q\nwant %q", sev, want)
	}
	if !res.Detections[0].Time.Equal(duT1) || !res.Detections[2].Time.Equal(duT1) {
		t.Errorf("detection times = %v, %v", res.Detections[0].Time, res.Detections[2].Time)
	}
	counts := map[string]int{}
	for _, r := range res.Records {
		counts[r.(DataUsageRecord).Status]++
	}
	if counts[DataUsageManipulated] != 2 || counts[DataUsageDeleted] != 2 || counts[DataUsageNoProcess] != 1 || counts[""] != 3 {
		t.Errorf("record statuses = %v", counts)
	}
	for _, o := range res.Observables() {
		if o.Value == "bh" {
			t.Errorf("deleted process observed: %v", o)
		}
	}
}

func TestDataUsageHugeGapIsBounded(t *testing.T) {
	procs := []fixture.DataUsageProcess{{ID: 1, Name: "a", First: duT0}, {ID: 1_000_000, Name: "b", First: duT1}}
	res := runDataUsage(t, procs, nil, fixture.DataUsageOptions{})
	if res.Err != nil || len(res.Detections) != maxGapReports+1 {
		t.Fatalf("err %v, detections %d", res.Err, len(res.Detections))
	}
	if last := res.Detections[maxGapReports]; last.Evidence != "ZPROCESS.Z_PK 102 to 999999 missing" {
		t.Errorf("summary = %+v", last)
	}
}

func TestDataUsageOddFiles(t *testing.T) {
	tests := []struct {
		name        string
		build       func(*fixture.Backup) error
		wantErr     error // nil: any error
		wantOK      bool
		wantProblem bool
	}{
		{"absent", func(*fixture.Backup) error { return nil }, module.ErrNoData, false, false},
		{"random bytes", func(b *fixture.Backup) error {
			b.File(fixture.DataUsageDomain, fixture.DataUsagePath, []byte{0x8f, 0x01, 0xfe, 0x42, 0x00, 0x17, 0x99, 0x3c})
			return nil
		}, nil, false, false},
		{"corrupt after the header", func(b *fixture.Backup) error {
			b.File(fixture.DataUsageDomain, fixture.DataUsagePath, []byte("SQLite format 3\x00 but then garbage, garbage, garbage"))
			return nil
		}, nil, false, false},
		{"no process table", func(b *fixture.Backup) error {
			return b.SQLite(fixture.DataUsageDomain, fixture.DataUsagePath, `CREATE TABLE ZOTHER (Z_PK INTEGER);`)
		}, nil, false, false},
		{"no live usage table, odd values", func(b *fixture.Backup) error {
			return b.SQLite(fixture.DataUsageDomain, fixture.DataUsagePath, `
				CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, ZPROCNAME BLOB, ZFIRSTTIMESTAMP);
				INSERT INTO ZPROCESS VALUES (1, X'4261636b75704167656e74', 'not a time'), (2, NULL, NULL);`)
		}, nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := tt.build(b); err != nil {
				t.Fatal(err)
			}
			res := runDataUsageOn(t, moduletest.OpenBackup(t, b))
			switch {
			case tt.wantOK && res.Err != nil:
				t.Fatalf("err = %v", res.Err)
			case !tt.wantOK && res.Err == nil:
				t.Fatal("no error")
			case tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr):
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
			if got := len(res.Problems) > 0; got != tt.wantProblem {
				t.Errorf("problems = %v", res.Problems)
			}
			if tt.wantOK && !slices.Contains(res.Observables(), ioc.Observable{Type: ioc.Process, Value: "BackupAgent"}) {
				t.Errorf("blob process name not read: %v", res.Observables())
			}
		})
	}
}

// BenchmarkDataUsage reads a DataUsage.sqlite of 3,000 processes with 3 live-usage rows each.
func BenchmarkDataUsage(b *testing.B) {
	procs := make([]fixture.DataUsageProcess, 3000)
	live := make([]fixture.DataUsageLive, 0, 9000)
	for i := range procs {
		procs[i] = fixture.DataUsageProcess{Name: fmt.Sprintf("proc%d", i), Bundle: "com.example.p", First: duT0, Last: duT2}
		for j := range 3 {
			live = append(live, fixture.DataUsageLive{ProcessID: int64(i + 1), Time: duT1.Add(time.Duration(j) * time.Minute), WWANIn: 1})
		}
	}
	bk := fixture.NewBackup()
	if err := fixture.DataUsage(bk, procs, live, fixture.DataUsageOptions{}); err != nil {
		b.Fatal(err)
	}
	a := moduletest.OpenBackup(b, bk)
	for b.Loop() {
		if res := runDataUsageOn(b, a); res.Err != nil || len(res.Records) != 9000 {
			b.Fatalf("err %v, records %d", res.Err, len(res.Records))
		}
	}
}
