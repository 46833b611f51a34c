package ips

import (
	"encoding/json"
	"strings"

	"howett.net/plist"
)

// Reports are built here, in the shapes iOS writes, from invented values.

func mustJSON(v any, indent bool) string {
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		panic(err)
	}
	return string(b)
}

// report joins a one-line header and a body.
func report(header map[string]any, body string) string {
	return mustJSON(header, false) + "\n" + body
}

func crashHeader() map[string]any {
	return map[string]any{
		"app_name": "ChatApp", "timestamp": "2021-12-08 14:17:36.00 -0500", "app_version": "2021.11.10",
		"slice_uuid": "0d78bd90-7bf8-3f60-8099-c712bcdfedea", "adam_id": "1351168404", "build_version": "1",
		"platform": 2, "bundleID": "com.example.chat", "share_with_app_devs": 0, "is_first_party": 0,
		"bug_type": "309", "os_version": "iPhone OS 15.1 (19B74)", "roots_installed": 0,
		"incident_id": "D4E7538A-63F2-4116-8673-D9C0D9EE5A07", "name": "ChatApp",
	}
}

const chatPath = "/private/var/containers/Bundle/Application/6C9C5A92-BC0D-476F-BCEF-8D4E0D5CAA40/ChatApp.app/ChatApp"

func crashBody() map[string]any {
	return map[string]any{
		"uptime": 20000, "procLaunch": "2021-12-08 12:23:28.2790 -0500", "procRole": "Background",
		"userID": 501, "modelCode": "iPad5,1", "osVersion": map[string]any{"train": "iPhone OS 15.1", "build": "19B74"},
		"captureTime": "2021-12-08 14:17:31.5754 -0500", "bug_type": "309", "pid": 3723,
		"procName": "ChatApp", "procPath": chatPath,
		"bundleInfo": map[string]any{"CFBundleShortVersionString": "2021.11.10", "CFBundleIdentifier": "com.example.chat"},
		"parentProc": "launchd", "parentPid": 1, "coalitionName": "com.example.chat",
		"exception":   map[string]any{"codes": "0x0000000000000000, 0x0000000000000000", "type": "EXC_CRASH", "signal": "SIGKILL"},
		"termination": map[string]any{"code": 2343432205, "flags": 6, "namespace": "FRONTBOARD", "reasons": []any{"scene-update watchdog transgression", "ProcessVisibility: Background"}},
		"threads":     []any{map[string]any{"id": 93703, "queue": "com.apple.main-thread", "frames": []any{map[string]any{"imageOffset": 8952, "imageIndex": 0}}}},
		"usedImages": []any{
			map[string]any{"source": "P", "arch": "arm64", "base": 4366106624, "path": chatPath, "name": "ChatApp"},
			map[string]any{"source": "P", "arch": "arm64", "path": "/usr/lib/system/libsystem_kernel.dylib", "name": "libsystem_kernel.dylib"},
			map[string]any{"source": "A", "size": 0},
		},
	}
}

func stacksReport() string {
	proc := func(pid int, name string) map[string]any {
		return map[string]any{"pid": pid, "procname": name, "threadById": map[string]any{"172": map[string]any{"id": 172, "name": "thread"}}}
	}
	return report(map[string]any{
		"bug_type": "288", "timestamp": "2023-02-10 10:07:16.00 -0500", "os_version": "iPhone OS 16.1 (20B82)",
		"roots_installed": 0, "incident_id": "7749B4FF-840A-46F8-BE88-2B19FF8ABFF3",
	}, mustJSON(map[string]any{
		"build": "iPhone OS 16.1 (20B82)", "product": "iPad11,1", "kernel": "Darwin Kernel Version 22.1.0",
		"reason": "sysdiagnose (stackshot only) trigger: Power + Volume Up", "exception": "0xbaaaaaad",
		"processByPid": map[string]any{
			"0": proc(0, "kernel_task"), "10": proc(10, "launchd_helper"), "2": proc(2, "launchd"),
			"311": proc(311, "bh"), "x": proc(-1, "odd"), "12": proc(12, "launchd"),
		},
	}, true))
}

func jetsamReport() string {
	return report(map[string]any{
		"bug_type": "298", "timestamp": "2026-06-14 15:08:19.00 -0600", "os_version": "iPhone OS 26.0 (23A341)",
		"incident_id": "E0F926D5-4491-4F9F-84F6-83A7E90C43E9",
	}, mustJSON(map[string]any{
		"bug_type": "298", "largestProcess": "TGOnDeviceInferenceProviderServi",
		"processes": []any{
			map[string]any{"pid": 76, "name": "backboardd", "rpages": 19240},
			map[string]any{"pid": 44152, "name": "financed", "reason": "per-process-limit"},
		},
	}, true))
}

// analyticsReport has one JSON object per line after the header.
func analyticsReport() string {
	return report(map[string]any{"bug_type": "211", "timestamp": "2024-01-01 00:00:00.00 +0000"},
		`{"_marker":"<metadata>","startTimestamp":"2024-01-01T00:00:00Z"}`+"\n"+
			`{"message":{"process":"x"},"name":"com.apple.example"}`+"\n")
}

func plistReport() string {
	b, err := plist.MarshalIndent(map[string]any{
		"procName": "legacyd", "procPath": "/usr/libexec/legacyd", "pid": 44, "parentProc": "launchd",
		"usedImages": []any{map[string]any{"path": "/usr/lib/libobjc.A.dylib"}},
	}, plist.XMLFormat, "\t")
	if err != nil {
		panic(err)
	}
	return report(map[string]any{"bug_type": "109", "timestamp": "2019-05-01 09:00:00.00 +0200"}, string(b))
}

// textBody is the legacy "Key: value" form.
var textBody = strings.Join([]string{
	"Incident Identifier: 2B9C1F1E-0C8C-4C3E-9E8B-0C1D2E3F4A5B",
	"Hardware Model:      iPhone12,1",
	"Process:             MobileSafari [1234]",
	"Path:                /Applications/MobileSafari.app/MobileSafari",
	"Identifier:          com.apple.mobilesafari",
	"Parent Process:      launchd [1]",
	"Coalition:           com.apple.mobilesafari [456]",
	"Responsible Process: SpringBoard [57]",
	"User ID:             501",
	"",
	"Date/Time:           2020-03-01 10:00:00.123 +0100",
	"Launch Time:         2020-03-01 09:58:00.000 +0100",
	"Exception Type:      EXC_CRASH (SIGKILL)",
	"Termination Reason:  Namespace SPRINGBOARD, Code 0x8badf00d",
	"    continued reason text",
	"",
	"Thread 0 Crashed:",
	"0   libsystem_kernel.dylib        0x00000001b4a1c9e4 0x1b49f3000 + 168420",
	"",
	"Binary Images:",
	"0x100f3c000 - 0x100f9ffff MobileSafari arm64  <0a1b2c3d4e5f60718293a4b5c6d7e8f9> /Applications/MobileSafari.app/MobileSafari",
	"0x1b49f3000 - 0x1b4a27fff libsystem_kernel.dylib arm64e /usr/lib/system/libsystem_kernel.dylib",
	"0x1c0000000 - 0x1c0000fff ??? arm64e",
	"",
	"EOF",
}, "\n")
