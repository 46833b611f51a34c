package report

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/scan"
	"github.com/vigil-project/vigil/internal/timeline"
)

func TestWriteTimelineDialect(t *testing.T) {
	var b strings.Builder
	evs := []timeline.Event{
		{Time: time.Date(2024, 2, 1, 9, 31, 10, 123456000, time.UTC), Module: "ios/sms", Event: "sms_received",
			Description: `said "hi" \ bye` + "\nline two"},
		{Module: "ios/manifest", Event: "x", Description: "no time"},
	}
	if err := WriteTimeline(&b, eventsOf(evs)); err != nil {
		t.Fatal(err)
	}
	want := "\"UTC Timestamp\",\"Plugin\",\"Event\",\"Description\"\r\n" +
		"\"2024-02-01 09:31:10.123456\",\"sms\",\"sms_received\",\"said \"\"hi\"\" \\\\ bye\nline two\"\r\n" +
		"\"\",\"manifest\",\"x\",\"no time\"\r\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestPrepareFolder(t *testing.T) {
	root := t.TempDir()
	fresh := filepath.Join(root, "a", "b")
	if err := PrepareFolder(fresh, false); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o700 {
		t.Errorf("mode = %v, want 0700", st.Mode().Perm())
	}
	os.WriteFile(filepath.Join(fresh, "old.json"), []byte("x"), 0o600)
	if err := PrepareFolder(fresh, false); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("non-empty folder: err = %v, want ErrNotEmpty", err)
	}
	if err := PrepareFolder(fresh, true); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(fresh); len(entries) != 0 {
		t.Errorf("force left %d entries", len(entries))
	}
}

type rec struct {
	URL string `json:"url"`
}

func (rec) Events() []timeline.Event      { return nil }
func (rec) Observables() []ioc.Observable { return nil }

func TestRecordStream(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		dir := t.TempDir()
		w, err := Folder{Dir: dir}.Records("ios/safari_history")
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			w.Write(rec{URL: strings.Repeat("u", i)})
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "safari_history.json"))
		if err != nil {
			t.Fatal(err)
		}
		var got []rec
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("%d records: invalid JSON %q: %v", n, data, err)
		}
		if len(got) != n {
			t.Errorf("got %d records, want %d", len(got), n)
		}
		if st, _ := os.Stat(filepath.Join(dir, "safari_history.json")); st.Mode().Perm() != 0o600 {
			t.Errorf("mode = %v, want 0600", st.Mode().Perm())
		}
	}
}

func TestSummaryStatuses(t *testing.T) {
	var b strings.Builder
	res := &scan.Result{Modules: []scan.ModuleResult{
		{Name: "ios/sms", Status: scan.StatusOK, Records: 3},
		{Name: "ios/safari_history", Status: scan.StatusNoData},
		{Name: "ios/datausage", Status: scan.StatusFailed, Errors: []string{"crashed: boom"}},
		{Name: "ios/tcc", Status: scan.StatusPartial, Records: 1, Errors: []string{"row 3 unreadable"}},
	}}
	WriteSummary(&b, SummaryInput{Result: res, Run: Run{Version: "test"}})
	out := b.String()
	for _, want := range []string{
		"Modules: 3 of 4 found data.", "datausage failed: crashed: boom", "tcc partial: row 3 unreadable",
		"not in this acquisition: safari_history", "no indicators loaded: only heuristics ran", Caveat,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
