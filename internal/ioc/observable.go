// Package ioc loads STIX 2.1 indicator bundles and matches observables against them.
package ioc

// Type says what kind of value an Observable is, and so which matching rule applies.
type Type string

// Observable types. Each has one documented matching rule (see docs and Set.Match).
const (
	URL             Type = "url"              // a URL or bare host: URL, domain and IP indicators
	Domain          Type = "domain"           // a host name or IP literal: domain and IP indicators
	Process         Type = "process"          // a process name or path: base name, iOS truncation rule
	ProcessPath     Type = "process_path"     // a path whose components may be process names
	Email           Type = "email"            // an e-mail address, case-insensitive
	FilePath        Type = "file_path"        // an absolute device path: path (boundary rule) and name indicators
	FileName        Type = "file_name"        // a bare file name
	AppID           Type = "app_id"           // an app bundle id / package name, case-insensitive
	ProfileID       Type = "profile_id"       // a configuration profile UUID
	FileHash        Type = "file_hash"        // md5/sha1/sha256 hex, chosen by length
	AppCertHash     Type = "app_cert_hash"    // signing certificate hash
	AndroidProperty Type = "android_property" // an Android system property name
)

// Observable is one value a module found that indicators may match.
type Observable struct {
	Type  Type   `json:"type"`
	Value string `json:"value"`
}
