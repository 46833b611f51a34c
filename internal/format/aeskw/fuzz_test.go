package aeskw

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points (a KEK and a wrapped key each); they
// are also checked in under testdata/fuzz/FuzzUnwrap.
func seeds(t testing.TB) map[string][2][]byte {
	out := map[string][2][]byte{}
	for i, v := range rfc3394Vectors {
		out[fmt.Sprintf("rfc3394-4.%d", i+1)] = [2][]byte{unhex(t, v.kek), unhex(t, v.wrapped)}
	}
	out["short"] = [2][]byte{unhex(t, kek128), make([]byte, 16)}
	out["odd-length"] = [2][]byte{unhex(t, kek256), make([]byte, 41)}
	out["bad-kek"] = [2][]byte{[]byte("short"), make([]byte, 40)}
	return out
}

func FuzzUnwrap(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, kek, wrapped []byte) {
		out, err := Unwrap(kek, wrapped)
		if err != nil {
			if out != nil {
				t.Errorf("Unwrap returned %X with error %v", out, err)
			}
			return
		}
		if len(out) != len(wrapped)-8 {
			t.Fatalf("Unwrap returned %d bytes from %d", len(out), len(wrapped))
		}
		// Whatever unwraps must wrap back to the same bytes: the algorithm is a permutation.
		again, err := Wrap(kek, out)
		if err != nil || !bytes.Equal(again, wrapped) {
			t.Errorf("Wrap(Unwrap(x)) = %X, %v; want %X", again, err, wrapped)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with
// -update after changing them.
func TestSeedCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzUnwrap")
	for name, s := range seeds(t) {
		path := filepath.Join(dir, "seed-"+name)
		want := []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n[]byte(%q)\n", s[0], s[1]))
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is missing or stale (err %v); run go test -run TestSeedCorpus -args -update", path, err)
		}
	}
}
