package ios

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// The sysdiagnose is taken at 10:26 local time (fixture.Epoch, one hour east of UTC).
var (
	puZone   = time.FixedZone("", 3600)
	puPSRows = []fixture.PSRow{
		{PID: 1, Started: "Tue09PM", Command: "/sbin/launchd"},
		{PID: 112, PPID: 1, Started: "Tue09PM", Command: "/System/Library/CoreServices/SpringBoard.app/SpringBoard"},
		{PID: 120, PPID: 1, Started: "Tue09PM", Command: "/usr/libexec/backboardd"},
		{PID: 344, PPID: 1, Started: "8:02AM", Command: "/usr/sbin/mediaserverd"},
		{PID: 360, PPID: 1, Started: "9:40AM", Command: "/System/Library/Frameworks/WebKit.framework/XPCServices/" +
			"com.apple.WebKit.WebContent.xpc/com.apple.WebKit.WebContent"},
		{PID: 900, PPID: 1, Started: "10:26AM", Command: "/usr/bin/sysdiagnose"},
	}
	puPegasus = "/private/var/db/com.apple.xpc.roleaccountd.staging/rolexd"
	// ps_thread.txt adds a planted old process, and decoys: a helper of sysdiagnose, a
	// process that started a minute ago, and one whose crash explains its absence.
	puThreadRows = append(slices.Clone(puPSRows),
		fixture.PSRow{PID: 777, PPID: 1, Started: "Tue09PM", Command: puPegasus + " -d"},
		fixture.PSRow{PID: 901, PPID: 900, Started: "Tue09PM", Command: "/usr/libexec/diagnosticextensionsd"},
		fixture.PSRow{PID: 905, PPID: 1, Started: "10:25AM", Command: "/usr/libexec/xpcproxy"},
		fixture.PSRow{PID: 950, PPID: 1, Started: "7:00AM", Command: "/usr/libexec/nfcd"},
	)
)

func buildProcessUnion(t *testing.T, s *fixture.Sysdiagnose) {
	t.Helper()
	e := fixture.Epoch
	s.File(fixture.SysdiagPSPath, fixture.PSText(puPSRows, fixture.PSModern))
	s.File(fixture.SysdiagPSThreadPath, fixture.PSThreadText(puThreadRows))
	s.File(fixture.SysdiagShutdownLogPath, fixture.ShutdownLogText([]fixture.ShutdownReboot{{Time: e.Add(-48 * time.Hour),
		Waits: []fixture.ShutdownWait{{After: 0.5, Clients: []fixture.ShutdownClient{{PID: 87, Path: sdPegasus}}}}}}))
	logd := []fixture.LogdStat{ // bh writes from three hours ago until ten minutes ago; dasd only lately
		{Time: e.Add(-3 * time.Hour).In(puZone), Processes: []string{"/usr/libexec/backboardd", "/private/var/tmp/bh"}},
		{Time: e.Add(-2 * time.Hour).In(puZone), Processes: []string{"/private/var/tmp/bh"}},
		{Time: e.Add(-10 * time.Minute).In(puZone), Processes: []string{"/private/var/tmp/bh", "/usr/libexec/dasd", "/usr/libexec/backboardd"}},
	}
	if _, err := fixture.SysdiagLogdStats(s, 0, logd, false); err != nil {
		t.Fatal(err)
	}
	if _, err := fixture.SysdiagCrashReport(s, fixture.IPSReport{Kind: fixture.IPSCrash, Time: e.Add(-time.Minute).In(puZone),
		ProcName: "nfcd", ProcPath: "/usr/libexec/nfcd", PID: 950, Exception: "EXC_CRASH", Signal: "SIGABRT"}); err != nil {
		t.Fatal(err)
	}
	pl := fixture.PowerLog{
		Launches: []fixture.PowerLogLaunch{
			{At: e.Add(-5 * time.Hour), ProcessName: "msgacntd", PID: 1234},
			{At: e.Add(-4 * time.Hour), ProcessName: "AppleIDAuthAgent", PID: 344}, // PID alive in ps.txt
			{At: e.Add(-4 * time.Hour), ProcessName: "com.apple.WebKit", PID: 360}, // cut at 16 characters
		},
		Samples: []fixture.PowerLogSample{
			{At: e.Add(-5 * time.Minute), ProcessName: "msgacntd", PID: 1234},
			{At: e.Add(-5 * time.Minute), ProcessName: "AppleIDAuthAgent", PID: 344},
			{At: e.Add(-5 * time.Minute), ProcessName: "com.apple.WebKit", PID: 1360},
		},
		Coalitions: []fixture.PowerLogCoalition{{At: e.Add(-2 * time.Hour), End: e.Add(-time.Minute), LaunchdName: "com.apple.ghostd"}},
	}
	if err := fixture.SysdiagPowerLog(s, fixture.PowerLogName(e), pl); err != nil {
		t.Fatal(err)
	}
	if err := fixture.SysdiagUUIDPaths(s, map[string]string{
		"0F1E2D3C-4B5A-4697-8877-665544332211": "/System/Library/Frameworks/UIKit.framework/UIKit",
		"1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9": "/usr/libexec/nfcd",
	}); err != nil {
		t.Fatal(err)
	}
}

