package scan

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
)

func testSet(t *testing.T) *ioc.Set {
	t.Helper()
	set := ioc.NewSet(ioc.Options{})
	for i, spec := range []ioc.BundleSpec{
		{Malware: "SpyOne", Indicators: []ioc.IndicatorSpec{{Key: "domain-name:value", Value: "evil.example"}}},
		{Malware: "SpyTwo", Indicators: []ioc.IndicatorSpec{{Key: "domain-name:value", Value: "evil.example"}}},
	} {
		var buf bytes.Buffer
		if err := ioc.WriteBundle(&buf, spec); err != nil {
			t.Fatal(err)
		}
		b, err := ioc.ParseBundle(buf.Bytes(), []string{"one.stix2", "two.stix2"}[i])
		if err != nil {
			t.Fatal(err)
		}
		set.Add(b)
	}
	return set
}

func TestIndicatorMatchesBecomeDetections(t *testing.T) {
	mod := fake{"test/visits", func(_ context.Context, emit module.Emitter) error {
		emit.Record(rec{URL: "https://a.evil.example/x", When: t0})
		emit.Record(rec{URL: "https://evil.example.org/", When: t0}) // decoy: another domain
		return nil
	}}
	res, err := Run(context.Background(), &acq.Acquisition{}, Options{Modules: []module.Module{mod}, IOCs: testSet(t)})
	if err != nil {
		t.Fatal(err)
	}
	// The record lists its URL twice; one detection per distinct observable.
	if len(res.Detections) != 1 {
		t.Fatalf("detections = %d, want 1: %+v", len(res.Detections), res.Detections)
	}
	d := res.Detections[0]
	if d.Severity != module.Critical || d.Module != "test/visits" || d.Evidence != "https://a.evil.example/x" ||
		!d.Time.Equal(t0) || d.Indicator == nil || d.Indicator.Collection != "SpyOne" ||
		d.Indicator.SourceFile != "one.stix2" || d.Indicator.Rule != "subdomain" {
		t.Errorf("detection = %+v, indicator %+v", d, d.Indicator)
	}
	if len(d.Also) != 1 || !strings.Contains(d.Also[0], "SpyTwo") {
		t.Errorf("also = %q, want the second collection", d.Also)
	}
	if !strings.Contains(d.Message, "SpyOne") || !strings.Contains(d.Message, "one.stix2") {
		t.Errorf("message %q does not name the collection and file", d.Message)
	}
	if res.Modules[0].Detections != 1 {
		t.Errorf("module detections = %d", res.Modules[0].Detections)
	}
}
