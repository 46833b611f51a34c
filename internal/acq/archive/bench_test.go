package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Goals: a tar.gz streams at the speed of gzip itself, and peak memory stays flat as the
// archive grows; only the index (one entry per path) grows, with the number of entries.
// Run: go test -run '^$' -bench Open -benchtime 3x ./internal/acq/archive/
func BenchmarkOpenTarGz(b *testing.B) {
	if testing.Short() {
		b.Skip("builds archives of hundreds of MB")
	}
	for _, size := range []int64{30 << 20, 300 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			path, raw, entries := dumpArchive(b, size)
			for _, mode := range []string{"extract-all", "index-only"} {
				b.Run(mode, func(b *testing.B) {
					opts := Options{TempDir: b.TempDir()}
					if mode == "index-only" {
						opts.Want = func(string) bool { return false }
					}
					benchOpen(b, path, raw, entries, opts)
				})
			}
		})
	}
	b.Run("500k-entries", func(b *testing.B) {
		path, raw, entries := manyEntries(b, 500_000)
		benchOpen(b, path, raw, entries, Options{TempDir: b.TempDir()})
	})
}

func benchOpen(b *testing.B, path string, raw int64, entries int, opts Options) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	retained := indexHeap(b, path, opts)
	peak := watchHeap()
	for b.Loop() {
		a, err := Open(path, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(raw)/1e6/(b.Elapsed().Seconds()/float64(b.N)), "raw-MB/s")
	b.ReportMetric(float64(peak())/1e6, "peak-heap-MB")
	b.ReportMetric(float64(entries), "entries")
	b.ReportMetric(float64(retained)/1e6, "index-MB")
}

// indexHeap is what an open archive keeps on the heap: its index.
func indexHeap(b *testing.B, path string, opts Options) uint64 {
	runtime.GC()
	before := liveHeap()
	a, err := Open(path, opts)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	after := liveHeap()
	runtime.KeepAlive(a)
	a.Close()
	runtime.GC()
	return after - min(before, after)
}

func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap samples the live heap until the returned function is called, which gives the
// highest value seen.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if v := liveHeap(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// dumpArchive writes a tar.gz of about size compressed bytes that looks like a dump: app
// containers of databases, plists and logs, half text and half incompressible.
func dumpArchive(b *testing.B, size int64) (path string, raw int64, entries int) {
	b.Helper()
	path = filepath.Join(b.TempDir(), "dump.tar.gz")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	out := &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed) // a faster build; inflating costs the same
	rawCount := &countWriter{w: zw}
	tw := tar.NewWriter(rawCount)
	rng := rand.New(rand.NewPCG(7, 7))
	noise := rand.NewChaCha8([32]byte{7})
	buf := make([]byte, 512<<10)
	for out.n < size {
		n := 1<<10 + rng.IntN(256<<10)
		body := buf[:n]
		if rng.IntN(2) == 0 {
			noise.Read(body)
		} else {
			fillLog(body, rng)
		}
		name := fmt.Sprintf("private/var/mobile/Containers/Data/Application/%08X-0000-4000-8000-%012X/Library/f%d.db",
			rng.IntN(400), entries, entries)
		if err := tw.WriteHeader(&tar.Header{Name: name, Size: int64(n), Mode: 0o644, ModTime: stamp, Typeflag: tar.TypeReg}); err != nil {
			b.Fatal(err)
		}
		tw.Write(body)
		entries++
	}
	if err := tw.Close(); err != nil {
		b.Fatal(err)
	}
	zw.Close()
	out.w.(*bufio.Writer).Flush()
	return path, rawCount.n, entries
}

func fillLog(p []byte, rng *rand.Rand) {
	const line = "2026-03-14 09:26:53.000000+0100 0x1a2b Default 0x0 123 0 backboardd: [com.apple.BackBoard:HID] event "
	for i := 0; i < len(p); {
		i += copy(p[i:], line)
		i += copy(p[i:], fmt.Sprintf("%08x\n", rng.Uint32()))
	}
}

// manyEntries writes a tar.gz of n empty files, which costs nothing to inflate: what it
// measures is the index.
func manyEntries(b *testing.B, n int) (string, int64, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "many.tar.gz")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	raw := &countWriter{w: zw}
	tw := tar.NewWriter(raw)
	for i := range n {
		name := fmt.Sprintf("private/var/mobile/Library/Caches/com.apple.x/d%03d/%s%d", i%1000, strings.Repeat("f", 20), i)
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, ModTime: stamp, Typeflag: tar.TypeReg})
	}
	tw.Close()
	zw.Close()
	return path, raw.n, n
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
