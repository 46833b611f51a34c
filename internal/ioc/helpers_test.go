package ioc

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sharedIOCs is where the real public bundles live, relative to this package.
const sharedIOCs = "../../../shared/iocs"

// sharedBundles lists the shared .stix2 files or skips the test when they are absent.
func sharedBundles(tb testing.TB) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedIOCs, "*.stix2"))
	if len(files) == 0 {
		tb.Skipf("no public bundles in %s (the shared IOC folder is not checked out next to the repo)", sharedIOCs)
	}
	return files
}

// obj is a STIX object under construction.
type obj map[string]any

func malwareObj(id, name string) obj {
	return obj{"type": "malware", "id": id, "name": name, "is_family": false}
}

func reportObj(id, name string, refs ...string) obj {
	return obj{"type": "report", "id": id, "name": name, "object_refs": refs}
}

func indicatorObj(id, pattern string) obj {
	return obj{"type": "indicator", "id": id, "pattern": pattern, "pattern_type": "stix"}
}

func relObj(id, src, dst string) obj {
	return obj{"type": "relationship", "id": id, "relationship_type": "indicates", "source_ref": src, "target_ref": dst}
}

// bundleBytes marshals objects into a bundle.
func bundleBytes(tb testing.TB, objs ...obj) []byte {
	tb.Helper()
	if objs == nil {
		objs = []obj{}
	}
	b, err := json.Marshal(map[string]any{"type": "bundle", "id": "bundle--test", "objects": objs})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// writeFile writes data into the test's temporary folder and returns its path.
func writeFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// specSet builds a Set from WriteBundle output, one bundle per spec, in order.
func specSet(tb testing.TB, specs ...BundleSpec) *Set {
	tb.Helper()
	s := NewSet(Options{})
	for _, spec := range specs {
		var buf bytes.Buffer
		if err := WriteBundle(&buf, spec); err != nil {
			tb.Fatal(err)
		}
		b, err := ParseBundle(buf.Bytes(), spec.Malware+".stix2")
		if err != nil {
			tb.Fatal(err)
		}
		if len(b.Unsupported) > 0 {
			tb.Fatalf("spec %s: unsupported %+v", spec.Malware, b.Unsupported)
		}
		s.Add(b)
	}
	return s
}
