package list

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
)

var update = flag.Bool("update", false, "rewrite docs/modules.md")

func TestDocsMatchRegistry(t *testing.T) {
	var b strings.Builder
	if err := WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join("..", "..", "..", "docs", "modules.md")
	if *update {
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != b.String() {
		t.Error("docs/modules.md differs from the registry: run go test ./internal/modules/list -update")
	}
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Entries() {
		if seen[e.Name] {
			t.Errorf("module %s registered twice", e.Name)
		}
		seen[e.Name] = true
		if e.Description == "" || len(e.Artifacts) == 0 || len(e.Kinds) == 0 {
			t.Errorf("module %s lacks a description, artifacts or kinds", e.Name)
		}
	}
	if _, err := Select(acq.IOSBackup, []string{"sms", "ios/safari_history"}); err != nil {
		t.Error(err)
	}
	if _, err := Select(acq.IOSBackup, []string{"nosuch"}); err == nil {
		t.Error("an unknown module name was accepted")
	}
}
