package ios

import "github.com/vigil-project/vigil/internal/acq"

// WebKitIndexedDB lists the sites that kept IndexedDB data in each app's WebKit storage.
type WebKitIndexedDB struct{ webKitFolders }

// NewWebKitIndexedDB returns the webkit_indexeddb module. Besides MVT's folder it reads the
// versioned layout of newer WebKit (IndexedDB/v1/<top origin>/<frame origin>).
func NewWebKitIndexedDB() *WebKitIndexedDB {
	dir := appDataContainers + "Library/WebKit/WebsiteData/IndexedDB"
	p := places{acq.IOSFilesystem: {{"", dir}, {"", dir + "/v0"}, {"", dir + "/v1"}, {"", dir + "/v1/*"}}}
	return &WebKitIndexedDB{webKitFolders{about: about{
		name:      "ios/webkit_indexeddb",
		desc:      "Sites that stored IndexedDB data in apps' WebKit views (folder names)",
		kinds:     fsOnlyKinds,
		artifacts: p.artifacts(),
	}, places: p, event: "webkit_indexeddb", label: "IndexedDB"}}
}
