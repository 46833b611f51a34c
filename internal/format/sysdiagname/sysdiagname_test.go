package sysdiagname

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in               string
		local                  string // 2006-01-02T15:04:05 of Time's wall clock
		offset                 int
		platform, model, build string
		inProgress             bool
		utc                    string
	}{
		{"archive", "sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349.tar.gz",
			"2023-05-24T13:29:15", -7 * 3600, "iPhone-OS", "iPhone", "19H349", false, "2023-05-24T20:29:15Z"},
		{"folder", "sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349",
			"2023-05-24T13:29:15", -7 * 3600, "iPhone-OS", "iPhone", "19H349", false, "2023-05-24T20:29:15Z"},
		{"path and east offset", "/cases/a/sysdiagnose_2026.03.14_14-57-07+0800_iPhone-OS_iPad_23D8133.tar.gz",
			"2026-03-14T14:57:07", 8 * 3600, "iPhone-OS", "iPad", "23D8133", false, "2026-03-14T06:57:07Z"},
		{"half-hour offset", "sysdiagnose_2024.01.01_00-10-00+0530_iPhone-OS_iPhone_21C66.tgz",
			"2024-01-01T00:10:00", 5*3600 + 1800, "iPhone-OS", "iPhone", "21C66", false, "2023-12-31T18:40:00Z"},
		{"negative half-hour offset", "sysdiagnose_2024.01.01_00-10-00-0330_iPhone-OS_iPhone_21C66",
			"2024-01-01T00:10:00", -(3*3600 + 1800), "iPhone-OS", "iPhone", "21C66", false, "2024-01-01T03:40:00Z"},
		{"macOS with beta build", "sysdiagnose_2023.08.31_15-16-10-0600_macOS_MacBookPro18-2_23A5328b.tar.gz",
			"2023-08-31T15:16:10", -6 * 3600, "macOS", "MacBookPro18-2", "23A5328b", false, "2023-08-31T21:16:10Z"},
		{"in progress", "IN_PROGRESS_sysdiagnose_2023.08.02_21-01-23-0400_iPhone-OS_iPhone_20A392.tmp",
			"2023-08-02T21:01:23", -4 * 3600, "iPhone-OS", "iPhone", "20A392", true, "2023-08-03T01:01:23Z"},
		{"watch", "sysdiagnose_2025.10.01_01-27-00-0700_Watch-OS_Watch_22U90",
			"2025-10-01T01:27:00", -7 * 3600, "Watch-OS", "Watch", "22U90", false, "2025-10-01T08:27:00Z"},
		{"underscore in model", "sysdiagnose_2025.10.01_01-27-00+0000_iPhone-OS_Odd_Model_22U90",
			"2025-10-01T01:27:00", 0, "iPhone-OS", "Odd_Model", "22U90", false, "2025-10-01T01:27:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := n.Time.Format("2006-01-02T15:04:05"); got != tc.local {
				t.Errorf("local %s, want %s", got, tc.local)
			}
			if got := n.Time.UTC().Format(time.RFC3339); got != tc.utc {
				t.Errorf("utc %s, want %s", got, tc.utc)
			}
			if _, off := n.Time.Zone(); off != tc.offset || n.Offset != tc.offset {
				t.Errorf("offset %d/%d, want %d", off, n.Offset, tc.offset)
			}
			if n.Platform != tc.platform || n.Model != tc.model || n.Build != tc.build || n.InProgress != tc.inProgress {
				t.Errorf("got %+v", n)
			}
			if n.Zone() != n.Time.Location() {
				t.Error("Zone is not the time's location")
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"sysdiagnose",
		"diagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023.05.24_13-29-15",
		"sysdiagnose_2023.05.24_13-29-15-0700",
		"sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone",
		"sysdiagnose_2023.05.24_13-29-15-0700__iPhone_19H349",
		"sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_",
		"sysdiagnose_2023.02.30_13-29-15-0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023.13.01_13-29-15-0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023.05.24_24-29-15-0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023.05.24_13-29-15*0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023.05.24_13-29-15-1575_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023-05-24_13-29-15-0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_+023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349",
		"sysdiagnose_2023.05.24_13-29-15-0700XiPhone-OS_iPhone_19H349",
	} {
		if n, err := Parse(in); !errors.Is(err, ErrNotName) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrNotName", in, n, err)
		}
	}
}

func TestFromLog(t *testing.T) {
	const name = "sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349"
	tests := []struct {
		name, log, marker string
		line              int
	}{
		{"in progress path",
			"Starting sysdiagnose\nOutput: /private/var/mobile/Library/Logs/CrashReporter/DiagnosticLogs/sysdiagnose/IN_PROGRESS_" + name + ".tmp/ps.txt\n",
			"IN_PROGRESS_sysdiagnose_", 2},
		{"spindump path",
			"x\ny\n/usr/sbin/spindump -file /tmp/spindump_" + name + "_/spindump.txt\n",
			"spindump_sysdiagnose_", 3},
		{"strong marker wins over an earlier plain name",
			"archive " + name + ".tar.gz\r\nIN_PROGRESS_" + name + ".tmp\r\n",
			"IN_PROGRESS_sysdiagnose_", 2},
		{"plain name only", "Archive: /var/tmp/" + name + ".tar.gz", "sysdiagnose_", 1},
		{"bad stamp skipped", "IN_PROGRESS_sysdiagnose_2023.99.24_13-29-15-0700_x\nspindump_" + name, "spindump_sysdiagnose_", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := FromLog(strings.NewReader(tc.log))
			if err != nil {
				t.Fatal(err)
			}
			if s.Marker != tc.marker || s.Line != tc.line || s.Offset != -7*3600 {
				t.Errorf("got %+v", s)
			}
			if got := s.Time.UTC().Format(time.RFC3339); got != "2023-05-24T20:29:15Z" {
				t.Errorf("time %s", got)
			}
		})
	}
}

func TestFromLogMissing(t *testing.T) {
	for _, in := range []string{"", "\n\n", "sysdiagnose_ nothing here", strings.Repeat("a", 3*MaxLineLen) + "IN_PROGRESS_sysdiagnose_2023.05.24_13-29-15-0700_a_b_c"} {
		if s, err := FromLog(strings.NewReader(in)); !errors.Is(err, ErrNoStamp) {
			t.Errorf("FromLog(%.40q) = %+v, %v; want ErrNoStamp", in, s, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestFromLogReadError(t *testing.T) {
	_, err := FromLog(failingReader{})
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("err = %v", err)
	}
}
