package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-project/vigil/internal/fixture"
)

func newBench() *cobra.Command {
	var divide int
	var iocs []string
	var keep bool
	var kind string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure a full check of a large synthetic backup (wall time, peak memory, records/s)",
		Long: `Build a large synthetic backup (or, with --kind fs, the same phone as a filesystem dump) (by default a million Safari visits over 200,000 URLs,
300,000 messages with 30% links, 300,000 files, 50,000 WhatsApp messages and 3,000
processes), then run 'vigil check' on it in a child process and report its wall time, peak
memory (maximum resident set size) and records per second. Building the backup is not
measured. Use --iocs to load indicator bundles as a real check would.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd, divide, iocs, keep, kind)
		},
	}
	cmd.Flags().IntVar(&divide, "divide", 1, "divide every count by this (for a quick run)")
	cmd.Flags().StringArrayVarP(&iocs, "iocs", "i", nil, "indicator bundles to load (repeatable)")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the synthetic backup and results")
	cmd.Flags().StringVar(&kind, "kind", "backup", "what to build and check: backup, fs (a filesystem dump folder) or sysdiagnose (a .tar.gz)")
	return cmd
}

func runBench(cmd *cobra.Command, divide int, iocs []string, keep bool, kind string) error {
	if kind != "backup" && kind != "fs" && kind != "sysdiagnose" {
		return fmt.Errorf("--kind is backup, fs or sysdiagnose, not %q", kind)
	}
	out := cmd.OutOrStdout()
	work, err := os.MkdirTemp("", "vigil-bench-")
	if err != nil {
		return err
	}
	if !keep {
		defer os.RemoveAll(work)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	// The input is built in a child process of its own: on Linux a process forked from
	// one that held the large fixture would inherit its peak memory, and the check's peak
	// would be reported as that of the build.
	start := time.Now()
	build := exec.CommandContext(cmd.Context(), self, "bench-build", kind, fmt.Sprint(max(divide, 1)), work)
	build.Stderr = out
	built, err := build.Output()
	if err != nil {
		return fmt.Errorf("building the input: %w", err)
	}
	backup := strings.TrimSpace(string(built))
	fmt.Fprintf(out, "Built %s in %s.\n", backup, time.Since(start).Round(time.Millisecond))
	results := filepath.Join(work, "results")
	args := []string{"check", backup, "-o", results}
	for _, p := range iocs {
		args = append(args, "--iocs", p)
	}
	child := exec.CommandContext(cmd.Context(), self, args...)
	start = time.Now()
	err = child.Run()
	wall := time.Since(start)
	if code := child.ProcessState.ExitCode(); code != 0 && code != 1 {
		return fmt.Errorf("the check failed (exit %d): %v", code, err)
	}
	records, err := countRecords(filepath.Join(results, "run.json"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wall time   %s\npeak memory %s\nrecords     %d (%.0f records/s)\n",
		wall.Round(time.Millisecond), peakMemory(child.ProcessState), records, float64(records)/wall.Seconds())
	return nil
}

func countRecords(runJSON string) (int, error) {
	data, err := os.ReadFile(runJSON)
	if err != nil {
		return 0, err
	}
	var run struct {
		Totals struct {
			Records int `json:"records"`
		} `json:"totals"`
	}
	err = json.Unmarshal(data, &run)
	return run.Totals.Records, err
}

// buildBenchInput writes the synthetic acquisition and returns what to check.
func buildBenchInput(out io.Writer, work, kind string, divide int) (string, error) {
	if kind == "sysdiagnose" {
		fmt.Fprintf(out, "Building a large sysdiagnose (divide %d) in %s ...\n", divide, work)
		s, err := fixture.LargeSysdiagnose(divide)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(out, "%.0f MB uncompressed\n", float64(s.Size())/1e6)
		return s.WriteTarGz(work)
	}
	size := fixture.FullLarge.Scale(divide)
	fmt.Fprintf(out, "Building a backup of %+v in %s ...\n", size, work)
	b, err := fixture.LargeBackup(size)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(work, kind)
	write := b.Write
	if kind == "fs" {
		write = b.WriteFilesystem
	}
	return dir, write(dir)
}

// newBenchBuild is the hidden child command that writes a bench input and prints its path.
func newBenchBuild() *cobra.Command {
	return &cobra.Command{
		Use:    "bench-build KIND DIVIDE DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			divide, err := strconv.Atoi(args[1])
			if err != nil {
				return err
			}
			p, err := buildBenchInput(cmd.ErrOrStderr(), args[2], args[0], divide)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), p)
			return nil
		},
	}
}
