package timestamp

import (
	"testing"
	"time"
)

func TestConversions(t *testing.T) {
	ref := time.Date(2019, 8, 29, 23, 13, 30, 0, time.UTC)
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"mac seconds", MacAbsolute(588813210), ref},
		{"mac seconds fraction", MacAbsolute(588813210.5), ref.Add(500 * time.Millisecond)},
		{"mac zero is unknown", MacAbsolute(0), time.Time{}},
		{"mac negative is unknown", MacAbsolute(-5), time.Time{}},
		{"mac nanoseconds given as seconds is unknown", MacAbsolute(588813210539788032), time.Time{}},
		{"auto nanoseconds", MacAbsoluteAuto(588813210539788032), ref.Add(539788032)},
		{"auto seconds", MacAbsoluteAuto(588813210), ref},
		{"auto zero", MacAbsoluteAuto(0), time.Time{}},
		{"unix", Unix(1567120410), ref},
		{"unix zero", Unix(0), time.Time{}},
		{"round trip", MacAbsolute(ToMacAbsolute(ref.Add(1500 * time.Microsecond))), ref.Add(1500 * time.Microsecond)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.got.Equal(tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
			if !tt.got.IsZero() && tt.got.Location() != time.UTC {
				t.Errorf("not UTC: %v", tt.got.Location())
			}
		})
	}
}
