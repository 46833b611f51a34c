package ios

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
)

// Sizes of the benchmark backup named in the project's performance goal.
const (
	largeVisits = 1_000_000
	largeURLs   = 200_000
	largeSMS    = 300_000
)

// largeVisit spreads visits over largeURLs sites; every 1000th is an http:// page redirected
// to the next visit 300 ms later, on another site.
func largeVisit(i int) fixture.SafariVisit {
	v := fixture.SafariVisit{
		URL:  fmt.Sprintf("https://site%d.example.com/page", i%largeURLs),
		Time: fixture.Epoch.Add(-time.Duration(largeVisits-i) * time.Second),
	}
	switch i % 1000 {
	case 0:
		v.URL = fmt.Sprintf("http://site%d.example.com/", i%largeURLs)
		v.RedirectDestination = int64(i + 2)
	case 1:
		v.Time = v.Time.Add(-700 * time.Millisecond)
		v.RedirectSource = int64(i)
	}
	return v
}

// largeMessage: 30% carry a link, a tenth of those only in attributedBody.
func largeMessage(i int) fixture.SMSMessage {
	m := fixture.SMSMessage{
		Text:   fmt.Sprintf("Message number %d, see you later", i),
		Handle: fmt.Sprintf("+1555%07d", i%500),
		Date:   fixture.Epoch.Add(-time.Duration(largeSMS-i) * time.Minute),
	}
	if i%10 < 3 {
		m.Text = fmt.Sprintf("Look at https://link%d.example.org/x?ref=%d", i%5000, i)
		m.AttributedOnly = i%10 == 0
	}
	return m
}

// benchBackup writes a backup that build fills and opens it.
func benchBackup(b *testing.B, build func(*fixture.Backup) error) *acq.Acquisition {
	b.Helper()
	bk := fixture.NewBackup()
	start := time.Now()
	if err := build(bk); err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "backup")
	if err := bk.Write(dir); err != nil {
		b.Fatal(err)
	}
	b.Logf("fixture built and written in %v", time.Since(start))
	a, err := detect.Open(dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a
}

// countingEmitter is an Emitter that keeps nothing but counts, so that a benchmark measures the
// module's own memory, not a collector's. Every few thousand records it samples the heap, to
// show that a streaming module's memory does not grow with the rows it reads.
type countingEmitter struct {
	records, observables, events, detections, problems int
	peakHeap                                           uint64
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func (c *countingEmitter) Record(r module.Record) {
	c.records++
	c.observables += len(r.Observables())
	c.events += len(r.Events())
	if c.records%4096 == 0 {
		metrics.Read(heapSample)
		c.peakHeap = max(c.peakHeap, heapSample[0].Value.Uint64())
	}
}
func (c *countingEmitter) Detection(module.Detection) { c.detections++ }
func (c *countingEmitter) Problem(error)              { c.problems++ }

func benchRecords(b *testing.B, m module.Module, build func(*fixture.Backup) error, wantRecords, wantDetections int) {
	a := benchBackup(b, build)
	temp, err := module.NewTempArea()
	if err != nil {
		b.Fatal(err)
	}
	defer temp.Remove()
	in := &module.Input{Acq: a, Temp: temp, Log: slog.New(slog.DiscardHandler)}
	b.ReportAllocs()
	runtime.GC()
	var c countingEmitter
	for b.Loop() {
		c = countingEmitter{}
		if err := m.Run(context.Background(), in, &c); err != nil {
			b.Fatal(err)
		}
	}
	if c.records != wantRecords || c.detections != wantDetections || c.problems != 0 {
		b.Fatalf("counted %+v, want %d records and %d detections", c, wantRecords, wantDetections)
	}
	b.ReportMetric(float64(c.records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(c.peakHeap)/(1<<20), "peak-heap-MB")
}

func BenchmarkSafariHistory1M(b *testing.B) {
	build := func(bk *fixture.Backup) error {
		return fixture.SafariHistoryFunc(bk, fixture.SafariDomain, fixture.SafariHistoryPath, largeVisits, largeVisit)
	}
	benchRecords(b, NewSafariHistory(), build, largeVisits, largeVisits/1000)
}

func BenchmarkSMS300k(b *testing.B) {
	build := func(bk *fixture.Backup) error {
		return fixture.SMSFunc(bk, largeSMS, largeMessage, fixture.SMSOptions{})
	}
	benchRecords(b, NewSMS(), build, largeSMS, 0)
}
