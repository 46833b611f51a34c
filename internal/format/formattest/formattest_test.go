package formattest

import (
	"fmt"
	"io"
	"testing"
)

func TestLineSource(t *testing.T) {
	r := LineSource(25, func(i int, b []byte) []byte { return fmt.Appendf(b, "line %d\n", i) })
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := "line 0\nline 1\nline 2\nline"; string(got) != want {
		t.Errorf("got %q, want %q (cut at 25 bytes)", got, want)
	}
}

func TestSeedFile(t *testing.T) {
	got := string(SeedFile([]byte("a\x00"), "b\"c"))
	want := "go test fuzz v1\n[]byte(\"a\\x00\")\nstring(\"b\\\"c\")\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
