package ioc

import (
	"maps"
	"strings"
	"testing"
)

// TestSharedBundles loads the real public bundles and checks the per-key counts of the
// spec §2 table. The real files agree with the table exactly: no value repeats inside a
// file even after normalisation (www., case, host-with-path), so nothing is deduplicated.
func TestSharedBundles(t *testing.T) {
	files := sharedBundles(t)
	want := map[string]struct {
		malware string
		keys    map[string]int
	}{
		"nso-pegasus":              {"Pegasus", map[string]int{"domain-name:value": 1438, "process:name": 81, "email-addr:value": 29, "file:name": 1}},
		"cytrox-cytrox":            {"Predator", map[string]int{"domain-name:value": 336, "file:path": 6, "configuration-profile:id": 1}},
		"android_campaign-malware": {"MercenarySpywareCampaign", map[string]int{"domain-name:value": 2183, "android-property:name": 3, "file:path": 1}},
		"wintego_helios":           {"Wintego Helios", map[string]int{"domain-name:value": 175}},
		"novispy":                  {"NoviSpy", map[string]int{"domain-name:value": 7, "app:id": 4, "app:cert.sha256": 3, "file:hashes.sha256": 4}},
		"rcs_lab-rcs":              {"RCSLab", map[string]int{"domain-name:value": 26, "file:hashes.sha256": 9, "app:id": 5}},
		"quadream-kingspawn":       {"KingSpawn", map[string]int{"domain-name:value": 164, "file:path": 2, "process:name": 1}},
		"operation_triangulation":  {"OperationTriangulation", map[string]int{"domain-name:value": 75, "email-addr:value": 36, "process:name": 1}},
		"wyrmspy_dragonegg":        {"WyrmSpy_DragonEgg", map[string]int{"domain-name:value": 7, "ipv4-addr:value": 5, "file:hashes.sha256": 34, "app:id": 7}},
		"eaglemsgspy":              {"EagleMsgSpy", map[string]int{"domain-name:value": 13, "ipv4-addr:value": 13, "file:hashes.sha256": 25}},
		// `file:hashes.'SHA-256'` in the file, counted under the normalised key.
		"coruna":             {"Coruna", map[string]int{"domain-name:value": 177, "file:hashes.sha256": 20, "file:path": 12, "file:name": 7}},
		"darksword":          {"DarkSword", map[string]int{"domain-name:value": 10, "ipv4-addr:value": 3, "file:hashes.sha256": 1, "file:path": 22, "file:name": 7}},
		"residentbat":        {"ResidentBat", map[string]int{"ipv4-addr:value": 24, "app:id": 8, "app:cert.sha256": 8, "file:hashes.sha256": 8}},
		"candiru":            {"Candiru", map[string]int{"domain-name:value": 125}},
		"cellebrite":         {"Cellebrite", map[string]int{"app:id": 1}},
		"intellexa_predator": {"Predator", map[string]int{"domain-name:value": 569, "file:path": 15, "configuration-profile:id": 1}},
	}
	s, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	if len(st.Files) != len(want) || st.Collections != len(want) {
		t.Fatalf("%d files, %d collections; want %d each", len(st.Files), st.Collections, len(want))
	}
	seen := map[string]bool{}
	for _, f := range st.Files {
		var id string
		for k := range want {
			if strings.Contains(f.Name, k) {
				id = k
			}
		}
		if id == "" {
			t.Errorf("unexpected file %s", f.Name)
			continue
		}
		seen[id] = true
		w := want[id]
		if !maps.Equal(f.ByKey, w.keys) {
			t.Errorf("%s: by key %v, want %v", id, f.ByKey, w.keys)
		}
		total := 0
		for _, n := range w.keys {
			total += n
		}
		if f.Indicators != total || f.IndicatorObjects != total || f.ByCollection[w.malware] != total || len(f.ByCollection) != 1 {
			t.Errorf("%s: %d values of %d objects, collections %v; want %d in %q", id, f.Indicators, f.IndicatorObjects, f.ByCollection, total, w.malware)
		}
		if f.Unsupported != 0 || f.DuplicateValues != 0 {
			t.Errorf("%s: %d unsupported, %d duplicate values", id, f.Unsupported, f.DuplicateValues)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("files seen %v", seen)
	}
	if st.TotalsByKey["domain-name:value"] != 5305 || st.Indicators != 5713 {
		t.Errorf("totals %v, %d values", st.TotalsByKey, st.Indicators)
	}
}

// TestSharedIrregularities checks the spec §2 oddities of the real files end to end.
func TestSharedIrregularities(t *testing.T) {
	s, err := Load(sharedBundles(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		o          Observable
		collection string
		rule       string
		n          int
	}{
		{Observable{URL, "https://fgr1w2gnsdvsb.xyz/other"}, "Coruna", RuleExactHost, 1},     // domain value with a path
		{Observable{URL, "http://www.andropwn.xyz/"}, "WyrmSpy_DragonEgg", RuleExactHost, 1}, // www. indicator
		{Observable{URL, "http://176.223.111.131:443/x"}, "NoviSpy", RuleIP, 1},              // IP in domain-name
		{Observable{FilePath, "/private/var/mobile/Library/Preferences/com.apple.photolibraryd.plist"}, "Coruna", RuleFilePathSuffix, 3},
		{Observable{FilePath, "/private/var/tmp/icloud_dump/a/b"}, "DarkSword", RuleFilePath, 1},      // trailing '/'
		{Observable{Process, "com.apple.Mappit"}, "Pegasus", RuleProcessTruncated, 1},                 // long process name
		{Observable{ProfileID, "76dab334-7e17-475d-a5d6-0794eb5818a5"}, "Predator", RuleProfileID, 2}, // one value, two files
	}
	for _, tt := range tests {
		m := s.Match(tt.o)
		if len(m) != tt.n || m[0].Collection != tt.collection {
			t.Errorf("%v: %d matches %+v; want %d in %s", tt.o, len(m), m, tt.n, tt.collection)
			continue
		}
		found := false
		for _, x := range m {
			found = found || x.Rule == tt.rule
		}
		if !found {
			t.Errorf("%v: no %s match in %+v", tt.o, tt.rule, m)
		}
	}
	// The profile UUID is credited to both Predator files, in load order.
	m := s.Match(Observable{ProfileID, "76DAB334-7E17-475D-A5D6-0794EB5818A5"})
	if len(m) == 2 && (!strings.Contains(m[0].SourceFile, "cytrox") || !strings.Contains(m[1].SourceFile, "intellexa")) {
		t.Errorf("profile matches out of load order: %s, %s", m[0].SourceFile, m[1].SourceFile)
	}
	// Wintego's relationship from a missing indicator is tolerated and noted.
	for _, f := range s.Stats().Files {
		if strings.Contains(f.Name, "wintego") && !hasNote(f.Notes, "indicator--3eaf5002-09aa-476c-be2a-281a95b33f1a") {
			t.Errorf("wintego notes = %+v", f.Notes)
		}
	}
}
