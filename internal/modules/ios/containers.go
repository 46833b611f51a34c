package ios

import (
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// containerParents are the device folders whose children are UUID-named containers of
// apps, app groups, extensions and system services.
var containerParents = []string{
	"private/var/mobile/Containers/Data/Application/",
	"private/var/mobile/Containers/Shared/AppGroup/",
	"private/var/mobile/Containers/Data/PluginKitPlugin/",
	"private/var/containers/Data/System/",
	"private/var/containers/Shared/SystemGroup/",
	"private/var/containers/Bundle/Application/",
}

// containerMetadata is the file MobileContainerManager keeps at the top of each container;
// its MCMMetadataIdentifier names the bundle or group id the UUID folder belongs to.
const containerMetadata = ".com.apple.mobile_container_manager.metadata.plist"

// containerOf returns the container folder holding the device path p, or "".
func containerOf(p string) string {
	for _, parent := range containerParents {
		rest, ok := strings.CutPrefix(p, parent)
		if !ok {
			continue
		}
		if uuid, _, _ := strings.Cut(rest, "/"); uuid != "" {
			return parent + uuid
		}
	}
	return ""
}

// owners names the app each file belongs to, for records that say "in which app". A
// backup names it by domain (AppDomain-com.apple.mobilesafari); a dump by folder UUID, so
// the container's metadata file is read, once per container.
type owners struct {
	in    *module.Input
	cache map[string]string
}

func newOwners(in *module.Input) *owners { return &owners{in: in, cache: map[string]string{}} }

// app returns the bundle or group id owning a dump file, or its container folder when
// the metadata file is missing or unreadable, or "" outside containers and in backups
// (whose records carry the domain instead).
func (o *owners) app(f acq.File) string {
	if f.Domain != "" || o.in.Acq.Kind == acq.IOSBackup {
		return ""
	}
	root := containerOf(f.Path)
	if root == "" {
		return ""
	}
	if id, ok := o.cache[root]; ok {
		return id
	}
	id := root
	if found, err := o.in.Source().Find("", root+"/"+containerMetadata); err == nil && len(found) == 1 {
		var meta map[string]any
		if readPlist(o.in, found[0], &meta) == nil {
			if s := plistAsString(meta["MCMMetadataIdentifier"]); s != "" {
				id = s
			}
		}
	}
	o.cache[root] = id
	return id
}

// appLabel is how records describe where a file came from: the backup domain, else the
// app or container of a dump, else the file itself.
func appLabel(domain, app, file string) string {
	switch {
	case domain != "":
		return domain
	case app != "":
		return app
	}
	return file
}
