package ios

import (
	"errors"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestGlobalPreferences(t *testing.T) {
	on, off := true, false
	tests := []struct {
		name     string
		build    func(*fixture.Backup) error
		wantErr  error
		state    string
		severity string // "" for no detection
	}{
		{"enabled", func(b *fixture.Backup) error { return fixture.GlobalPreferences(b, &on) }, nil, LockdownEnabled, "info"},
		{"disabled", func(b *fixture.Backup) error { return fixture.GlobalPreferences(b, &off) }, nil, LockdownDisabled, "low"},
		{"never set", func(b *fixture.Backup) error { return fixture.GlobalPreferences(b, nil) }, nil, LockdownNotSet, ""},
		{"number", func(b *fixture.Backup) error {
			return b.Plist("HomeDomain", fixture.GlobalPreferencesPath, map[string]any{"LDMGlobalEnabled": int64(1)})
		}, nil, LockdownEnabled, "info"},
		{"odd type", func(b *fixture.Backup) error {
			return b.Plist("HomeDomain", fixture.GlobalPreferencesPath, map[string]any{"LDMGlobalEnabled": "yes"})
		}, nil, LockdownUnknown, ""},
		{"absent", func(*fixture.Backup) error { return nil }, module.ErrNoData, "", ""},
		{"random bytes", func(b *fixture.Backup) error {
			b.File("HomeDomain", fixture.GlobalPreferencesPath, []byte("bplist00\xff\xfe"))
			return nil
		}, errors.New("any"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := tt.build(b); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewGlobalPreferences(), moduletest.OpenBackup(t, b))
			if tt.wantErr != nil {
				if res.Err == nil || tt.wantErr == module.ErrNoData && !errors.Is(res.Err, module.ErrNoData) {
					t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
				}
				return
			}
			if res.Err != nil || len(res.Records) != 1 {
				t.Fatalf("err %v, records %d", res.Err, len(res.Records))
			}
			if r := res.Records[0].(GlobalPreferencesRecord); r.LockdownMode != tt.state {
				t.Errorf("lockdown_mode = %q, want %q", r.LockdownMode, tt.state)
			}
			var got string
			if len(res.Detections) == 1 {
				got = res.Detections[0].Severity.String()
			}
			if got != tt.severity || len(res.Detections) > 1 {
				t.Errorf("detections = %+v, want severity %q", res.Detections, tt.severity)
			}
			if len(res.Events()) != 0 || len(res.Observables()) != 0 {
				t.Errorf("events %v, observables %v", res.Events(), res.Observables())
			}
		})
	}
}
