package pstxt

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Invented listings in the shape iOS writes them (column widths as ps pads them).
const (
	psOld = `USER             UID   PID  PPID  %CPU %MEM PRI NI      VSZ    RSS WCHAN    TT  STAT STARTED      TIME COMMAND
root               0     1     0   0.0  0.4  37  0  4226848   8912 -        ??  Ss   14Jan19   7:27.40 /sbin/launchd
mobile           501   344     1   0.0  0.5  31  0  4307376  10264 -        ??  Ss    7:56AM   0:01.02 /usr/sbin/mediaserverd
`
	psNew = `USER  UID PRSNA   PID  PPID        F  %CPU %MEM PRI NI      VSZ    RSS WCHAN    TT  STAT STARTED      TIME COMMAND
root    0     -     1     0     4004   0.0  0.0   0  0        0      0 -        ??  ?s   Tue09PM   0:00.00 /sbin/launchd
mobile 501 1000   344     1  4004044   0.0  0.0   0  0        0      0 -        ??  ?s    7:56AM   0:00.00 /var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/Signal
root     0   99   345   344  4004004   0.0  0.0   0  0        0      0 -        ??  ?     7:56AM   0:00.00 /var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/mussel dGNwOi8vMTAuMC4wLjE6OTk5OQ==
mobile 501 1000   400     1  4004044   0.0  0.0   0  0        0      0 -        ??  ?s    7:57AM 12345:00.00 /private/var/containers/Bundle/Application/0E17174C-14FA-43BE-84F9-73F1A1786879/My App.app/My App --launched-by springboard
`
	psThread = `USER             PID   TT   %CPU STAT PRI     STIME     UTIME COMMAND  PPID        F %MEM PRI NI      VSZ    RSS WCHAN  STARTED      TIME COMMAND
root               1   ??    0.0 S    31T   0:00.00   0:00.00 /sbin/l     0   104004  0.7 31T  0 407931472  13728 -       1:25PM   0:02.37 /sbin/launchd
                   1         0.0 S    37T   0:00.00   0:00.08             0   104004  0.7 37T  0 407931472  13728 -       1:25PM   0:02.37
                   1         0.1 R    31T   0:00.01   0:00.09             0   104004  0.7 31T  0 407931472  13728 -       1:25PM   0:02.37
mobile           402   ??    0.0 S    47T   0:00.00   0:00.17 My App     1  4004004  0.9 47T  0 407965120  18224 -       1:25PM   0:00.38 My App --flag
                 402         0.0 S    31T   0:00.00   0:00.01             1  4004004  0.9 31T  0 407965120  18224 -       1:25PM   0:00.38
root             300 s000    0.0 S    31T   0:00.00   0:00.08 -zsh      298  4004006  0.1 31T  0 407919648   2640 -       1:27PM   0:00.08 -zsh
`
)

