package ioc

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestWriteBundle(t *testing.T) {
	spec := BundleSpec{Malware: "Demo Spy", Description: "generated", Indicators: []IndicatorSpec{
		{"domain-name:value", "demo.example"},
		{"file:name", `it's a \ name`},
		{"url:value", "https://demo.example/?a=b"},
		{"domain-name:value", "demo.example"}, // listed twice: ids must still differ
	}}
	var a, b bytes.Buffer
	if err := WriteBundle(&a, spec); err != nil {
		t.Fatal(err)
	}
	if err := WriteBundle(&b, spec); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs differ")
	}
	var raw struct {
		Type    string `json:"type"`
		Objects []struct {
			ID string `json:"id"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(a.Bytes(), &raw); err != nil || raw.Type != "bundle" || len(raw.Objects) != 9 {
		t.Fatalf("bundle: %v, %+v", err, raw)
	}
	ids := map[string]bool{}
	for _, o := range raw.Objects {
		if ids[o.ID] {
			t.Errorf("duplicate id %s", o.ID)
		}
		ids[o.ID] = true
	}
	bundle, err := ParseBundle(a.Bytes(), "demo.stix2")
	if err != nil {
		t.Fatal(err)
	}
	if len(bundle.Unsupported) != 0 || len(bundle.Indicators) != 4 || bundle.Indicators[1].Value != `it's a \ name` {
		t.Fatalf("round trip: %+v, unsupported %+v", bundle.Indicators, bundle.Unsupported)
	}
	if len(bundle.Collections) != 1 || bundle.Collections[0].Name != "Demo Spy" || bundle.Collections[0].Description != "generated" {
		t.Errorf("collections = %+v", bundle.Collections)
	}
	var other bytes.Buffer
	spec.Malware = "Other"
	if err := WriteBundle(&other, spec); err != nil || bytes.Equal(other.Bytes(), a.Bytes()) {
		t.Errorf("a different name gave the same bundle (%v)", err)
	}
	if err := WriteBundle(&other, BundleSpec{}); err == nil {
		t.Error("empty malware name accepted")
	}
	if err := WriteBundle(&other, BundleSpec{Malware: "x", Indicators: []IndicatorSpec{{Value: "v"}}}); err == nil {
		t.Error("empty key accepted")
	}
}
