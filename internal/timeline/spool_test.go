package timeline

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func randomEvents(n int) []Event {
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Event, n)
	for i := range out {
		out[i] = Event{
			Time:        t0.Add(time.Duration(r.IntN(5000)) * time.Millisecond * 1500),
			Module:      fmt.Sprintf("ios/m%d", r.IntN(4)),
			Event:       fmt.Sprintf("e%d", r.IntN(3)),
			Description: fmt.Sprintf("d%d ünïcode \x00 %d", r.IntN(50), r.IntN(3)),
		}
		if i%97 == 0 {
			out[i].Time = time.Time{}
		}
	}
	return out
}

func TestSpoolMatchesInMemorySort(t *testing.T) {
	evs := randomEvents(5_000)
	want := slices.Clone(evs)
	slices.SortFunc(want, Compare)
	want = slices.CompactFunc(want, func(a, b Event) bool { return Compare(a, b) == 0 })
	for _, chunk := range []int{1, 7, 1000, 1 << 20} {
		dir := t.TempDir()
		s := NewSpool(dir, chunk)
		for _, ev := range evs {
			s.Add(ev)
		}
		if s.Len() != len(evs) {
			t.Errorf("chunk %d: Len = %d", chunk, s.Len())
		}
		got, err := Collect(s)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("chunk %d: %s", chunk, d)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("chunk %d: %d run files left after Close", chunk, len(left))
		}
	}
}

func TestSpoolInMemory(t *testing.T) {
	s := NewSpool("", 2)
	for _, ev := range randomEvents(100) {
		s.Add(ev)
	}
	got, err := Collect(s)
	if err != nil || len(got) == 0 || !slices.IsSortedFunc(got, Compare) {
		t.Errorf("in-memory spool: %d events, sorted %v, err %v", len(got), slices.IsSortedFunc(got, Compare), err)
	}
}

func BenchmarkSpool(b *testing.B) {
	evs := randomEvents(200_000)
	for b.Loop() {
		s := NewSpool(b.TempDir(), 50_000)
		for _, ev := range evs {
			s.Add(ev)
		}
		n := 0
		s.Each(func(Event) error { n++; return nil })
		s.Close()
	}
}