func TestProcessUnion(t *testing.T) {
	s := newSysdiagFixture(t)
	buildProcessUnion(t, s)
	res := moduletest.Run(t, NewProcessUnion(), openSysdiagFixture(t, s))
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	var got []string
	for _, d := range res.Detections {
		if d.Severity != module.Medium || d.Reference != processUnionReference || d.Time.IsZero() || strings.Contains(d.Message, "\n") {
			t.Errorf("detection %+v", d)
		}
		got = append(got, d.Record.(UnionProcess).Name+" "+d.Time.Format(time.RFC3339))
	}
	want := []string{
		"rolexd " + fixture.Epoch.Format(time.RFC3339),
		"bh " + fixture.Epoch.Add(-10*time.Minute).Format(time.RFC3339),
		"msgacntd " + fixture.Epoch.Add(-5*time.Minute).Format(time.RFC3339),
	}
	if !slices.Equal(got, want) {
		t.Errorf("detections = %q\nwant %q", got, want)
	}
	if ev := res.Detections[0].Evidence; ev != "ps_thread.txt line 8: PID 777 "+puPegasus+" -d; absent from ps.txt" {
		t.Errorf("evidence = %q", ev)
	}
	entries := map[string]UnionProcess{}
	for _, r := range res.Records {
		u := r.(UnionProcess)
		entries[u.Name] = u
		var srcs []string
		for _, s := range u.Sources {
			srcs = append(srcs, s.Source)
		}
		entries[u.Name+" sources"] = UnionProcess{Name: strings.Join(srcs, ",")}
	}
	for name, wantSrc := range map[string]string{
		"nfcd":                        "ps_thread.txt,crash_reports,uuid2path",
		"backboardd":                  "ps.txt,ps_thread.txt,logd_statistics",
		"com.apple.WebKit.Networking": "shutdown.log",
		"com.apple.WebKit":            "powerlog",
		"rolexd":                      "ps_thread.txt",
	} {
		if got := entries[name+" sources"].Name; got != wantSrc {
			t.Errorf("%s: sources %q, want %q", name, got, wantSrc)
		}
	}
	for _, name := range []string{"UIKit", "com.apple.ghostd"} { // a library, a launchd job label
		if _, ok := entries[name]; ok {
			t.Errorf("%s is in the union", name)
		}
	}
	if !entries["com.apple.WebKit"].InProcessList || entries["rolexd"].InProcessList {
		t.Errorf("in process list: %+v %+v", entries["com.apple.WebKit"], entries["rolexd"])
	}
	if bh := entries["bh"].Sources[0]; bh.Count != 3 || !bh.First.Equal(fixture.Epoch.Add(-3*time.Hour)) {
		t.Errorf("bh = %+v", bh)
	}
	if len(res.Observables()) != 0 || len(res.Events()) != 0 {
		t.Errorf("observables %v, events %v", res.Observables(), res.Events())
	}
}

