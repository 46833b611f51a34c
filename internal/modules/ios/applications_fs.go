package ios

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// bundleContainers holds one UUID-named folder per user-installed app.
const bundleContainers = "private/var/containers/Bundle/Application/"

// bundleFiles are what one bundle container holds of interest.
type bundleFiles struct{ metadata, store *acq.File }

// fromBundles reads a dump's bundle containers: the container's metadata file names the
// app, and its iTunesMetadata.plist, when there is one, says where it came from. A
// container without one is an app with no App Store record, as in a backup's Info.plist.
func (m *Applications) fromBundles(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	byFolder := map[string]*bundleFiles{}
	for _, f := range files {
		b := byFolder[path.Dir(f.Path)]
		if b == nil {
			b = &bundleFiles{}
			byFolder[path.Dir(f.Path)] = b
		}
		if path.Base(f.Path) == containerMetadata {
			b.metadata = &f
		} else {
			b.store = &f
		}
	}
	folders := slices.Sorted(maps.Keys(byFolder))
	var failed []error
	for _, dir := range folders {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, err := readBundle(in, dir, byFolder[dir])
		if err != nil {
			emit.Problem(err)
			failed = append(failed, err)
		}
		if a.BundleID != "" {
			emitApp(a, emit)
		}
	}
	if len(failed) == len(folders) {
		return fmt.Errorf("no bundle container was readable: %w", failed[0])
	}
	return nil
}

// readBundle reads one bundle container. An unreadable iTunesMetadata.plist leaves the
// app's provenance unknown, as an unreadable Info.plist entry does.
func readBundle(in *module.Input, dir string, b *bundleFiles) (App, error) {
	id := ""
	var errs error
	if b.metadata != nil {
		var meta map[string]any
		if err := readPlist(in, *b.metadata, &meta); err != nil {
			errs = err
		}
		id = plistAsString(meta["MCMMetadataIdentifier"])
	}
	if b.store == nil {
		return App{BundleID: id, Provenance: ProvenanceNoStoreRecord, Source: dir}, errs
	}
	var meta map[string]any
	if err := readPlist(in, *b.store, &meta); err != nil {
		return App{BundleID: id, Provenance: ProvenanceUnknown, Source: b.store.Path}, err
	}
	return appFromMetadata(id, meta, b.store.Path), errs
}
