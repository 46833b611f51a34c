package ioc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOwnership proves the collection rules of spec §3: report refs (last report wins) over
// relationships (first wins) over reverse relationships, else the Default collection.
func TestOwnership(t *testing.T) {
	data := bundleBytes(t,
		indicatorObj("indicator--r", "[domain-name:value='by-report.example']"),
		indicatorObj("indicator--both", "[domain-name:value='report-beats-rel.example']"),
		indicatorObj("indicator--rel", "[domain-name:value='first-rel.example']"),
		indicatorObj("indicator--rev", "[domain-name:value='reverse.example']"),
		indicatorObj("indicator--none", "[domain-name:value='orphan.example']"),
		indicatorObj("indicator--tomissing", "[domain-name:value='rel-to-unknown.example']"),
		malwareObj("malware--a", "Alpha"),
		malwareObj("malware--b", "Beta"),
		reportObj("report--1", "Report One", "indicator--r", "indicator--both"),
		reportObj("report--2", "Report Two", "indicator--r"),
		relObj("relationship--1", "indicator--both", "malware--a"),
		relObj("relationship--2", "indicator--rel", "malware--b"),
		relObj("relationship--3", "indicator--rel", "malware--a"),
		relObj("relationship--4", "malware--a", "indicator--rev"),
		relObj("relationship--5", "indicator--tomissing", "malware--zzz"),
		relObj("relationship--6", "indicator--gone", "malware--a"),
		obj{"type": "identity", "id": "identity--x", "name": "ignored"},
	)
	b, err := ParseBundle(data, "/x/multi.stix2")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range b.Collections {
		names = append(names, c.Name)
	}
	if want := []string{"Alpha", "Beta", "Report One", "Report Two", DefaultCollection}; !slices.Equal(names, want) {
		t.Fatalf("collections = %q, want %q", names, want)
	}
	want := map[string]string{
		"by-report.example":        "Report Two", // listed by both reports: the last wins
		"report-beats-rel.example": "Report One",
		"first-rel.example":        "Beta", // first relationship wins
		"reverse.example":          "Alpha",
		"orphan.example":           DefaultCollection,
		"rel-to-unknown.example":   DefaultCollection,
	}
	for _, ind := range b.Indicators {
		if got := b.Collections[ind.Collection].Name; got != want[ind.Value] {
			t.Errorf("%s owned by %q, want %q", ind.Value, got, want[ind.Value])
		}
	}
	if !hasNote(b.Notes, "indicator--gone") {
		t.Errorf("no note for the relationship from a missing indicator: %+v", b.Notes)
	}
	if b.Collections[0].SourceFile != "multi.stix2" || b.Collections[0].SourcePath != "/x/multi.stix2" {
		t.Errorf("collection source = %q %q", b.Collections[0].SourceFile, b.Collections[0].SourcePath)
	}
}

func hasNote(notes []Note, value string) bool {
	for _, n := range notes {
		if n.Value == value || n.ObjectID == value {
			return true
		}
	}
	return false
}

// TestNoDefaultCollectionWhenUnused: MVT keeps the Default collection only if non-empty.
func TestNoDefaultCollectionWhenUnused(t *testing.T) {
	b, err := ParseBundle(bundleBytes(t, malwareObj("malware--a", "A"),
		indicatorObj("indicator--1", "[app:id='x']"), relObj("relationship--1", "indicator--1", "malware--a")), "a.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Collections) != 1 {
		t.Fatalf("collections = %+v", b.Collections)
	}
}

