package ios

import "github.com/vigil-project/vigil/internal/acq"

// fsOnlyKinds marks a module whose artifact only a full filesystem dump holds (netusage,
// shutdown.log, WebKit folders ...): backups leave those files out.
var fsOnlyKinds = []acq.Kind{acq.IOSFilesystem}

// appDataContainers is the folder of apps' data containers in a dump, one UUID-named
// folder per app.
const appDataContainers = "private/var/mobile/Containers/Data/Application/*/"
