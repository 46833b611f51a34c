package ios

import (
	"slices"
	"strings"

	"github.com/vigil-project/vigil/internal/ioc"
)

// bundleObservables are the observables of an app bundle id: an app-ID check, and a
// process check as MVT does, because Pegasus process indicators imitate Apple bundle ids
// ("com.apple.rapports.events") and would only show up as a process name.
func bundleObservables(id string) []ioc.Observable {
	if id == "" {
		return nil
	}
	return []ioc.Observable{{Type: ioc.AppID, Value: id}, {Type: ioc.Process, Value: id}}
}

// pathObservables are the observables of an executable or bundle path: its base name as a
// process, and the path itself for path indicators (Predator's /private/var/tmp/...).
// A value that is not an absolute path gives only the process check.
func pathObservables(p string) []ioc.Observable {
	if p == "" {
		return nil
	}
	obs := []ioc.Observable{{Type: ioc.Process, Value: p}}
	if strings.HasPrefix(p, "/") {
		obs = append(obs, ioc.Observable{Type: ioc.FilePath, Value: p})
	}
	return obs
}

// appendUnique appends the observables of obs that out does not hold yet.
func appendUnique(out []ioc.Observable, obs ...ioc.Observable) []ioc.Observable {
	for _, o := range obs {
		if o.Value != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