func TestPatternSubsetInBundle(t *testing.T) {
	yara := indicatorObj("indicator--yara", `rule a { strings: $a = "x=y" condition: $a }`)
	yara["pattern_type"] = "yara"
	noType := indicatorObj("indicator--stix20", "[process:name='legacy']")
	delete(noType, "pattern_type")
	b, err := ParseBundle(bundleBytes(t,
		malwareObj("malware--m", "M"),
		indicatorObj("indicator--or", "[domain-name:value = 'a.example' OR email-addr:value = 'X@Example.com']"),
		indicatorObj("indicator--and", "[domain-name:value = 'b.example' AND url:value = 'http://b.example/']"),
		yara,
		noType,
		indicatorObj("indicator--esc", `[file:name = 'it\'s.so']`),
		indicatorObj("indicator--eq", "[url:value = 'https://e.example/?a=b&c=d']"),
		indicatorObj("indicator--v6", "[ipv6-addr:value = '2001:db8::1']"),
		indicatorObj("indicator--sha3", "[file:hashes.'SHA3-256' = 'ab']"),
		indicatorObj("indicator--mixed", "[app:id = 'ok.app' OR ipv6-addr:value = '::1']"),
		indicatorObj("indicator--badhost", "[domain-name:value = 'not a host']"),
	), "subset.stix2")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ind := range b.Indicators {
		got = append(got, ind.ID+" "+ind.Key+"="+ind.Value)
	}
	want := []string{
		"indicator--or domain-name:value=a.example",
		"indicator--or email-addr:value=X@Example.com",
		"indicator--stix20 process:name=legacy",
		"indicator--esc file:name=it's.so",
		"indicator--eq url:value=https://e.example/?a=b&c=d",
		"indicator--mixed app:id=ok.app",
	}
	if !slices.Equal(got, want) {
		t.Errorf("indicators:\n got %q\nwant %q", got, want)
	}
	reasons := map[string]string{}
	for _, u := range b.Unsupported {
		reasons[u.IndicatorID] = u.Reason
		if u.File != "subset.stix2" || (u.Pattern == "" && u.IndicatorID != "") {
			t.Errorf("unsupported entry incomplete: %+v", u)
		}
	}
	wantReasons := map[string]string{
		"indicator--and":     "AND",
		"indicator--yara":    `pattern_type "yara"`,
		"indicator--v6":      "unknown key",
		"indicator--sha3":    "unsupported hash algorithm",
		"indicator--mixed":   "unknown key",
		"indicator--badhost": "not a host",
	}
	if len(reasons) != len(wantReasons) {
		t.Errorf("unsupported = %+v", b.Unsupported)
	}
	for id, sub := range wantReasons {
		if !strings.Contains(reasons[id], sub) {
			t.Errorf("%s: reason %q, want it to contain %q", id, reasons[id], sub)
		}
	}
	s := NewSet(Options{})
	s.Add(b)
	st := s.Stats()
	if st.Files[0].Unsupported != len(b.Unsupported) || len(st.Unsupported) != len(b.Unsupported) {
		t.Errorf("stats unsupported = %d / %d, want %d", st.Files[0].Unsupported, len(st.Unsupported), len(b.Unsupported))
	}
	if m := s.Match(Observable{URL, "https://e.example/?a=b&c=d"}); len(m) != 1 || m[0].Rule != RuleURL {
		t.Errorf("URL with '=' in its query: %+v", m)
	}
	if m := s.Match(Observable{Email, "x@example.COM"}); len(m) != 1 || m[0].IndicatorID != "indicator--or" {
		t.Errorf("second half of an OR pattern: %+v", m)
	}
}

func TestParseBundleErrors(t *testing.T) {
	tests := []struct {
		name, content, reason string
	}{
		{"garbage.stix2", "this is not json", "not valid JSON"},
		{"truncated.stix2", `{"type":"bundle","objects":[`, "not valid JSON"},
		{"array.json", `[{"type":"bundle"}]`, "not a STIX bundle"},
		{"indicator.json", `{"type":"indicator","pattern":"[a:b='c']"}`, `type is "indicator"`},
		{"noobjects.stix2", `{"type":"bundle","id":"bundle--1"}`, `no "objects" array`},
		{"nullobjects.stix2", `{"type":"bundle","objects":null}`, `no "objects" array`},
		{"stringobjects.stix2", `{"type":"bundle","objects":"x"}`, "not a STIX bundle"},
		{"empty.stix2", ``, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.name, []byte(tt.content))
			_, err := LoadFile(p)
			if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("LoadFile(%s) error = %v; want one naming the path and %q", tt.name, err, tt.reason)
			}
			if _, err := Load([]string{p}); err == nil || !strings.Contains(err.Error(), p) {
				t.Fatalf("Load error = %v; want one naming the path", err)
			}
		})
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.stix2")); err == nil || !strings.Contains(err.Error(), "missing.stix2") {
		t.Errorf("missing file: %v", err)
	}
}

