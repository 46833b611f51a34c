package list

import (
	"fmt"
	"io"
	"strings"

	"github.com/vigil-project/vigil/internal/module"
)

// Entry describes one module for people: `vigil modules` and docs/modules.md both come
// from these, so they cannot drift apart.
type Entry struct {
	Name        string
	Kinds       []string
	Description string
	Artifacts   []string
}

// Entries describes every registered module, sorted by name.
func Entries() []Entry {
	var out []Entry
	for _, m := range All() {
		e := Entry{Name: m.Name()}
		for _, k := range m.Kinds() {
			e.Kinds = append(e.Kinds, string(k))
		}
		if d, ok := m.(module.Describer); ok {
			e.Description, e.Artifacts = d.Description(), d.Artifacts()
		}
		out = append(out, e)
	}
	return out
}

// WriteMarkdown writes the module list as docs/modules.md holds it.
func WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Modules\n\nGenerated from the module registry (`vigil modules` prints the same list); " +
		"`go test ./internal/modules/list -update` refreshes it.\n\n")
	b.WriteString("| module | acquisitions | what it reads | artifacts |\n|---|---|---|---|\n")
	for _, e := range Entries() {
		arts := make([]string, len(e.Artifacts))
		for i, a := range e.Artifacts {
			arts[i] = "`" + strings.ReplaceAll(a, "|", `\|`) + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", e.Name, strings.Join(e.Kinds, ", "),
			strings.ReplaceAll(e.Description, "|", `\|`), strings.Join(arts, "<br>"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
