package ios

import (
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestBackupInfo(t *testing.T) {
	tests := []struct {
		name      string
		version   string
		wantAlert bool
	}{
		{"current iOS", newestIOS, false},
		{"newer than Vigil knows", "99.0", false},
		{"outdated iOS", "16.7.2", true},
		{"two-digit minor compares numerically", "9.10", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.Info["Product Version"] = tt.version
			b.Info["Installed Applications"] = []string{"com.example.a", "com.example.b"}
			res := moduletest.Run(t, NewBackupInfo(), moduletest.OpenBackup(t, b))
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if len(res.Records) != 1 {
				t.Fatalf("records = %d, want 1", len(res.Records))
			}
			rec := res.Records[0].(DeviceRecord)
			if rec.ProductVersion != tt.version || rec.InstalledApps != 2 || rec.ProductType != "iPhone14,2" {
				t.Errorf("record = %+v", rec)
			}
			if got := len(res.Detections) == 1; got != tt.wantAlert {
				t.Errorf("outdated alert = %v, want %v", got, tt.wantAlert)
			}
			if tt.wantAlert && res.Detections[0].Severity != module.Low {
				t.Errorf("severity = %v", res.Detections[0].Severity)
			}
			if len(res.Events()) != 1 || !res.Events()[0].Time.Equal(fixture.Epoch) {
				t.Errorf("events = %+v", res.Events())
			}
		})
	}
}
