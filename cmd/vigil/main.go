// Command vigil checks phone acquisitions for traces of mercenary spyware.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at release time with -ldflags "-X main.version=..."; otherwise the module
// version from the build info is used.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// exitError carries an exit status through cobra without printing a second message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var prof profiling
	root := newRoot()
	prof.flags(root)
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return prof.start() }
	err := root.ExecuteContext(ctx)
	prof.stop()
	stop()
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "vigil:", err)
		os.Exit(2)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Check a phone for traces of mercenary spyware",
		Long: `Vigil checks acquisitions of a phone, made with its owner's consent, for traces of
mercenary spyware (Pegasus, Predator, Reign, Graphite, Triangulation) and stalkerware.

It reads the acquisition without changing it, extracts the artifacts that have carried
spyware traces, matches them against published indicators of compromise (STIX 2.1), applies
heuristics from published research, and writes a results folder with a timeline.

Start with 'vigil demo' to see a check on a built-in synthetic backup.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       toolVersion(),
	}
	root.AddCommand(newCheck(), newDemo(), newModules(), newBackup(), newBench(), newBenchBuild())
	return root
}
