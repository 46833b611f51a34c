package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/scan"
)

// SummaryInput is what the terminal summary shows.
type SummaryInput struct {
	Result        *scan.Result
	Run           Run
	IndicatorsNum int // indicators loaded; 0 prints the loud warning
	OutDir        string
}

// WriteSummary prints the human summary: detections by severity with their evidence and
// source, modules that did not end ok, and the caveat.
func WriteSummary(w io.Writer, in SummaryInput) {
	bold := color.New(color.Bold)
	red := color.New(color.FgRed, color.Bold)
	yellow := color.New(color.FgYellow)
	f := in.Run.Acquisition.Facts
	bold.Fprintf(w, "\nVigil %s checked %s (%s", in.Run.Version, in.Run.Acquisition.Path, in.Run.Acquisition.Kind)
	if f.ProductType != "" {
		fmt.Fprintf(w, ", %s, iOS %s", f.ProductType, f.ProductVersion)
	}
	fmt.Fprintln(w, ")")
	for _, warn := range in.Run.Acquisition.Warnings {
		yellow.Fprintf(w, "Note: %s\n", warn)
	}
	if in.IndicatorsNum == 0 {
		red.Fprintln(w, "WARNING: no indicators loaded: only heuristics ran. Give --iocs or set VIGIL_IOCS.")
	} else {
		fmt.Fprintf(w, "Indicators: %d loaded\n", in.IndicatorsNum)
	}
	writeDetections(w, in.Result.Detections, red, yellow)
	writeStatuses(w, in.Result.Modules, yellow)
	t := in.Run.Totals
	fmt.Fprintf(w, "\n%d records, %d timeline events, %d indicator matches.\n", t.Records, t.Events, t.IndicatorMatches)
	if in.OutDir != "" {
		fmt.Fprintf(w, "Results: %s\n", in.OutDir)
	}
	fmt.Fprintf(w, "\n%s\n", Caveat)
}

func writeDetections(w io.Writer, ds []module.Detection, red, yellow *color.Color) {
	if len(ds) == 0 {
		fmt.Fprintln(w, "\nNo detections.")
		return
	}
	for sev := module.Critical; sev >= module.Info; sev-- {
		var group []module.Detection
		for _, d := range ds {
			if d.Severity == sev {
				group = append(group, d)
			}
		}
		if len(group) == 0 {
			continue
		}
		c := yellow
		if sev == module.Critical {
			c = red
		}
		c.Fprintf(w, "\n%s (%d)\n", strings.ToUpper(sev.String()), len(group))
		for _, d := range group {
			fmt.Fprintf(w, "  [%s] %s\n", Slug(d.Module), d.Message)
			if !d.Time.IsZero() {
				fmt.Fprintf(w, "      at %s UTC\n", d.Time.UTC().Format("2006-01-02 15:04:05"))
			}
			if d.Indicator != nil {
				fmt.Fprintf(w, "      indicator %s = %q, collection %s, file %s, rule %s\n",
					d.Indicator.Key, d.Indicator.Indicator, d.Indicator.Collection, d.Indicator.SourceFile, d.Indicator.Rule)
			}
			if d.Reference != "" {
				fmt.Fprintf(w, "      method: %s\n", d.Reference)
			}
		}
	}
}

func writeStatuses(w io.Writer, ms []scan.ModuleResult, yellow *color.Color) {
	var bad, absent []string
	found := 0
	for _, m := range ms {
		switch m.Status {
		case scan.StatusOK:
			found++
		case scan.StatusNoData:
			absent = append(absent, Slug(m.Name))
		default:
			found++
			bad = append(bad, fmt.Sprintf("  %s %s: %s", Slug(m.Name), m.Status, strings.Join(m.Errors, "; ")))
		}
	}
	fmt.Fprintf(w, "\nModules: %d of %d found data", found, len(ms))
	if len(bad) == 0 {
		fmt.Fprint(w, ", none failed")
	}
	fmt.Fprintln(w, ".")
	for _, line := range bad {
		yellow.Fprintln(w, line)
	}
	if len(absent) > 0 {
		fmt.Fprintf(w, "  not in this acquisition: %s\n", strings.Join(absent, ", "))
	}
}
