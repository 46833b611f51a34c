package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/modules/list"
)

func newModules() *cobra.Command {
	return &cobra.Command{
		Use:   "modules",
		Short: "List every module with the acquisitions and artifacts it reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "MODULE\tKINDS\tWHAT IT READS")
			for _, m := range list.All() {
				kinds := make([]string, len(m.Kinds()))
				for i, k := range m.Kinds() {
					kinds[i] = string(k)
				}
				desc, arts := "", []string(nil)
				if d, ok := m.(module.Describer); ok {
					desc, arts = d.Description(), d.Artifacts()
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", m.Name(), strings.Join(kinds, ","), desc)
				for _, a := range arts {
					fmt.Fprintf(w, "\t\t  %s\n", a)
				}
			}
			return w.Flush()
		},
	}
}
