package timestamp

import (
	"testing"
	"time"
)

func TestChrome(t *testing.T) {
	tests := []struct {
		name string
		us   int64
		want time.Time
	}{
		{"unix epoch", 11644473600000000, time.Time{}},
		{"a visit", 13355555555123456, time.Date(2024, 3, 22, 4, 32, 35, 123456000, time.UTC)},
		{"zero", 0, time.Time{}},
		{"negative", -5, time.Time{}},
		{"past year 9999", 1 << 62, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Chrome(tt.us)
			if !got.Equal(tt.want) || (!got.IsZero() && got.Location() != time.UTC) {
				t.Errorf("Chrome(%d) = %v, want %v", tt.us, got, tt.want)
			}
		})
	}
}

func TestChromeRoundTrip(t *testing.T) {
	want := time.Date(2026, 3, 14, 9, 26, 53, 654321000, time.UTC)
	if got := Chrome(ToChrome(want)); !got.Equal(want) {
		t.Errorf("round trip = %v, want %v", got, want)
	}
	if ToChrome(time.Time{}) != 0 {
		t.Error("zero time must give 0")
	}
}