func parseAll(t *testing.T, s string) ([]Process, Stats) {
	t.Helper()
	var out []Process
	st, err := Parse(strings.NewReader(s), func(p Process) error { out = append(out, p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// brief is what the tests compare: the typed fields and the thread count.
type brief struct {
	Line                      int
	User                      string
	UID, PID, PPID            int64
	Stat, Started, Time       string
	Command, Executable, Args string
	Threads                   int
}

func briefs(ps []Process) []brief {
	var out []brief
	for _, p := range ps {
		out = append(out, brief{p.Line, p.User, p.UID, p.PID, p.PPID, p.Stat, p.Started, p.Time,
			p.Command, p.Executable, p.Args, len(p.Threads)})
	}
	return out
}

func TestParse(t *testing.T) {
	const signal = "/var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/"
	const myApp = "/private/var/containers/Bundle/Application/0E17174C-14FA-43BE-84F9-73F1A1786879/My App.app/My App"
	tests := []struct {
		name, in string
		want     []brief
		threads  bool
	}{
		{"before iOS 16", psOld, []brief{
			{2, "root", 0, 1, 0, "Ss", "14Jan19", "7:27.40", "/sbin/launchd", "/sbin/launchd", "", 0},
			{3, "mobile", 501, 344, 1, "Ss", "7:56AM", "0:01.02", "/usr/sbin/mediaserverd", "/usr/sbin/mediaserverd", "", 0},
		}, false},
		{"iOS 16 and later", psNew, []brief{
			{2, "root", 0, 1, 0, "?s", "Tue09PM", "0:00.00", "/sbin/launchd", "/sbin/launchd", "", 0},
			{3, "mobile", 501, 344, 1, "?s", "7:56AM", "0:00.00", signal + "Signal", signal + "Signal", "", 0},
			{4, "root", 0, 345, 344, "?", "7:56AM", "0:00.00", signal + "mussel dGNwOi8vMTAuMC4wLjE6OTk5OQ==", signal + "mussel", "dGNwOi8vMTAuMC4wLjE6OTk5OQ==", 0},
			{5, "mobile", 501, 400, 1, "?s", "7:57AM", "12345:00.00", myApp + " --launched-by springboard", myApp, "--launched-by springboard", 0},
		}, false},
		{"other columns, CRLF, blank lines", "\r\n  PID COMMAND   \r\n\r\n  7 /usr/libexec/x -a b\r\n", []brief{
			{4, "", -1, 7, -1, "", "", "", "/usr/libexec/x -a b", "/usr/libexec/x", "-a b", 0},
		}, false},
		{"threads", psThread, []brief{
			{2, "root", -1, 1, 0, "S", "1:25PM", "0:02.37", "/sbin/launchd", "/sbin/launchd", "", 2},
			{5, "mobile", -1, 402, 1, "S", "1:25PM", "0:00.38", "My App --flag", "My", "App --flag", 1},
			{7, "root", -1, 300, 298, "S", "1:27PM", "0:00.08", "-zsh", "-zsh", "", 0},
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := parseAll(t, tc.in)
			if diff := cmp.Diff(tc.want, briefs(got)); diff != "" {
				t.Errorf("processes (-want +got):\n%s", diff)
			}
			if st.Skipped != 0 || st.Processes != len(tc.want) || st.Header.Threads != tc.threads {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestThreadsAndFields(t *testing.T) {
	got, st := parseAll(t, psThread)
	want := []Thread{
		{Line: 3, CPU: "0.0", Stat: "S", Pri: "37T", STime: "0:00.00", UTime: "0:00.08"},
		{Line: 4, CPU: "0.1", Stat: "R", Pri: "31T", STime: "0:00.01", UTime: "0:00.09"},
	}
	if diff := cmp.Diff(want, got[0].Threads, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("threads (-want +got):\n%s", diff)
	}
	if st.Threads != 3 {
		t.Errorf("thread rows %d", st.Threads)
	}
	for name, want := range map[string]string{"TT": "??", "%MEM": "0.7", "VSZ": "407931472", "PRI": "31T", "COMMAND": "/sbin/launchd"} {
		if v, ok := got[0].Field(name); !ok || v != want {
			t.Errorf("Field(%q) = %q, %v; want %q", name, v, ok, want)
		}
	}
	if v, ok := got[0].Field("NOPE"); ok || v != "" {
		t.Errorf("Field(NOPE) = %q, %v", v, ok)
	}
	if _, ok := (Process{}).Field("PID"); ok {
		t.Error("zero Process has fields")
	}
}

func TestMalformedRows(t *testing.T) {
	const hdr = "USER UID PID PPID TIME COMMAND\n"
	tests := []struct {
		name, in     string
		pids         []int64
		skipped      int
		firstSkipped int
	}{
		{"too few columns", hdr + "root 0 1 0 0:01.00 /sbin/launchd\nroot 0 2\n", []int64{1}, 1, 3},
		{"PID not a number", hdr + "root 0 x 0 0:01.00 /a\nroot 0 3 0 0:01.00 /b\n", []int64{3}, 1, 2},
		{"missing value shifts the row", hdr + "root 0 5 0:01.00 /private/var/tmp/bh --flag\n", nil, 1, 2},
		{"bad time", hdr + "root 0 5 1 soon /a\n", nil, 1, 2},
		{"binary noise", hdr + "\x00\xff\xfe\n\troot 0 6 1 0:00.00 /ok\n", []int64{6}, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := parseAll(t, tc.in)
			var pids []int64
			for _, p := range got {
				pids = append(pids, p.PID)
			}
			if !cmp.Equal(pids, tc.pids, cmpopts.EquateEmpty()) || st.Skipped != tc.skipped || st.FirstSkipped != tc.firstSkipped {
				t.Errorf("pids %v, stats %+v; want %v, %d skipped from line %d", pids, st, tc.pids, tc.skipped, tc.firstSkipped)
			}
		})
	}
}

func TestMalformedThreads(t *testing.T) {
	lines := strings.Split(psThread, "\n")
	hdr, proc, thr := lines[0], lines[1], lines[2]
	tests := []struct {
		name, in string
		threads  int
		skipped  int
	}{
		{"orphan thread before any process", hdr + "\n" + thr + "\n" + proc + "\n", 0, 1},
		{"thread of another pid", hdr + "\n" + proc + "\n" + strings.Replace(thr, "   1   ", "   9   ", 1) + "\n", 0, 1},
		{"short thread row", hdr + "\n" + proc + "\n      1   0.0 S\n", 0, 1},
		{"long thread row", hdr + "\n" + proc + "\n" + thr + " extra\n", 0, 1},
		{"bad thread value", hdr + "\n" + proc + "\n" + strings.Replace(thr, "0:00.08", "later", 1) + "\n", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := parseAll(t, tc.in)
			if len(got) != 1 || len(got[0].Threads) != tc.threads || st.Skipped != tc.skipped {
				t.Errorf("got %d processes, stats %+v", len(got), st)
			}
		})
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct{ name, in, line string }{
		{"empty", "", "empty"},
		{"blank only", "\n \n", "empty"},
		{"no COMMAND", "USER PID TIME\nroot 1 0:00.00\n", "line 1"},
		{"COMMAND not last", "\nUSER COMMAND PID\n", "line 2"},
		{"no PID", "USER COMMAND\n", "line 1"},
		{"a process row first", "root 0 1 0 /sbin/launchd\n", "line 1"},
		{"lower case", "user pid command\n", "line 1"},
		{"two inner COMMANDs", "PID COMMAND COMMAND COMMAND\n", "line 1"},
		{"too many columns", "PID " + strings.Repeat("X ", MaxColumns) + "COMMAND\n", "line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in), func(Process) error { t.Fatal("called"); return nil })
			if !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), tc.line) {
				t.Errorf("err = %v, want ErrHeader naming %q", err, tc.line)
			}
		})
	}
}

func TestLongLineAndCallbackError(t *testing.T) {
	long := "USER PID COMMAND\nroot 1 /usr/bin/x " + strings.Repeat("a", 2*MaxLineLen) + "\nroot 2 /b\n"
	got, st := parseAll(t, long)
	if len(got) != 2 || !got[0].Truncated || got[1].Truncated || st.Truncated != 1 || got[0].Executable != "/usr/bin/x" {
		t.Errorf("stats %+v, first truncated %v", st, len(got) > 0 && got[0].Truncated)
	}
	if n := len(got[0].Command); n > MaxLineLen {
		t.Errorf("command of %d bytes", n)
	}
	stop := errors.New("stop")
	_, err := Parse(strings.NewReader(psOld), func(Process) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("err = %v", err)
	}
}

type failingReader struct{ data string }

func (f *failingReader) Read(b []byte) (int, error) {
	if f.data == "" {
		return 0, errors.New("disk gone")
	}
	n := copy(b, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadError(t *testing.T) {
	_, err := Parse(&failingReader{data: "PID COMMAND\n1 /a\n"}, func(Process) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v", err)
	}
}
