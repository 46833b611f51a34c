package ios

import "github.com/vigil-project/vigil/internal/acq"

// WebKitLocalStorage lists the sites that kept localStorage data in each app's WebKit
// storage.
type WebKitLocalStorage struct{ webKitFolders }

// NewWebKitLocalStorage returns the webkit_local_storage module.
func NewWebKitLocalStorage() *WebKitLocalStorage {
	p := places{acq.IOSFilesystem: {{"", appDataContainers + "Library/WebKit/WebsiteData/LocalStorage"}}}
	return &WebKitLocalStorage{webKitFolders{about: about{
		name:      "ios/webkit_local_storage",
		desc:      "Sites that stored localStorage data in apps' WebKit views (file names)",
		kinds:     fsOnlyKinds,
		artifacts: p.artifacts(),
	}, places: p, event: "webkit_local_storage", label: "Local Storage"}}
}
