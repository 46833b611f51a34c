package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out strings.Builder
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestDemoRunsAndReportsMatches(t *testing.T) {
	out, err := execute(t, "demo", "-o", filepath.Join(t.TempDir(), "results"))
	if err != nil {
		t.Fatalf("demo failed: %v", err)
	}
	for _, want := range []string{"CRITICAL", "DemoSpy", "No detection does not prove a phone clean", "exits with status 1 (indicators matched)"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	if _, err := execute(t, "check"); err == nil {
		t.Error("check without a path succeeded")
	}
	if _, err := execute(t, "check", t.TempDir()); err == nil || !strings.Contains(err.Error(), "Vigil reads") {
		t.Errorf("check on an empty folder: err = %v", err)
	}
}

func TestHelpDocumentsExitStatus(t *testing.T) {
	out, err := execute(t, "check", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Exit status", "VIGIL_IOCS", "--iocs"} {
		if !strings.Contains(out, want) {
			t.Errorf("check --help lacks %q", want)
		}
	}
}

func TestModulesListsRegistry(t *testing.T) {
	out, err := execute(t, "modules")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ios/sms", "ios/safari_history", "Library/SMS/sms.db"} {
		if !strings.Contains(out, want) {
			t.Errorf("modules output lacks %q", want)
		}
	}
}
