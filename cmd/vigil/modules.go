package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-project/vigil/internal/modules/list"
)

func newModules() *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "modules",
		Short: "List every module with the acquisitions and artifacts it reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if markdown {
				return list.WriteMarkdown(cmd.OutOrStdout())
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "MODULE\tKINDS\tWHAT IT READS")
			for _, e := range list.Entries() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", e.Name, strings.Join(e.Kinds, ","), e.Description)
				for _, a := range e.Artifacts {
					fmt.Fprintf(w, "\t\t  %s\n", a)
				}
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the list as docs/modules.md holds it")
	return cmd
}
