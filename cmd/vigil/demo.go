package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vigil-project/vigil/internal/check"
	"github.com/vigil-project/vigil/internal/fixture"
)

func newDemo() *cobra.Command {
	var outDir string
	var keep bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a full check on a built-in synthetic backup with planted traces",
		Long: `Build a small synthetic iPhone backup with planted spyware traces (invented data,
nothing from a real phone) and a small demo indicator bundle in a temporary folder, then run
the full check on it exactly as 'vigil check' would. Needs no network and no files.

The demo exits 0 when it ran; it says which status 'vigil check' would have given
(1, since the demo plants indicator matches).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			work, err := os.MkdirTemp("", "vigil-demo-")
			if err != nil {
				return err
			}
			if !keep {
				defer os.RemoveAll(work)
			}
			backup, bundle := filepath.Join(work, "backup"), filepath.Join(work, "demo-indicators.stix2")
			if err := fixture.WriteDemo(backup, bundle); err != nil {
				return fmt.Errorf("building the demo backup: %w", err)
			}
			if outDir == "" {
				// The results are the point of the demo: they live outside the work folder
				// so that they survive it.
				if outDir, err = os.MkdirTemp("", "vigil-demo-results-"); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Demo backup: %s\nDemo indicators: %s\n", backup, bundle)
			o := check.Options{Path: backup, IOCPaths: []string{bundle}, NoDataDir: true,
				OutDir: outDir, Version: toolVersion(), Command: os.Args,
				Stdout: cmd.OutOrStdout(), Log: newLogger(), Progress: newProgress(cmd.ErrOrStderr())}
			out, err := check.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nThe demo ran. On this backup 'vigil check' exits with status %d (%s).\n",
				out.Exit, map[int]string{check.ExitClean: "no indicator matched", check.ExitMatch: "indicators matched"}[out.Exit])
			return nil
		},
	}
	cmd.Flags().StringVarP(&outDir, "output", "o", "", "results folder (default: a new temporary folder, kept)")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the synthetic backup after the run")
	return cmd
}
