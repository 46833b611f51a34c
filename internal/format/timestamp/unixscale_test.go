package timestamp

import (
	"testing"
	"time"
)

func TestUnixScaled(t *testing.T) {
	want := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC) // 1700000000
	for _, v := range []float64{1700000000, 1700000000e3, 1700000000e6} {
		if got := UnixAuto(v); !got.Equal(want) {
			t.Errorf("UnixAuto(%v) = %v, want %v", v, got, want)
		}
	}
	if got := UnixMicro(1700000000e6 + 250); !got.Equal(want.Add(250 * time.Microsecond)) {
		t.Errorf("UnixMicro = %v", got)
	}
	for _, v := range []float64{0, -1} {
		if !UnixAuto(v).IsZero() || !UnixMicro(v).IsZero() {
			t.Errorf("%v must be unknown", v)
		}
	}
}
