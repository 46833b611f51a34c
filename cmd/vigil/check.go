package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/check"
)

const exitHelp = `
Exit status:
  0  the check ran and no indicator matched (heuristic warnings may still be listed)
  1  at least one indicator of compromise matched
  2  usage error or fatal error (unreadable acquisition, unknown kind, wrong or missing
     password of an encrypted backup, indicator file that cannot be parsed, output
     folder not empty)`

func newCheck() *cobra.Command {
	var o check.Options
	var s secretFlags
	cmd := &cobra.Command{
		Use:   "check PATH",
		Short: "Check an acquisition (iOS backup, sysdiagnose, filesystem dump) for spyware traces",
		Long: `Check an acquisition for spyware traces.

PATH is one of:
  an iOS backup folder      the folder holding Info.plist and Manifest.db (or the folder
                            above it when it holds exactly one backup), plain or encrypted
  a sysdiagnose             the sysdiagnose_....tar.gz the phone exports, or its folder
  a filesystem dump         a folder, .tar, .tar.gz or .zip holding private/var/mobile
Vigil never writes inside it; archives are read in one pass into a private folder.

Indicators of compromise are read from, in this order:
  --iocs FILE_OR_DIR   STIX 2.1 bundles (.stix2/.json); folders are searched recursively
  VIGIL_IOCS           a list of such paths, separated by ':' (';' on Windows)
  the user data folder ` + "`<config dir>/vigil/indicators`" + ` where 'vigil iocs update' will
                       store downloaded bundles (on Linux ~/.config/vigil/indicators)
A bundle that cannot be parsed stops the run. With no indicators, only heuristics run.

` + passwordHelp + `

Results go to a new folder (mode 0700, files 0600): one JSON file per module that found
data, detections.json, timeline.csv, timeline_detections.csv and run.json (provenance).
` + exitHelp,
		Example: `  vigil check ~/Backups/00008110-000A1B2C3D4E5F60 --iocs pegasus.stix2 -o results
  vigil check sysdiagnose_2026.03.14_10-26-53+0100_iPhone-OS_iPhone_21E236.tar.gz --iocs ./indicators
  VIGIL_IOCS=~/iocs vigil check ./backup --module sms --module safari_history`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runCheck(cmd, o, s)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.IOCPaths, "iocs", "i", nil, "STIX 2.1 bundle file or folder (repeatable)")
	f.StringVarP(&o.OutDir, "output", "o", "", "results folder (default ./vigil-results-<kind>-<time>)")
	f.BoolVar(&o.Force, "force", false, "replace the contents of a non-empty results folder")
	f.StringArrayVarP(&o.Modules, "module", "m", nil, "run only this module (repeatable; see 'vigil modules')")
	f.DurationVar(&o.Timeout, "timeout", 30*time.Minute, "stop a module that runs longer than this")
	f.IntVar(&o.Parallel, "parallel", 0, "modules run at once (default: number of CPUs)")
	addSecretFlags(cmd, &s, true)
	return cmd
}

func runCheck(cmd *cobra.Command, o check.Options, s secretFlags) error {
	if dir, err := detect.Locate(o.Path); err == nil {
		creds, err := s.credentials(cmd.ErrOrStderr(), dir, iosbackup.IsEncrypted(dir))
		if err != nil {
			return err
		}
		o.Creds = creds
	}
	o.IOCEnv = os.Getenv("VIGIL_IOCS")
	o.Version = toolVersion()
	o.Command = os.Args
	o.Stdout = cmd.OutOrStdout()
	o.Log = newLogger()
	o.Progress = newProgress(cmd.ErrOrStderr())
	out, err := check.Run(cmd.Context(), o)
	if err != nil {
		return err
	}
	if out.Exit != check.ExitClean {
		return exitError{out.Exit}
	}
	return nil
}
