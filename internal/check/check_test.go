package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/report"
)

func TestWithoutIndicators(t *testing.T) {
	work, backup, _ := writeDemo(t)
	var stdout strings.Builder
	res, err := Run(context.Background(), Options{Path: backup, NoDataDir: true,
		OutDir: filepath.Join(work, "out"), Stdout: &stdout, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exit != ExitClean {
		t.Errorf("exit = %d, want 0: heuristics alone never make exit 1", res.Exit)
	}
	if !strings.Contains(stdout.String(), "no indicators loaded: only heuristics ran") {
		t.Errorf("summary does not warn about missing indicators:\n%s", stdout.String())
	}
	if len(res.Result.Detections) == 0 {
		t.Error("heuristics found nothing in the demo backup")
	}
}

func TestFatalErrors(t *testing.T) {
	work, backup, bundle := writeDemo(t)
	broken := filepath.Join(work, "broken.stix2")
	os.WriteFile(broken, []byte(`{"type": "bundle", "objects": [`), 0o644)
	full := filepath.Join(work, "full")
	os.MkdirAll(full, 0o700)
	os.WriteFile(filepath.Join(full, "old.json"), []byte("[]"), 0o600)
	tests := []struct {
		name    string
		opts    Options
		wantErr error
		text    string
	}{
		{"unparseable bundle", Options{Path: backup, IOCPaths: []string{broken}}, nil, "broken.stix2"},
		{"missing bundle", Options{Path: backup, IOCPaths: []string{filepath.Join(work, "nope.stix2")}}, nil, "nope.stix2"},
		{"unknown acquisition", Options{Path: full, IOCPaths: []string{bundle}}, detect.ErrUnknownKind, "Vigil reads"},
		{"non-empty output", Options{Path: backup, IOCPaths: []string{bundle}, OutDir: full}, report.ErrNotEmpty, "--force"},
		{"unknown module", Options{Path: backup, Modules: []string{"nosuch"}}, nil, "vigil modules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.NoDataDir = true
			if tt.opts.OutDir == "" {
				tt.opts.OutDir = filepath.Join(t.TempDir(), "out")
			}
			_, err := Run(context.Background(), tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("err = %q, want it to mention %q", err, tt.text)
			}
		})
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("refused output folder was changed: %d entries", len(entries))
	}
}
