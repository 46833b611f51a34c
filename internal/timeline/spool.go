package timeline

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Spool collects events from every module and gives them back sorted and without
// duplicates. It holds at most chunk events in memory: each full chunk is sorted and
// written to a run file in dir, and Each merges the runs. A phone's timeline runs to
// millions of events; this keeps memory flat whatever its size.
type Spool struct {
	mu    sync.Mutex
	dir   string // "" keeps everything in memory (tests, small runs)
	max   int
	chunk []Event
	runs  []string
	n     int
	err   error
}

// NewSpool returns a spool writing runs of chunk events into dir (which it does not
// create); an empty dir never spills.
func NewSpool(dir string, chunk int) *Spool {
	return &Spool{dir: dir, max: max(chunk, 1)}
}

// Add records an event. A failure to write a run is kept and returned by Each.
func (s *Spool) Add(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chunk = append(s.chunk, ev)
	s.n++
	if s.dir != "" && len(s.chunk) >= s.max && s.err == nil {
		s.err = s.spill()
	}
}

// Len is the number of events added, duplicates included.
func (s *Spool) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *Spool) spill() error {
	slices.SortFunc(s.chunk, Compare)
	p := filepath.Join(s.dir, fmt.Sprintf("timeline-%06d.run", len(s.runs)))
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("timeline spool: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	var buf []byte
	for _, ev := range s.chunk {
		buf = appendEvent(buf[:0], ev)
		w.Write(buf)
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("timeline spool: %w", err)
	}
	s.runs = append(s.runs, p)
	s.chunk = s.chunk[:0]
	if len(s.runs) >= maxRuns {
		return s.compact()
	}
	return nil
}

// maxRuns bounds the run files open at once during a merge.
const maxRuns = 32

// compact merges every run into one, so a huge timeline never needs more than maxRuns
// open files.
func (s *Spool) compact() error {
	p := filepath.Join(s.dir, fmt.Sprintf("timeline-merged-%06d.run", s.n))
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("timeline spool: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	var buf []byte
	err = s.mergeRuns(nil, func(ev Event) error {
		buf = appendEvent(buf[:0], ev)
		_, err := w.Write(buf)
		return err
	})
	if err = errors.Join(err, w.Flush(), f.Close()); err != nil {
		return fmt.Errorf("timeline spool: %w", err)
	}
	for _, old := range s.runs {
		os.Remove(old)
	}
	s.runs = []string{p}
	return nil
}

// mergeRuns merges the run files and the events in mem (sorted) into fn.
func (s *Spool) mergeRuns(mem []Event, fn func(Event) error) error {
	m := &merger{}
	for _, p := range s.runs {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("timeline spool: %w", err)
		}
		defer f.Close()
		m.add(&runSource{r: bufio.NewReaderSize(f, 64<<10)})
	}
	m.add(&sliceSource{evs: mem})
	return m.each(fn)
}

// appendEvent encodes an event: its instant as two varints, then three length-prefixed
// strings. The zero time is kept as such.
func appendEvent(b []byte, ev Event) []byte {
	var sec, nsec int64
	if !ev.Time.IsZero() {
		sec, nsec = ev.Time.Unix(), int64(ev.Time.Nanosecond())
	}
	b = binary.AppendVarint(b, sec)
	b = binary.AppendVarint(b, nsec)
	for _, s := range []string{ev.Module, ev.Event, ev.Description} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func readEvent(r *bufio.Reader) (Event, error) {
	sec, err := binary.ReadVarint(r)
	if err != nil {
		return Event{}, err // io.EOF at a clean end
	}
	nsec, err := binary.ReadVarint(r)
	if err != nil {
		return Event{}, io.ErrUnexpectedEOF
	}
	var ev Event
	if sec != 0 || nsec != 0 {
		ev.Time = time.Unix(sec, nsec).UTC()
	}
	for _, dst := range []*string{&ev.Module, &ev.Event, &ev.Description} {
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 1<<26 {
			return Event{}, io.ErrUnexpectedEOF
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return Event{}, io.ErrUnexpectedEOF
		}
		*dst = string(b)
	}
	return ev, nil
}

// Each calls fn for every distinct event in timeline order. Add must not be called
// during or after Each.
func (s *Spool) Each(fn func(Event) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	slices.SortFunc(s.chunk, Compare)
	return s.mergeRuns(s.chunk, fn)
}

// Close removes the run files.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, p := range s.runs {
		errs = append(errs, os.Remove(p))
	}
	s.runs, s.chunk = nil, nil
	return errors.Join(errs...)
}

// Collect returns every distinct event in order; for tests and small timelines.
func Collect(s *Spool) ([]Event, error) {
	var out []Event
	err := s.Each(func(ev Event) error {
		out = append(out, ev)
		return nil
	})
	return out, err
}

type source interface{ next() (Event, bool, error) }

type runSource struct{ r *bufio.Reader }

func (s *runSource) next() (Event, bool, error) {
	ev, err := readEvent(s.r)
	if errors.Is(err, io.EOF) {
		return Event{}, false, nil
	}
	return ev, err == nil, err
}

type sliceSource struct{ evs []Event }

func (s *sliceSource) next() (Event, bool, error) {
	if len(s.evs) == 0 {
		return Event{}, false, nil
	}
	ev := s.evs[0]
	s.evs = s.evs[1:]
	return ev, true, nil
}

// merger is a k-way merge of sorted sources.
type merger struct {
	heads []head
	err   error
}

type head struct {
	ev  Event
	src source
}

func (m *merger) Len() int           { return len(m.heads) }
func (m *merger) Less(i, j int) bool { return Compare(m.heads[i].ev, m.heads[j].ev) < 0 }
func (m *merger) Swap(i, j int)      { m.heads[i], m.heads[j] = m.heads[j], m.heads[i] }
func (m *merger) Push(x any)         { m.heads = append(m.heads, x.(head)) }
func (m *merger) Pop() any {
	h := m.heads[len(m.heads)-1]
	m.heads = m.heads[:len(m.heads)-1]
	return h
}

func (m *merger) add(src source) {
	ev, ok, err := src.next()
	if err != nil {
		m.err = errors.Join(m.err, err)
	}
	if ok {
		heap.Push(m, head{ev, src})
	}
}

func (m *merger) each(fn func(Event) error) error {
	var last Event
	first := true
	for m.err == nil && m.Len() > 0 {
		h := heap.Pop(m).(head)
		if first || Compare(last, h.ev) != 0 {
			if err := fn(h.ev); err != nil {
				return err
			}
		}
		first, last = false, h.ev
		m.add(h.src)
	}
	if m.err != nil {
		return fmt.Errorf("timeline spool: %w", m.err)
	}
	return nil
}
