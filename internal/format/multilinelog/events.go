package multilinelog

import (
	"strconv"
	"strings"
)

// AppEventKind names an installd event ParseAppEvent recognises.
type AppEventKind string

// The installd messages ParseAppEvent reads, with the wording of iOS 12 to 18 logs
// (where two forms are listed, the second is iOS 16 and later).
const (
	// InstallRequested: Install of "<path>" type <T> (LSInstallType = …) requested by
	// <client> (pid <n>[ (uid/gid)]). T is Customer (App Store), Placeholder,
	// Developer (Xcode and sideloading), System …; the path is the staged bundle.
	InstallRequested AppEventKind = "install_requested"
	// Installing: Installing <MIInstallableBundle ID=<id>; [Persona=…, ]Version=<v>,
	// ShortVersion=<sv>>; the class may also be MIInstallableBundlePatch or
	// MIInstallableParallelPlaceholder.
	Installing AppEventKind = "installing"
	// Installed: Install Successful for (<id>); … / Install Successful for (<T>:<id>); …
	Installed AppEventKind = "installed"
	// DeltaUpdate: Attempting Delta patch update of <id> from <v> (<sv>) to <v> (<sv>)
	DeltaUpdate AppEventKind = "delta_update"
	// UninstallRequested: Uninstall requested by <client> (pid <n>) for identifier <id>
	// with options: … / … for identity [<id>/<persona>] with options: …
	UninstallRequested AppEventKind = "uninstall_requested"
	// Uninstalling: Uninstalling identifier <id>
	Uninstalling AppEventKind = "uninstalling"
	// ContainerDestroyed: Destroying container with identifier <id> at <path> /
	// Destroying container <id> with persona <p> at <path>
	ContainerDestroyed AppEventKind = "container_destroyed"
	// ContainerLive: Made container live for <id> at <path>
	ContainerLive AppEventKind = "container_live"
	// DataContainerMoved: Data container for <id> is now at <path>
	DataContainerMoved AppEventKind = "data_container_moved"
	// Reboot: (main:) Reboot detected — installd noticing a reboot at its start.
	Reboot AppEventKind = "reboot"
)

// AppEvent is what one installd message says about an app.
type AppEvent struct {
	Kind     AppEventKind
	BundleID string // "" for InstallRequested (the message names a path) and Reboot
	// Path is the staged bundle (InstallRequested) or the container (the container
	// kinds).
	Path string
	// InstallType is T of InstallRequested and Installed ("Customer", "Developer" …).
	InstallType string
	// Client and ClientPID name who asked, for the two request kinds.
	Client    string
	ClientPID int64
	// Version and ShortVersion are the new version (Installing, DeltaUpdate: Version
	// holds "399418 (3.57)"); FromVersion the old one of DeltaUpdate.
	Version, ShortVersion, FromVersion string
}

