package ios

import (
	"errors"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

var tri0 = time.Date(2023, 3, 1, 4, 10, 0, 0, time.UTC)

func setTimes(t *fixture.Times, m, c, b time.Time) { t.Modified, t.Changed, t.Birth = m, c, b }

func TestTriangulationWindows(t *testing.T) {
	far := tri0.Add(-240 * time.Hour)
	tests := []struct {
		name    string
		build   func(b *fixture.Backup)
		windows int
	}{
		{"attachment folder and ImageIO change together", func(b *fixture.Backup) {
			setTimes(b.Dir("MediaDomain", "Library/SMS/Attachments/4c"), tri0, tri0.Add(2*time.Second), far)
			setTimes(b.File("RootDomain", "Library/Preferences/com.apple.ImageIO.plist", []byte("x")), tri0.Add(40*time.Second), far, far)
		}, 1},
		{"folder shows M without C: ordinary", func(b *fixture.Backup) {
			setTimes(b.Dir("MediaDomain", "Library/SMS/Attachments/4c"), tri0, far, far)
			setTimes(b.File("RootDomain", "Library/Preferences/com.apple.ImageIO.plist", []byte("x")), tri0.Add(40*time.Second), far, far)
		}, 0},
		{"a real attachment in the window: ordinary message traffic", func(b *fixture.Backup) {
			setTimes(b.Dir("MediaDomain", "Library/SMS/Attachments/4c"), tri0, tri0, far)
			setTimes(b.Dir("MediaDomain", "Library/SMS/Attachments/4c/12"), tri0, tri0, far)
			setTimes(b.File("MediaDomain", "Library/SMS/Attachments/4c/12/IMG_1.heic", []byte("x")), tri0.Add(time.Second), far, far)
			setTimes(b.File("RootDomain", "Library/Preferences/com.apple.ImageIO.plist", []byte("x")), tri0.Add(40*time.Second), far, far)
		}, 0},
		{"more than five minutes apart", func(b *fixture.Backup) {
			setTimes(b.Dir("MediaDomain", "Library/SMS/Attachments/4c"), tri0, tri0, far)
			setTimes(b.File("RootDomain", "Library/Preferences/com.apple.ImageIO.plist", []byte("x")), tri0.Add(301*time.Second), far, far)
		}, 0},
		{"network use by nehelper next to a location stop", func(b *fixture.Backup) {
			fixture.OSAnalyticsADDaily(b, map[string]fixture.ADDailyUsage{"nehelper": {Date: tri0, WWANIn: 10}})
			fixture.LocationdClients(b, []fixture.LocationdClient{{Key: "com.apple.locationd.bundle-/System/Library/LocationBundles/IonosphereHarvest.bundle",
				Times: map[string]time.Time{"LocationTimeStopped": tri0.Add(time.Minute)}}})
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			tt.build(b)
			res := moduletest.Run(t, NewTriangulation(), moduletest.OpenBackup(t, b))
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if len(res.Records) != tt.windows || len(res.Detections) != tt.windows {
				t.Errorf("windows %d, detections %d, want %d", len(res.Records), len(res.Detections), tt.windows)
			}
			for _, d := range res.Detections {
				if d.Severity != module.Medium || d.Reference == "" || d.Time.IsZero() {
					t.Errorf("detection = %+v", d)
				}
			}
		})
	}
}

func TestTriangulationBackupAgent(t *testing.T) {
	b := fixture.NewBackup()
	fixture.OSAnalyticsADDaily(b, map[string]fixture.ADDailyUsage{"BackupAgent": {Date: tri0, WWANOut: 1 << 20}})
	fixture.DataUsage(b, []fixture.DataUsageProcess{{ID: 1, Name: "BackupAgent", First: tri0, Last: tri0}}, nil, fixture.DataUsageOptions{})
	res := moduletest.Run(t, NewTriangulation(), moduletest.OpenBackup(t, b))
	high := 0
	for _, d := range res.Detections {
		if d.Severity == module.High && d.Evidence == "BackupAgent" {
			high++
		}
	}
	if high != 2 {
		t.Errorf("BackupAgent detections = %d, want 2 (DataUsage and analytics): %+v", high, res.Detections)
	}
}

func TestTriangulationNoData(t *testing.T) {
	res := moduletest.Run(t, NewTriangulation(), moduletest.OpenBackup(t, fixture.NewBackup()))
	if !errors.Is(res.Err, module.ErrNoData) {
		t.Errorf("err = %v, want ErrNoData", res.Err)
	}
}
