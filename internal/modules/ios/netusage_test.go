package ios

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// nuProcesses: decoy daemons whose programs are in the dump (one named with a UUID
// prefix), an app process (it has a bundle id, so it is not looked for), and the planted
// traces: "bh" with no program, a 16-character name, an empty name, and "ghostd", of which
// only a folder of that name exists.
var nuProcesses = []fixture.DataUsageProcess{
	{ID: 1, Name: "apsd", First: duT0, Last: duT1},
	{ID: 2, Name: "5E3C9A2B-1F4D-4C8E-9B7A-2D6F0E1A3B4C/mDNSResponder", First: duT0, Last: duT1},
	{ID: 3, Name: "MobileSafari", Bundle: "com.apple.mobilesafari", First: duT0, Last: duT1},
	{ID: 4, Name: "bh", First: duT1, Last: duT2},
	{ID: 5, Name: "contextstoremgrd", First: duT1, Last: duT2},
	{ID: 6, Name: "", First: duT1, Last: duT2},
	{ID: 7, Name: "ghostd", First: duT1, Last: duT2},
}

var nuLive = []fixture.DataUsageLive{
	{ProcessID: 1, Time: duT1, WWANIn: 1, WiFiIn: 5},
	{ProcessID: 4, Time: duT2, WWANIn: 10, WWANOut: 20},
	{ProcessID: 4, Time: duT2, WWANIn: 11}, // one detection per name, not per row
}

func netUsageDump(t *testing.T, path string, opts fixture.DataUsageOptions) *fixture.Backup {
	t.Helper()
	b := fixture.NewBackup()
	if err := fixture.NetUsage(b, path, nuProcesses, nuLive, opts); err != nil {
		t.Fatal(err)
	}
	b.Raw("usr/libexec/apsd", []byte("\xcf\xfa\xed\xfe"))
	b.Raw("usr/sbin/mDNSResponder", []byte("\xcf\xfa\xed\xfe"))
	b.Raw("private/var/db/ghostd/state.plist", []byte("a folder named ghostd is not its program"))
	return b
}

func TestNetUsage(t *testing.T) {
	for _, tt := range []struct {
		name, path string
		opts       fixture.DataUsageOptions
	}{
		{"networkd", fixture.NetUsagePath, fixture.DataUsageOptions{WiFiColumns: true}},
		{"networkd/db without wifi columns", fixture.NetUsageDBPath, fixture.DataUsageOptions{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := moduletest.Run(t, NewNetUsage(), moduletest.OpenFilesystem(t, netUsageDump(t, tt.path, tt.opts)))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			var got []string
			for _, d := range res.Detections {
				if d.Severity != module.Medium || d.Reference == "" || d.Record == nil {
					t.Errorf("detection %+v", d)
				}
				got = append(got, d.Evidence)
			}
			want := []string{ // in the order the records came: by usage time
				`ZPROCNAME = "contextstoremgrd" (process record 5)`,
				`ZPROCNAME = "" (process record 6)`,
				`ZPROCNAME = "ghostd" (process record 7)`,
				`ZPROCNAME = "bh" (process record 4)`,
			}
			if !slices.Equal(got, want) {
				t.Fatalf("detections = %q\nwant %q", got, want)
			}
			if !strings.Contains(res.Detections[0].Message, "16 characters") || strings.Contains(res.Detections[3].Message, "16 characters") {
				t.Errorf("truncation note misplaced: %q / %q", res.Detections[0].Message, res.Detections[3].Message)
			}
			if !res.Detections[3].Time.Equal(duT2) || !res.Detections[0].Time.Equal(duT1) {
				t.Errorf("times %v, %v", res.Detections[3].Time, res.Detections[0].Time)
			}
			if !slices.Contains(res.Observables(), ioc.Observable{Type: ioc.Process, Value: "bh"}) {
				t.Errorf("observables %v", res.Observables())
			}
			if len(res.Records) != 8 {
				t.Errorf("records = %d, want 8", len(res.Records))
			}
		})
	}
}

func TestNetUsageKeepsDataUsageChecks(t *testing.T) {
	b := fixture.NewBackup()
	procs := []fixture.DataUsageProcess{{ID: 1, Name: "apsd", Bundle: "x", First: duT0}, {ID: 3, Name: "y", Bundle: "y", First: duT1}}
	if err := fixture.NetUsage(b, fixture.NetUsagePath, procs, nil, fixture.DataUsageOptions{}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewNetUsage(), moduletest.OpenFilesystem(t, b))
	if res.Err != nil || len(res.Detections) != 1 || res.Detections[0].Severity != module.Low {
		t.Fatalf("err %v, detections %+v", res.Err, res.Detections)
	}
}

func TestMissingBinarySystemPartition(t *testing.T) {
	for _, tt := range []struct {
		name    string
		launchd bool
		want    int
	}{
		// A dump of /private alone: no program of the system is there, so none is "missing".
		{"dump of /private", false, 0},
		// launchd shows the system partition is there, even though no daemon's program is.
		{"whole device", true, 4},
	} {
		b := fixture.NewBackup()
		if err := fixture.NetUsage(b, fixture.NetUsagePath, nuProcesses[3:], nuLive[1:], fixture.DataUsageOptions{}); err != nil {
			t.Fatal(err)
		}
		if tt.launchd {
			b.Raw("sbin/launchd", []byte("\xcf\xfa\xed\xfe"))
		}
		res := moduletest.Run(t, NewNetUsage(), moduletest.OpenFilesystem(t, b))
		if res.Err != nil || len(res.Detections) != tt.want {
			t.Errorf("%s: err %v, detections %v", tt.name, res.Err, res.Detections)
		}
	}
}

func TestMissingBinarySkippedWithoutNameIndex(t *testing.T) {
	// A backup holds a fraction of the filesystem: an absent file there proves nothing.
	a := moduletest.OpenBackup(t, fixture.NewBackup())
	got, err := missingBinaryDetections(a.Source, []DataUsageRecord{{ProcessID: 1, ProcessName: "bh"}})
	if err != nil || got != nil {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestNetUsageOddFiles(t *testing.T) {
	tests := []struct {
		name    string
		build   func(*fixture.Backup)
		wantErr error // nil: any error
	}{
		{"absent", func(*fixture.Backup) {}, module.ErrNoData},
		{"random bytes", func(b *fixture.Backup) { b.Raw(fixture.NetUsagePath, []byte{0x8f, 0x01, 0xfe, 0x42, 0x17}) }, nil},
		{"no process table", func(b *fixture.Backup) {
			data, err := fixture.BuildSQLite(`CREATE TABLE ZOTHER (Z_PK INTEGER);`)
			if err != nil {
				t.Fatal(err)
			}
			b.Raw(fixture.NetUsageDBPath, data)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			tt.build(b)
			res := moduletest.Run(t, NewNetUsage(), moduletest.OpenFilesystem(t, b))
			if res.Err == nil || tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
		})
	}
	// The same database in a backup is not read: netusage is not part of backups.
	b := fixture.NewBackup()
	if err := fixture.DataUsage(b, nuProcesses, nuLive, fixture.DataUsageOptions{}); err != nil {
		t.Fatal(err)
	}
	if res := moduletest.Run(t, NewNetUsage(), moduletest.OpenBackup(t, b)); !errors.Is(res.Err, module.ErrNoData) {
		t.Errorf("backup: err = %v", res.Err)
	}
}
