package plistsafe

import (
	"bytes"
	"errors"
	"testing"

	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

func TestCheckBinary(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"valid", plisttest.Binary(0, plisttest.ASCII("ok")), nil},
		{"shared below the limit", plisttest.SharedArrays(19), nil},
		{"shared above the limit", plisttest.SharedArrays(20), ErrLimit},
		{"nested to the limit", plisttest.DeepBinary(MaxDepth), nil},
		{"nested too deep", plisttest.DeepBinary(MaxDepth + 1), ErrLimit},
		{"array holds itself", plisttest.Binary(0, plisttest.Array(0)), ErrCycle},
		{"reference out of range", plisttest.Binary(0, plisttest.Array(7)), ErrMalformed},
		{"truncated", []byte("bplist00\x00"), ErrInvalid},
		{"long count past the objects", plisttest.Binary(0, plisttest.Object{0xAF}), ErrMalformed},
		{"long count too wide", plisttest.Binary(0, plisttest.Object{0xAF, 0x14, 0, 0}), ErrMalformed},
		{"count overruns", plisttest.Binary(0, plisttest.Object{0xAF, 0x10, 0x7F}), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkBinary(tt.data); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Errorf("checkBinary error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckBinaryTrailer(t *testing.T) {
	valid := plisttest.Binary(0, plisttest.ASCII("ok"))
	// Each case corrupts one trailer byte of the valid plist.
	tests := []struct {
		name  string
		index int // from the end of the data
		value byte
	}{
		{"offset size 0", 26, 0},
		{"offset size 9", 26, 9},
		{"reference size 0", 25, 0},
		{"too many objects", 17, 200},
		{"top out of range", 9, 5},
		{"table in header", 1, 3},
		{"table past trailer", 1, 250},
		{"object in header", 32 + 1, 2},
		{"object in the table", 32 + 1, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bytes.Clone(valid)
			b[len(b)-tt.index] = tt.value
			if err := checkBinary(b); !errors.Is(err, ErrMalformed) {
				t.Errorf("checkBinary error = %v, want ErrMalformed", err)
			}
		})
	}
}
