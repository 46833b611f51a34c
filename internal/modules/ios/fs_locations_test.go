package ios

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// readsBoth are the modules that read backups and dumps, with the places they declare.
var readsBoth = []struct {
	m module.Module
	p places
}{
	{NewApplications(), applicationsPlaces}, {NewCalendar(), calendarPlaces}, {NewCalls(), callsPlaces},
	{NewChromeFavicon(), chromeFaviconPlaces}, {NewChromeHistory(), chromeHistoryPlaces},
	{NewConfigurationProfiles(), configurationProfilePlaces}, {NewContacts(), contactsPlaces},
	{NewDataUsage(), dataUsagePlaces}, {NewFirefoxFavicon(), firefoxPlaces}, {NewFirefoxHistory(), firefoxPlaces},
	{NewGlobalPreferences(), globalPreferencesPlaces}, {NewIDStatusCache(), idStatusCachePlaces},
	{NewInteractionC(), interactionCPlaces}, {NewLocationdClients(), locationdPlaces},
	{NewOSAnalyticsADDaily(), addailyPlaces}, {NewProfileEvents(), profileEventsPlaces},
	{NewSafariBrowserState(), safariBrowserStatePlaces}, {NewSafariHistory(), safariHistoryPlaces},
	{NewShortcuts(), shortcutsPlaces}, {NewSMS(), smsPlaces}, {NewSMSAttachments(), smsPlaces},
	{NewTCC(), tccPlaces}, {NewWebKitResourceLoadStatistics(), webKitObservationsPlaces},
	{NewWebKitSessionResourceLog(), webKitResourceLogPlaces}, {NewWhatsApp(), whatsAppChatPlaces},
	{NewWhatsAppContacts(), whatsAppContactsPlaces},
}

// TestEveryFilesystemLocationIsRead plants a file at each filesystem location of each
// module, including those no backup domain maps to (Safari's container, SafariViewService,
// WebClips, the mobile user's locationd cache ...): the module must find it. The content is
// not what the module expects, so finding it shows as an error or a problem, never as
// "no data".
func TestEveryFilesystemLocationIsRead(t *testing.T) {
	for _, tt := range readsBoth {
		if !slices.Contains(tt.m.Kinds(), acq.IOSBackup) || !slices.Contains(tt.m.Kinds(), acq.IOSFilesystem) ||
			len(tt.p[acq.IOSFilesystem]) == 0 {
			t.Errorf("%s: kinds %v with %d filesystem locations", tt.m.Name(), tt.m.Kinds(), len(tt.p[acq.IOSFilesystem]))
		}
		for _, l := range tt.p[acq.IOSFilesystem] {
			t.Run(tt.m.Name()+"/"+l.path, func(t *testing.T) {
				b := fixture.NewBackup()
				b.Raw(strings.ReplaceAll(l.path, "*", "0A1B2C3D"), []byte("not what the module expects"))
				res := moduletest.Run(t, tt.m, moduletest.OpenFilesystem(t, b))
				if errors.Is(res.Err, module.ErrNoData) || res.Err == nil && len(res.Problems) == 0 {
					t.Errorf("err = %v, problems = %v", res.Err, res.Problems)
				}
			})
		}
	}
}
