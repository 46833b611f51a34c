package multilinelog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAppEvent(t *testing.T) {
	const staged = "/private/var/containers/Shared/SystemGroup/systemgroup.com.apple.installcoordinationd/Library/InstallCoordination/PromiseStaging/46E2CDAE-A56A-4A18-BDBD-1A7E8ABC295E/"
	tests := []struct {
		name, msg string
		want      AppEvent
		ok        bool
	}{
		{"install request, iOS 12",
			`Install of "` + staged + `Chat.app" type Placeholder (LSInstallType = 1) requested by lsd (pid 87)`,
			AppEvent{Kind: InstallRequested, Path: staged + "Chat.app", InstallType: "Placeholder", Client: "lsd", ClientPID: 87}, true},
		{"install request, iOS 18 developer",
			`Install of "` + staged + `My Tool.app" type Developer (LSInstallType = (null), Domain: MIInstallationDomainDefault) requested by installcoordinationd (pid 117 (501/501))`,
			AppEvent{Kind: InstallRequested, Path: staged + "My Tool.app", InstallType: "Developer", Client: "installcoordinationd", ClientPID: 117}, true},
		{"install request without a type",
			`Install of "/var/tmp/82797252-217E-418A-AFA6-419138808CE8" requested by Calculator (pid 342)`,
			AppEvent{Kind: InstallRequested, Path: "/var/tmp/82797252-217E-418A-AFA6-419138808CE8", Client: "Calculator", ClientPID: 342}, true},
		{"installing",
			"Installing <MIInstallableBundle ID=com.example.chat; Version=122.2.2, ShortVersion=122.2>",
			AppEvent{Kind: Installing, BundleID: "com.example.chat", Version: "122.2.2", ShortVersion: "122.2"}, true},
		{"installing with persona and null versions",
			"Installing <MIInstallableParallelPlaceholder ID=com.example.video; Persona=PERSONA-1, Version=(null), ShortVersion=(null)>",
			AppEvent{Kind: Installing, BundleID: "com.example.video"}, true},
		{"installed, old form",
			"Install Successful for (com.example.chat); Staging: 0.10s; Waiting: 0.00s; Preflight/Patch: 0.00s, Verifying: 0.01s; Overall: 0.21s",
			AppEvent{Kind: Installed, BundleID: "com.example.chat"}, true},
		{"installed, typed form",
			"Install Successful for (Placeholder:org.example.messenger); Staging: 0.01s; Overall: 0.14s",
			AppEvent{Kind: Installed, BundleID: "org.example.messenger", InstallType: "Placeholder"}, true},
		{"delta update",
			"Attempting Delta patch update of com.example.chat from 399202 (3.56) to 399418 (3.57)",
			AppEvent{Kind: DeltaUpdate, BundleID: "com.example.chat", FromVersion: "399202 (3.56)", Version: "399418 (3.57)"}, true},
		{"uninstall request, old form",
			"Uninstall requested by lsd (pid 87) for identifier com.example.video with options: (null)",
			AppEvent{Kind: UninstallRequested, BundleID: "com.example.video", Client: "lsd", ClientPID: 87}, true},
		{"uninstall request, identity form with options",
			"Uninstall requested by installcoordinationd (pid 123 (501/501)) for identity [org.example.messenger/PersonalPersonaPlaceholderString] with options: {\n    WaitForStorageDeletion = 0;\n}",
			AppEvent{Kind: UninstallRequested, BundleID: "org.example.messenger", Client: "installcoordinationd", ClientPID: 123}, true},
		{"uninstalling",
			"Uninstalling identifier com.example.video",
			AppEvent{Kind: Uninstalling, BundleID: "com.example.video"}, true},
		{"container destroyed, old form",
			"Destroying container with identifier com.example.video at /private/var/containers/Bundle/Application/60176EFB-BF30-4B0A-8CF2-970C0D5D0BBE",
			AppEvent{Kind: ContainerDestroyed, BundleID: "com.example.video", Path: "/private/var/containers/Bundle/Application/60176EFB-BF30-4B0A-8CF2-970C0D5D0BBE"}, true},
		{"container destroyed, persona form",
			"Destroying container com.example.tool with persona 8A4A857A-0269-4861-BE19-06B76B941887 at /private/var/mobile/Containers/Data/Application/99FCC994-C7C1-4F60-A797-0BFFB204453A",
			AppEvent{Kind: ContainerDestroyed, BundleID: "com.example.tool", Path: "/private/var/mobile/Containers/Data/Application/99FCC994-C7C1-4F60-A797-0BFFB204453A"}, true},
		{"container live",
			"Made container live for com.example.chat.ShareExtension at /private/var/mobile/Containers/Data/PluginKitPlugin/47E1F648-8F8C-499B-A27B-E0EB69BA7427",
			AppEvent{Kind: ContainerLive, BundleID: "com.example.chat.ShareExtension", Path: "/private/var/mobile/Containers/Data/PluginKitPlugin/47E1F648-8F8C-499B-A27B-E0EB69BA7427"}, true},
		{"data container moved",
			"Data container for com.example.chat is now at /private/var/mobile/Containers/Data/Application/EBDE7CDA-70AD-424A-AAB8-B59A883AFB09",
			AppEvent{Kind: DataContainerMoved, BundleID: "com.example.chat", Path: "/private/var/mobile/Containers/Data/Application/EBDE7CDA-70AD-424A-AAB8-B59A883AFB09"}, true},
		{"reboot", "Reboot detected", AppEvent{Kind: Reboot}, true},
		{"other message", "Updated bundle com.example.chat added ref for keychain group group.com.example", AppEvent{}, false},
		{"installing parallel placeholder", "Installing parallel placeholder", AppEvent{}, false},
		{"unclosed installing", "Installing <MIInstallableBundle ID=com.x", AppEvent{}, false},
		{"unclosed successful", "Install Successful for (com.x", AppEvent{}, false},
		{"empty id", "Uninstalling identifier ", AppEvent{}, false},
		{"container without path", "Made container live for com.x", AppEvent{}, false},
		{"bad install path", `Install of "`, AppEvent{}, false},
		{"uninstall request without id", "Uninstall requested by lsd (pid 87) for nothing", AppEvent{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseAppEvent(tc.msg)
			if ok != tc.ok {
				t.Fatalf("ok = %v (%+v)", ok, got)
			}
			if ok {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("event (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestEventsFromLog runs the two steps together on an invented install and removal.
func TestEventsFromLog(t *testing.T) {
	log := `Mon Apr  7 06:13:34 2025 [234] <notice> (0x16b48f000) -[MIInstaller performInstallationWithError:]: Install Successful for (Placeholder:org.example.messenger); Staging: 0.01s; Overall: 0.14s
Mon Apr  7 07:40:47 2025 [446] <notice> (0x23105a380) main: Reboot detected
Mon Apr  7 07:43:55 2025 [446] <notice> (0x16fd27000) -[MIClientConnection _uninstallIdentities:withOptions:completion:]: Uninstall requested by lsd (pid 107 (501/501)) for identity [com.example.tool/PersonalPersonaPlaceholderString] with options: {
    WaitForStorageDeletion = 0;
}
Mon Apr  7 07:43:55 2025 [446] <notice> (0x16fd27000) -[MIKeychainAccessGroupTracker _removeGroupsWithError:error:]: Removing keychain access groups: (
)
`
	var kinds []string
	_, err := Parse(strings.NewReader(log), func(e Entry) error {
		if ev, ok := ParseAppEvent(e.Message); ok {
			kinds = append(kinds, string(ev.Kind)+":"+ev.BundleID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"installed:org.example.messenger", "reboot:", "uninstall_requested:com.example.tool"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
