package ips

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestHeader(t *testing.T) {
	rep, err := Parse(strings.NewReader(report(crashHeader(), mustJSON(crashBody(), true))))
	if err != nil {
		t.Fatal(err)
	}
	want := Header{
		AppName: "ChatApp", AppVersion: "2021.11.10", BuildVersion: "1", BundleID: "com.example.chat",
		BugType: "309", Name: "ChatApp", OSVersion: "iPhone OS 15.1 (19B74)",
		IncidentID: "D4E7538A-63F2-4116-8673-D9C0D9EE5A07", SliceUUID: "0d78bd90-7bf8-3f60-8099-c712bcdfedea",
		AdamID: "1351168404", Timestamp: utc("2021-12-08T19:17:36Z"), TimestampRaw: "2021-12-08 14:17:36.00 -0500",
		Platform: 2, IsFirstParty: 0, RootsInstalled: 0, ShareWithAppDevs: 0,
	}
	if diff := cmp.Diff(want, rep.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

func TestHeaderOddTypes(t *testing.T) {
	h := map[string]any{"bug_type": 309, "platform": "2", "roots_installed": true, "adam_id": 1351168404,
		"timestamp": "2024-02-29 23:59:59 -0330", "app_name": []any{"x"}, "is_first_party": 1.0}
	rep, err := Parse(strings.NewReader(report(h, "")))
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Header
	// A negative offset with minutes: -03:30 means 03:30 behind UTC.
	if got.BugType != "309" || got.Platform != 2 || got.RootsInstalled != -1 || got.AdamID != "1351168404" ||
		got.AppName != "" || got.IsFirstParty != 1 || !got.Timestamp.Equal(utc("2024-03-01T03:29:59Z")) ||
		got.ShareWithAppDevs != -1 || rep.Body != BodyNone {
		t.Errorf("header %+v, body %s", got, rep.Body)
	}
}

func TestBodies(t *testing.T) {
	none := Crash{PID: -1, ParentPID: -1, UserID: -1, TerminationCode: -1}
	tests := []struct {
		name      string
		in        string
		body      BodyKind
		crash     Crash
		reason    string
		processes []string
		images    []string
		names     []string
		bodyErr   bool
	}{
		{"crash 309", report(crashHeader(), mustJSON(crashBody(), true)), BodyJSON,
			Crash{ProcName: "ChatApp", ProcPath: chatPath, PID: 3723, ParentProc: "launchd", ParentPID: 1,
				CoalitionName: "com.example.chat", BundleID: "com.example.chat", UserID: 501,
				ProcLaunch: utc("2021-12-08T17:23:28.279Z"), CaptureTime: utc("2021-12-08T19:17:31.5754Z"),
				ExceptionType: "EXC_CRASH", ExceptionSignal: "SIGKILL", TerminationNamespace: "FRONTBOARD",
				TerminationCode: 2343432205, TerminationReasons: []string{"scene-update watchdog transgression", "ProcessVisibility: Background"}},
			"", nil, []string{chatPath, "/usr/lib/system/libsystem_kernel.dylib"},
			[]string{"ChatApp", "launchd", "com.example.chat"}, false},
		{"stackshot 288", stacksReport(), BodyJSON, none, "sysdiagnose (stackshot only) trigger: Power + Volume Up",
			[]string{"kernel_task", "launchd", "launchd_helper", "bh", "odd"}, nil,
			[]string{"kernel_task", "launchd", "launchd_helper", "bh", "odd"}, false},
		{"jetsam 298", jetsamReport(), BodyJSON, none, "",
			[]string{"TGOnDeviceInferenceProviderServi", "backboardd", "financed"}, nil,
			[]string{"TGOnDeviceInferenceProviderServi", "backboardd", "financed"}, false},
		{"analytics 211, one object per line", analyticsReport(), BodyJSON, none, "", nil, nil, nil, false},
		{"XML plist", plistReport(), BodyPlist,
			Crash{ProcName: "legacyd", ProcPath: "/usr/libexec/legacyd", PID: 44, ParentProc: "launchd", ParentPID: -1, UserID: -1, TerminationCode: -1},
			"", nil, []string{"/usr/lib/libobjc.A.dylib"}, []string{"legacyd", "launchd"}, false},
		{"text", report(map[string]any{"bug_type": "109"}, textBody), BodyText,
			Crash{ProcName: "MobileSafari", ProcPath: "/Applications/MobileSafari.app/MobileSafari", PID: 1234,
				ParentProc: "launchd", ParentPID: 1, CoalitionName: "com.apple.mobilesafari", BundleID: "com.apple.mobilesafari",
				UserID: 501, CaptureTime: utc("2020-03-01T09:00:00.123Z"), ProcLaunch: utc("2020-03-01T08:58:00Z"),
				ExceptionType: "EXC_CRASH", ExceptionSignal: "SIGKILL", TerminationCode: -1,
				TerminationReasons: []string{"Namespace SPRINGBOARD, Code 0x8badf00d"}},
			"", []string{"SpringBoard"},
			[]string{"/Applications/MobileSafari.app/MobileSafari", "/usr/lib/system/libsystem_kernel.dylib"},
			[]string{"MobileSafari", "launchd", "com.apple.mobilesafari", "SpringBoard"}, false},
		{"empty body", report(map[string]any{"bug_type": "309"}, "\n  \n"), BodyNone, none, "", nil, nil, nil, false},
		{"broken JSON", report(map[string]any{"bug_type": "309"}, `{"procName": "x", `), BodyUnknown, none, "", nil, nil, nil, true},
		{"JSON then garbage", report(map[string]any{"bug_type": "211"}, "{\"procName\":\"a\"}\n{oops"), BodyJSON,
			Crash{ProcName: "a", PID: -1, ParentPID: -1, UserID: -1, TerminationCode: -1}, "", nil, nil, []string{"a"}, true},
		{"broken plist", report(map[string]any{"bug_type": "309"}, "<?xml version=\"1.0\"?><plist><dict><key>a</key>"), BodyUnknown, none, "", nil, nil, nil, true},
		{"plist not a dictionary", report(map[string]any{"bug_type": "309"}, "<plist><array><string>a</string></array></plist>"), BodyUnknown, none, "", nil, nil, nil, true},
		{"unknown text", report(map[string]any{"bug_type": "309"}, "\x00\x01 binary soup\n"), BodyUnknown, none, "", nil, nil, nil, true},
		{"odd body types", report(map[string]any{"bug_type": "309"}, mustJSON(map[string]any{
			"procName": 7, "pid": "12", "exception": "0xbaaaaaad", "termination": "gone", "bundleInfo": []any{1},
			"usedImages": []any{[]any{"uuid", 1, "P"}, map[string]any{"path": 5}}, "processByPid": []any{1},
			"processes": map[string]any{"a": 1}, "parentPid": map[string]any{}, "userID": 1.5e3,
			"procLaunch": 5, "captureTime": "yesterday",
		}, false)), BodyJSON,
			Crash{ProcName: "7", PID: 12, ParentPID: -1, UserID: 1500, TerminationCode: -1},
			"", nil, []string{"5"}, []string{"7"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Parse(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Body != tc.body || (rep.BodyErr != nil) != tc.bodyErr {
				t.Errorf("body %s, err %v", rep.Body, rep.BodyErr)
			}
			if diff := cmp.Diff(tc.crash, rep.Crash, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("crash (-want +got):\n%s", diff)
			}
			if rep.Reason != tc.reason {
				t.Errorf("reason %q", rep.Reason)
			}
			if diff := cmp.Diff(tc.processes, rep.Processes, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.images, rep.ImagePaths, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("images (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.names, rep.Names(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if paths := rep.Paths(); len(paths) > 0 && tc.crash.ProcPath != "" && paths[0] != tc.crash.ProcPath {
				t.Errorf("paths %v", paths)
			}
		})
	}
}

func TestNamesIncludeHeader(t *testing.T) {
	rep, err := Parse(strings.NewReader(report(crashHeader(), mustJSON(crashBody(), true))))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ChatApp", "launchd", "com.example.chat"}
	if diff := cmp.Diff(want, rep.Names()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{chatPath, "/usr/lib/system/libsystem_kernel.dylib"}, rep.Paths()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestNoHeader(t *testing.T) {
	tests := []struct {
		name, in string
		body     BodyKind
	}{
		{"empty", "", BodyNone},
		{"legacy text only", textBody, BodyText},
		{"array on line 1", "[1,2]\n{}", BodyUnknown},
		{"broken header", "{\"bug_type\":\n", BodyUnknown},
		// Without a header the whole file is the body, here one JSON object.
		{"header too long", "{\"a\":\"" + strings.Repeat("x", MaxHeaderLen) + "\"}\n", BodyJSON},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Parse(strings.NewReader(tc.in))
			if !errors.Is(err, ErrNoHeader) || !strings.Contains(err.Error(), "line 1") {
				t.Fatalf("err = %v", err)
			}
			if rep.Body != tc.body {
				t.Errorf("body %s (%v)", rep.Body, rep.BodyErr)
			}
		})
	}
	rep, _ := Parse(strings.NewReader(textBody))
	if rep.Crash.ProcName != "MobileSafari" {
		t.Errorf("legacy body not read: %+v", rep.Crash)
	}
}

func TestLimits(t *testing.T) {
	big := report(map[string]any{"bug_type": "288"}, `{"procName":"x","pad":"`+strings.Repeat("a", MaxSize)+`"}`)
	rep, err := Parse(strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Truncated || rep.Body != BodyUnknown || rep.BodyErr == nil || rep.Header.BugType != "288" {
		t.Errorf("truncated %v, body %s, err %v", rep.Truncated, rep.Body, rep.BodyErr)
	}
	procs := map[string]any{}
	for i := range MaxNames + 10 {
		procs[strconv.Itoa(i)] = map[string]any{"procname": "p" + strconv.Itoa(i)}
	}
	rep, err = Parse(strings.NewReader(report(map[string]any{}, mustJSON(map[string]any{"processByPid": procs}, false))))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Processes) != MaxNames || rep.Dropped != 10 {
		t.Errorf("%d processes, %d dropped", len(rep.Processes), rep.Dropped)
	}
	bom, err := Parse(strings.NewReader("\xef\xbb\xbf" + report(map[string]any{"bug_type": "309"}, "")))
	if err != nil || bom.Header.BugType != "309" {
		t.Errorf("BOM: %v %+v", err, bom.Header)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestReadError(t *testing.T) {
	if _, err := Parse(failingReader{}); err == nil || errors.Is(err, ErrNoHeader) {
		t.Errorf("err = %v", err)
	}
}
