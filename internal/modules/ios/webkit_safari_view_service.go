package ios

import "github.com/vigil-project/vigil/internal/acq"

// WebKitSafariViewService lists the sites opened in apps through SFSafariViewController,
// whose WebKit data lives in the app's SystemData.
type WebKitSafariViewService struct{ webKitFolders }

// NewWebKitSafariViewService returns the webkit_safari_view_service module. MVT lists only
// WebsiteData itself, whose children are storage kinds on current iOS; its LocalStorage and
// IndexedDB folders are read too, which is where the site names are. No timeline, as in MVT.
func NewWebKitSafariViewService() *WebKitSafariViewService {
	dir := appDataContainers + "SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData"
	p := places{acq.IOSFilesystem: {{"", dir}, {"", dir + "/LocalStorage"}, {"", dir + "/IndexedDB"}, {"", dir + "/IndexedDB/v1"}}}
	return &WebKitSafariViewService{webKitFolders{about: about{
		name:      "ios/webkit_safari_view_service",
		desc:      "Sites opened in apps' in-app Safari views (SafariViewService WebKit folder names)",
		kinds:     fsOnlyKinds,
		artifacts: p.artifacts(),
	}, places: p, label: "SafariViewService"}}
}