// ParseAppEvent reads an installd message (an Entry's Message) and reports the app
// event it records. Only the message's first line is read: options dictionaries may
// follow it. Messages of other kinds return ok=false.
func ParseAppEvent(msg string) (AppEvent, bool) {
	msg, _, _ = strings.Cut(msg, "\n")
	msg = strings.TrimSpace(msg)
	switch {
	case strings.HasPrefix(msg, `Install of "`):
		return installRequest(msg[len(`Install of "`):])
	case strings.HasPrefix(msg, "Installing <"):
		return installing(msg[len("Installing <"):])
	case strings.HasPrefix(msg, "Install Successful for ("):
		inner, _, ok := strings.Cut(msg[len("Install Successful for ("):], ")")
		if !ok {
			return AppEvent{}, false
		}
		e := AppEvent{Kind: Installed, BundleID: inner}
		if t, id, typed := strings.Cut(inner, ":"); typed {
			e.InstallType, e.BundleID = t, id
		}
		return e, validID(e.BundleID)
	case strings.HasPrefix(msg, "Attempting Delta patch update of "):
		rest := msg[len("Attempting Delta patch update of "):]
		id, vers, _ := strings.Cut(rest, " from ")
		from, to, _ := strings.Cut(vers, " to ")
		return AppEvent{Kind: DeltaUpdate, BundleID: id, FromVersion: from, Version: to}, validID(id)
	case strings.HasPrefix(msg, "Uninstall requested by "):
		return uninstallRequest(msg[len("Uninstall requested by "):])
	case strings.HasPrefix(msg, "Uninstalling identifier "):
		id := firstWord(msg[len("Uninstalling identifier "):])
		return AppEvent{Kind: Uninstalling, BundleID: id}, validID(id)
	case strings.HasPrefix(msg, "Destroying container "):
		rest := strings.TrimPrefix(msg[len("Destroying container "):], "with identifier ")
		return idAtPath(ContainerDestroyed, firstWord(rest), rest)
	case strings.HasPrefix(msg, "Made container live for "):
		rest := msg[len("Made container live for "):]
		return idAtPath(ContainerLive, firstWord(rest), rest)
	case strings.HasPrefix(msg, "Data container for "):
		rest := msg[len("Data container for "):]
		id, path, ok := strings.Cut(rest, " is now at ")
		return AppEvent{Kind: DataContainerMoved, BundleID: id, Path: path}, ok && validID(id)
	case msg == "Reboot detected":
		return AppEvent{Kind: Reboot}, true
	}
	return AppEvent{}, false
}

func installRequest(rest string) (AppEvent, bool) {
	path, rest, ok := strings.Cut(rest, `"`)
	if !ok || path == "" {
		return AppEvent{}, false
	}
	e := AppEvent{Kind: InstallRequested, Path: path}
	if t, ok := strings.CutPrefix(rest, " type "); ok {
		e.InstallType = firstWord(t)
	}
	if i := strings.Index(rest, " requested by "); i >= 0 {
		e.Client, e.ClientPID = client(rest[i+len(" requested by "):])
	}
	return e, true
}

func installing(rest string) (AppEvent, bool) {
	body, _, ok := strings.Cut(rest, ">")
	if !ok {
		return AppEvent{}, false
	}
	e := AppEvent{Kind: Installing}
	// "MIInstallableBundle ID=<id>; Persona=<p>, Version=<v>, ShortVersion=<sv>"
	for _, f := range strings.FieldsFunc(body, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
		k, v, _ := strings.Cut(f, "=")
		if v == "(null)" {
			v = ""
		}
		switch k {
		case "ID":
			e.BundleID = v
		case "Version":
			e.Version = v
		case "ShortVersion":
			e.ShortVersion = v
		}
	}
	return e, validID(e.BundleID)
}

func uninstallRequest(rest string) (AppEvent, bool) {
	e := AppEvent{Kind: UninstallRequested}
	e.Client, e.ClientPID = client(rest)
	switch {
	case strings.Contains(rest, " for identifier "):
		_, after, _ := strings.Cut(rest, " for identifier ")
		e.BundleID = firstWord(after)
	case strings.Contains(rest, " for identity ["):
		_, after, _ := strings.Cut(rest, " for identity [")
		ident, _, _ := strings.Cut(after, "]")
		e.BundleID, _, _ = strings.Cut(ident, "/")
	}
	return e, validID(e.BundleID)
}

// client reads "<name> (pid <n>…" as installd names a requesting process.
func client(s string) (string, int64) {
	name, rest, ok := strings.Cut(s, " (pid ")
	if !ok {
		return firstWord(s), 0
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	pid, _ := strconv.ParseInt(rest[:end], 10, 64)
	return name, pid
}

// idAtPath reads "<id> … at <path>", the container messages' tail.
func idAtPath(kind AppEventKind, id, rest string) (AppEvent, bool) {
	i := strings.LastIndex(rest, " at ")
	if i < 0 {
		return AppEvent{}, false
	}
	return AppEvent{Kind: kind, BundleID: id, Path: rest[i+len(" at "):]}, validID(id)
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	return w
}

// validID accepts a bundle identifier-like word: not empty, no spaces or quotes.
func validID(id string) bool {
	return id != "" && !strings.ContainsAny(id, " \t\"<>[]()")
}
