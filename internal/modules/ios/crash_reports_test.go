package ios

import (
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

const (
	crashChat    = "/private/var/containers/Bundle/Application/6C9C5A92-BC0D-476F-BCEF-8D4E0D5CAA40/ChatApp.app/ChatApp"
	crashPlanted = "/private/var/db/com.apple.xpc.roleaccountd.staging/rolexd"
	crashDylib   = "/private/var/mobile/Library/Caches/libhook.dylib"
)

// Reports: a crash of an App Store app (decoy) that had loaded a library from the user's
// data, a crash of a program in launchd's staging folder, a stackshot listing a planted
// process, and Jetsam, Wi-Fi and OTA reports.
var (
	crashT1     = fixture.Epoch.Add(-48 * time.Hour)
	crashT2     = fixture.Epoch.Add(-3 * time.Hour)
	crashZone   = time.FixedZone("", 3600)
	crashChatUp = fixture.IPSReport{Kind: fixture.IPSCrash, Time: crashT1.In(crashZone), ProcName: "ChatApp",
		ProcPath: crashChat, BundleID: "com.example.chat", PID: 3723, Exception: "EXC_BAD_ACCESS", Signal: "SIGSEGV",
		Images: []string{crashChat, crashDylib}}
	crashRolexd = fixture.IPSReport{Kind: fixture.IPSCrash, Dir: "Retired", Time: crashT2.In(crashZone), ProcName: "rolexd",
		ProcPath: crashPlanted, PID: 88, Exception: "EXC_CRASH", Signal: "SIGABRT", NoCaptureTime: true}
	crashStacks = fixture.IPSReport{Kind: fixture.IPSStacks, Time: fixture.Epoch.In(crashZone),
		Processes: []string{"kernel_task", "launchd", "bh", "SpringBoard"}}
	crashJetsam = fixture.IPSReport{Kind: fixture.IPSJetsam, Dir: "JetsamEvents", Time: crashT1.In(crashZone),
		Processes: []string{"backboardd", "financed"}}
)

func addCrashReports(t *testing.T, s *fixture.Sysdiagnose, reps ...fixture.IPSReport) {
	t.Helper()
	for _, r := range reps {
		if _, err := fixture.SysdiagCrashReport(s, r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCrashReports(t *testing.T) {
	a := openSysdiagnoseFixture(t, func(s *fixture.Sysdiagnose) {
		addCrashReports(t, s, crashChatUp, crashRolexd, crashStacks, crashJetsam)
		s.File(fixture.SysdiagCrashDir+"/WiFiLQMMetrics-2026-03-14-101010.ips", []byte(`{"bug_type":"xx"}`+"\n{}"))
		s.File(fixture.SysdiagCrashDir+"/OTAUpdate-2026-03-14-101010.ips", []byte("garbage"))
		s.File("summaries/crashes_and_spins.log", []byte(crashRolexd.Rel()+"\n"))
	})
	res := moduletest.Run(t, NewCrashReports(), a)
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	var files []string
	for _, r := range res.Records {
		files = append(files, r.(CrashReport).File)
	}
	wantFiles := []string{crashChatUp.Rel(), crashJetsam.Rel(), crashRolexd.Rel(), crashStacks.Rel()}
	if !slices.Equal(files, wantFiles) {
		t.Fatalf("files = %q\nwant %q", files, wantFiles)
	}
	want := []string{"medium " + crashDylib, "high " + crashPlanted}
	if got := sysdiagDetections(res.Detections); !slices.Equal(got, want) {
		t.Errorf("detections = %q\nwant %q", got, want)
	}
	for _, d := range res.Detections {
		if d.Reference == "" || d.Message == "" || d.Time.IsZero() || d.Record == nil {
			t.Errorf("detection %+v", d)
		}
	}
	rolexd := res.Records[2].(CrashReport)
	// Without captureTime the header's timestamp gives the time, to the second.
	if rolexd.TimeSource != crashTimeHeader || !rolexd.Time.Equal(crashT2) || rolexd.Kind != "crash" ||
		rolexd.Exception != "EXC_CRASH (SIGABRT)" || *rolexd.PID != 88 || rolexd.ParentProcess != "launchd" {
		t.Errorf("rolexd record = %+v", rolexd)
	}
	chat := res.Records[0].(CrashReport)
	if chat.TimeSource != crashTimeCapture || !chat.Time.Equal(crashT1) || chat.BundleID != "com.example.chat" {
		t.Errorf("chat record = %+v", chat)
	}
	for _, o := range []ioc.Observable{
		{Type: ioc.Process, Value: "rolexd"}, {Type: ioc.FilePath, Value: crashPlanted},
		{Type: ioc.Process, Value: "bh"}, {Type: ioc.Process, Value: "financed"},
		{Type: ioc.FilePath, Value: crashDylib}, {Type: ioc.AppID, Value: "com.example.chat"},
		{Type: ioc.Process, Value: "launchd"},
	} {
		if !slices.Contains(res.Observables(), o) {
			t.Errorf("missing observable %v", o)
		}
	}
	var events []string
	for _, e := range res.Events() {
		events = append(events, e.Event+" "+e.Time.Format(time.RFC3339))
	}
	wantEvents := []string{"crash_report " + crashT1.Format(time.RFC3339), "crash_report " + crashT1.Format(time.RFC3339),
		"crash_report " + crashT2.Format(time.RFC3339), "crash_report " + fixture.Epoch.Format(time.RFC3339)}
	if !slices.Equal(events, wantEvents) {
		t.Errorf("events = %q\nwant %q", events, wantEvents)
	}
}

func TestCrashReportsVariants(t *testing.T) {
	const legacy = "Incident Identifier: 2B9C1F1E-0C8C-4C3E-9E8B-0C1D2E3F4A5B\n" +
		"Process:             bh [311]\nPath:                /private/var/tmp/bh\nParent Process:      launchd [1]\n" +
		"Exception Type:      EXC_CRASH (SIGKILL)\n"
	named := fixture.SysdiagCrashDir + "/bh-2026-03-14-090000.ips.ca.synced"
	tests := []struct {
		name     string
		build    func(*fixture.Sysdiagnose)
		want     []string
		records  int
		problems int
		wantErr  error
		check    func(*testing.T, CrashReport)
	}{
		{"clean", func(s *fixture.Sysdiagnose) { s.File(crashChatUp.Rel(), mustIPS(t, withImages(crashChatUp))) },
			nil, 1, 0, nil, nil},
		{"legacy text report without header, time from the name", func(s *fixture.Sysdiagnose) {
			s.File(named, []byte(legacy))
		}, []string{"high /private/var/tmp/bh"}, 1, 0, nil, func(t *testing.T, c CrashReport) {
			// 09:00 on the device's clock, one hour east of UTC.
			want := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
			if c.TimeSource != crashTimeFileName || !c.Time.Equal(want) || c.TimeZone != "+01:00" || c.Body != "text" {
				t.Errorf("record = %+v", c)
			}
		}},
		{"cut JSON body", func(s *fixture.Sysdiagnose) {
			data := mustIPS(t, crashRolexd)
			s.File(crashRolexd.Rel(), data[:len(data)/2])
		}, nil, 1, 1, nil, func(t *testing.T, c CrashReport) {
			// The header stands; the damaged body makes the module partial.
			if c.BodyError == "" || !c.Time.Equal(crashT2) {
				t.Errorf("record = %+v", c)
			}
		}},
		{"one report garbage", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagCrashDir+"/x-2026-03-14-090000.ips", []byte{0xde, 0xad, 0x00, 0xff})
			s.File(crashChatUp.Rel(), mustIPS(t, crashChatUp))
		}, []string{"medium " + crashDylib}, 1, 1, nil, nil},
		{"every report garbage", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagCrashDir+"/x.ips", []byte("{not json\n\x00\x01"))
		}, nil, 0, 0, errSysdiagAny, nil},
		{"only skipped kinds", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagCrashDir+"/OTAUpdate-2026-03-14-101010.ips", []byte("x"))
		}, nil, 0, 0, module.ErrNoData, nil},
		{"absent", func(s *fixture.Sysdiagnose) { s.File("crashes_and_spins.txt", []byte("x")) }, nil, 0, 0, module.ErrNoData, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := moduletest.Run(t, NewCrashReports(), openSysdiagnoseFixture(t, tt.build))
			if !sysdiagOutcome(res.Err, tt.wantErr) || len(res.Problems) != tt.problems || len(res.Records) != tt.records {
				t.Fatalf("err %v, problems %v, %d records", res.Err, res.Problems, len(res.Records))
			}
			if got := sysdiagDetections(res.Detections); !slices.Equal(got, tt.want) {
				t.Errorf("detections = %q\nwant %q", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, res.Records[0].(CrashReport))
			}
		})
	}
}

// withImages drops the planted library: the app's own images are no finding.
func withImages(r fixture.IPSReport) fixture.IPSReport {
	r.Images = []string{r.ProcPath}
	return r
}

func mustIPS(t *testing.T, r fixture.IPSReport) []byte {
	t.Helper()
	b, err := r.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCrashReportsFromArchive reads the reports straight from the .tar.gz the phone
// exports: the walk must find them at any depth there too.
func TestCrashReportsFromArchive(t *testing.T) {
	s, err := fixture.NewSysdiagnose(sysdiagLocal, "iPhone14,2", "17.4", "21E236")
	if err != nil {
		t.Fatal(err)
	}
	addCrashReports(t, s, crashRolexd, crashStacks)
	p, err := s.WriteTarGz(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a, err := detect.Open(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res := moduletest.Run(t, NewCrashReports(), a)
	if res.Err != nil || len(res.Records) != 2 || len(res.Detections) != 1 {
		t.Errorf("err %v, %d records, detections %v", res.Err, len(res.Records), sysdiagDetections(res.Detections))
	}
}