// TestMalformedObject: a property of the wrong JSON type spoils one object, not the file.
func TestMalformedObject(t *testing.T) {
	data := bundleBytes(t,
		malwareObj("malware--m", "M"),
		obj{"type": "indicator", "id": "indicator--bad", "pattern": 42},
		indicatorObj("indicator--ok", "[app:id='good.app']"),
		obj{"type": "malware", "id": "malware--bad", "name": []int{1}},
	)
	b, err := ParseBundle(data, "m.stix2")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Indicators) != 1 || b.Indicators[0].Value != "good.app" {
		t.Errorf("indicators = %+v", b.Indicators)
	}
	if len(b.Unsupported) != 1 || b.Unsupported[0].IndicatorID != "indicator--bad" {
		t.Errorf("unsupported = %+v", b.Unsupported)
	}
	if !hasNote(b.Notes, "malware--bad") {
		t.Errorf("notes = %+v", b.Notes)
	}
}

func TestDuplicateFilesAndValues(t *testing.T) {
	data := bundleBytes(t, malwareObj("malware--m", "M"),
		indicatorObj("indicator--1", "[domain-name:value='dup.example']"),
		indicatorObj("indicator--2", "[domain-name:value='WWW.Dup.Example.']"), // same host once normalised
		relObj("relationship--1", "indicator--1", "malware--m"),
		relObj("relationship--2", "indicator--2", "malware--m"))
	a := writeFile(t, "a.stix2", data)
	b := writeFile(t, "b.stix2", data)
	s, err := Load([]string{a, b, a})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	if len(st.Files) != 1 || len(st.DuplicateFiles) != 2 || st.DuplicateFiles[0].SameAs != a {
		t.Fatalf("files %d, duplicates %+v", len(st.Files), st.DuplicateFiles)
	}
	if st.Files[0].Indicators != 1 || st.Files[0].DuplicateValues != 1 || st.TotalsByKey["domain-name:value"] != 1 {
		t.Errorf("file stats = %+v, totals %v", st.Files[0], st.TotalsByKey)
	}
	if m := s.Match(Observable{Domain, "dup.example"}); len(m) != 1 {
		t.Errorf("matches = %+v", m)
	}
}

func TestRevoked(t *testing.T) {
	rev := indicatorObj("indicator--old", "[app:id='old.app']")
	rev["revoked"] = true
	data := bundleBytes(t, rev, indicatorObj("indicator--new", "[app:id='new.app']"))
	p := writeFile(t, "r.stix2", data)
	for _, skip := range []bool{false, true} {
		s, err := LoadWith([]string{p}, Options{SkipRevoked: skip})
		if err != nil {
			t.Fatal(err)
		}
		fs := s.Stats().Files[0]
		matched := len(s.Match(Observable{AppID, "old.app"})) == 1
		if matched == skip || fs.Revoked != 1 || (fs.RevokedSkipped == 1) != skip || fs.Indicators != 2-fs.RevokedSkipped {
			t.Errorf("SkipRevoked=%v: matched %v, stats %+v", skip, matched, fs)
		}
	}
}

func TestFileStatsRecord(t *testing.T) {
	data := bundleBytes(t, malwareObj("malware--m", "M"), malwareObj("malware--e", "Empty"),
		indicatorObj("indicator--1", "[file:hashes.'SHA-256'='AA' OR file:hashes.sha256='BB']"),
		relObj("relationship--1", "indicator--1", "malware--m"))
	p := writeFile(t, "stats.json", data)
	s, err := Load([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	fs := s.Stats().Files[0]
	if fs.Path != p || fs.Name != "stats.json" || len(fs.SHA256) != 64 || fs.IndicatorObjects != 1 || fs.Indicators != 2 {
		t.Errorf("stats = %+v", fs)
	}
	if fs.ByKey["file:hashes.sha256"] != 2 || fs.ByCollection["M"] != 2 || fs.ByCollection["Empty"] != 0 || len(fs.ByCollection) != 2 {
		t.Errorf("by key %v, by collection %v", fs.ByKey, fs.ByCollection)
	}
	if raw, _ := os.ReadFile(p); len(raw) == 0 {
		t.Fatal("fixture vanished")
	}
}