func TestProcessUnionVariants(t *testing.T) {
	tests := []struct {
		name       string
		build      func(*testing.T, *fixture.Sysdiagnose)
		err        error
		records    int // -1: any
		detections int
		problems   int
	}{
		{"no source at all", func(*testing.T, *fixture.Sysdiagnose) {}, module.ErrNoData, 0, 0, 0},
		{"history without ps.txt: nothing to compare", func(t *testing.T, s *fixture.Sysdiagnose) {
			buildProcessUnion(t, s)
			s.File(fixture.SysdiagPSPath, nil)
			s.File(fixture.SysdiagPSThreadPath, nil)
		}, nil, -1, 0, 1},
		{"unreadable ps listings", func(t *testing.T, s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagPSPath, []byte("\x00\xffnot ps\n"))
			s.File(fixture.SysdiagUUIDToBinaryLocations, []byte("<plist><dict><key>A</key><string>/usr/libexec/x</string></dict></plist>"))
		}, nil, 1, 0, 1},
		{"only ps listings that agree", func(t *testing.T, s *fixture.Sysdiagnose) {
			fixture.SysdiagPS(s, puPSRows, fixture.PSLegacy)
		}, nil, len(puPSRows), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSysdiagFixture(t)
			tt.build(t, s)
			res := moduletest.Run(t, NewProcessUnion(), openSysdiagFixture(t, s))
			if !errors.Is(res.Err, tt.err) || tt.err == nil && res.Err != nil {
				t.Fatalf("err = %v", res.Err)
			}
			if tt.records >= 0 && len(res.Records) != tt.records || len(res.Detections) != tt.detections || len(res.Problems) != tt.problems {
				t.Errorf("records %d, detections %v, problems %v", len(res.Records), res.Detections, res.Problems)
			}
		})
	}
}

func TestPSStartedBefore(t *testing.T) {
	taken := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	plusOne := 3600
	tests := []struct {
		started string
		offset  *int
		want    time.Duration
		ok      bool
	}{
		{"10:26AM", &plusOne, 0, true},
		{"10:24AM", &plusOne, 2 * time.Minute, true},
		{"12:05AM", &plusOne, 10*time.Hour + 21*time.Minute, true},
		{"11:30PM", &plusOne, 10*time.Hour + 56*time.Minute, true}, // yesterday evening
		{"Tue09PM", nil, 24 * time.Hour, true},
		{"14Jan19", nil, 24 * time.Hour, true},
		{"10:24AM", nil, 0, false},
		{"13:00PM", &plusOne, 0, false},
		{"", &plusOne, 0, false},
		{"soon", &plusOne, 0, false},
	}
	for _, tt := range tests {
		got, ok := psStartedBefore(tt.started, taken, tt.offset)
		if got != tt.want || ok != tt.ok {
			t.Errorf("psStartedBefore(%q) = %v, %v; want %v, %v", tt.started, got, ok, tt.want, tt.ok)
		}
	}
}

func TestProcessUnionInPS(t *testing.T) {
	u := newProcessUnion()
	for _, n := range []string{"/usr/libexec/nfcd", "/x/com.apple.WebKit.WebContent", "/x/contextstoremgr"} {
		u.psNames[unionName(n)] = true
	}
	for name, want := range map[string]bool{
		"nfcd": true, "nfc": false,
		"com.apple.WebKit": true, "com.apple.WebKi": true, "com.apple.Web": false, // a source cut the name
		"contextstoremgrd":            true, // ps holds the cut name, the source the full one
		"com.apple.WebKit.Networking": false, "": false,
	} {
		if got := u.inPS(name); got != want {
			t.Errorf("inPS(%q) = %v, want %v", name, got, want)
		}
	}
}
