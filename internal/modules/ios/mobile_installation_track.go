package ios

import (
	"time"

	"github.com/vigil-project/vigil/internal/format/multilinelog"
)

// installd logs one install on three lines: the request (staged path, type, requesting
// program), "Installing <… ID=…, Version=…>" and "Install Successful for (Type:ID)". Only
// the last two name the app, so the tracker carries the request's facts forward to them,
// and an uninstall request's program to the "Uninstalling" line.

// maxPendingInstalls bounds what the tracker remembers, against a crafted log.
const maxPendingInstalls = 1000

// requestWindow is how long an install request may wait for its "Installing" line:
// installd starts at once, so an older request is one that failed.
const requestWindow = 10 * time.Minute

type installTracker struct {
	requests   []AppInstallEvent           // install requests not yet matched, oldest first
	installs   map[string]*AppInstallEvent // by bundle id: Installing and delta-update facts
	uninstalls map[string]AppInstallEvent  // uninstall requests by bundle id
}

func newInstallTracker() *installTracker {
	return &installTracker{installs: map[string]*AppInstallEvent{}, uninstalls: map[string]AppInstallEvent{}}
}

// add completes rec from the lines before it and remembers what later lines need.
func (t *installTracker) add(kind multilinelog.AppEventKind, rec *AppInstallEvent) {
	switch kind {
	case multilinelog.InstallRequested:
		if len(t.requests) >= maxPendingInstalls {
			t.requests = t.requests[1:]
		}
		t.requests = append(t.requests, *rec)
	case multilinelog.Installing:
		if req, ok := t.takeRequest(rec.Time); ok {
			rec.InstallType, rec.Client, rec.ClientPID = req.InstallType, req.Client, req.ClientPID
		}
		if len(t.installs) < maxPendingInstalls || t.installs[rec.BundleID] != nil {
			p := *rec
			t.installs[rec.BundleID] = &p
		}
	case multilinelog.DeltaUpdate:
		if p := t.installs[rec.BundleID]; p != nil {
			p.Version, p.FromVersion, p.Event = rec.Version, rec.FromVersion, "app_update"
			rec.InstallType, rec.Client, rec.ClientPID = p.InstallType, p.Client, p.ClientPID
		}
	case multilinelog.Installed:
		if p := t.installs[rec.BundleID]; p != nil {
			delete(t.installs, rec.BundleID)
			if rec.InstallType == "" {
				rec.InstallType = p.InstallType
			}
			rec.Client, rec.ClientPID = p.Client, p.ClientPID
			rec.Version, rec.ShortVersion, rec.FromVersion = p.Version, p.ShortVersion, p.FromVersion
			if p.Event == "app_update" {
				rec.Event = "app_update"
			}
		}
	case multilinelog.UninstallRequested:
		if len(t.uninstalls) < maxPendingInstalls {
			t.uninstalls[rec.BundleID] = *rec
		}
	case multilinelog.Uninstalling:
		if u, ok := t.uninstalls[rec.BundleID]; ok {
			delete(t.uninstalls, rec.BundleID)
			rec.Client, rec.ClientPID = u.Client, u.ClientPID
		}
	}
	switch kind {
	case multilinelog.InstallRequested, multilinelog.Installing, multilinelog.DeltaUpdate, multilinelog.Installed:
		rec.Source = installSource(rec.InstallType, rec.Client)
	}
}

// takeRequest returns the oldest install request still waiting, dropping those more
// than requestWindow before now (and any after it, which a clock change would give).
func (t *installTracker) takeRequest(now time.Time) (AppInstallEvent, bool) {
	for len(t.requests) > 0 {
		req := t.requests[0]
		t.requests = t.requests[1:]
		if d := now.Sub(req.Time); d <= requestWindow && d >= -time.Minute {
			return req, true
		}
	}
	return AppInstallEvent{}, false
}
