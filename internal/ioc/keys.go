package ioc

import (
	"fmt"
	"strings"
)

// bucket is the index an indicator value lives in; it decides how the value is normalised
// at load and which observables can reach it.
type bucket uint8

const (
	bucketNone     bucket = iota
	bucketURL             // url:value, exact string
	bucketHost            // domain-name and non-IP ipv4-addr values, normalised host
	bucketIP              // IP literals from domain-name and ipv4-addr values
	bucketCIDR            // ipv4-addr ranges
	bucketEmail           // lower-cased address
	bucketProcess         // exact process name
	bucketFileName        // exact file name
	bucketFilePath        // absolute path, no trailing '/', /private/var folded to /var
	bucketRelFile         // relative path that must end the observed path
	bucketRelDir          // relative path written with a trailing '/': whole components anywhere in the path
	bucketMD5             // file:hashes.md5, lower-case hex
	bucketSHA1            // file:hashes.sha1
	bucketSHA256          // file:hashes.sha256
	bucketSHA512          // file:hashes.sha512 (an extension over MVT)
	bucketCert            // app:cert.* of every algorithm: MVT pools them
	bucketAppID           // lower-cased
	bucketProfile         // lower-cased configuration profile UUID
	bucketProperty        // lower-cased Android property name
	numBuckets
)

// keyBuckets maps every supported normalised key to the bucket its values go to. Host and
// path keys are refined per value (IP or host, absolute or relative) by normalizeValue.
var keyBuckets = map[string]bucket{
	"url:value":                bucketURL,
	"domain-name:value":        bucketHost,
	"ipv4-addr:value":          bucketIP,
	"email-addr:value":         bucketEmail,
	"process:name":             bucketProcess,
	"file:name":                bucketFileName,
	"file:path":                bucketFilePath,
	"file:hashes.md5":          bucketMD5,
	"file:hashes.sha1":         bucketSHA1,
	"file:hashes.sha256":       bucketSHA256,
	"file:hashes.sha512":       bucketSHA512,
	"app:cert.md5":             bucketCert,
	"app:cert.sha1":            bucketCert,
	"app:cert.sha256":          bucketCert,
	"app:id":                   bucketAppID,
	"configuration-profile:id": bucketProfile,
	"android-property:name":    bucketProperty,
}

// algCleaner reduces a hash algorithm's spelling to its letters and digits ("SHA-256" → "sha256"
// once lower-cased).
var algCleaner = strings.NewReplacer("'", "", "-", "", "_", "")

// normalizeKey turns a comparison's object path into Vigil's key spelling. Object type and
// steps compare case-insensitively, and hash algorithm names lose quotes and dashes, as in
// MVT, so `file:hashes.'SHA-256'`, `file:hashes.SHA256` and `file:hashes.sha256` are one key.
// It returns the key (also for unsupported keys, so that they can be reported) and its
// bucket, or bucketNone with a reason.
func normalizeKey(objectType string, steps []string) (string, bucket, string) {
	typ := strings.ToLower(objectType)
	lower := make([]string, len(steps))
	for i, s := range steps {
		lower[i] = strings.ToLower(s)
	}
	hashed := len(lower) == 2 && ((typ == "file" && lower[0] == "hashes") || (typ == "app" && lower[0] == "cert"))
	if hashed {
		lower[1] = algCleaner.Replace(lower[1])
	}
	key := typ + ":" + strings.Join(lower, ".")
	if b, ok := keyBuckets[key]; ok {
		return key, b, ""
	}
	if hashed {
		return key, bucketNone, fmt.Sprintf("unsupported hash algorithm %q", steps[1])
	}
	return key, bucketNone, fmt.Sprintf("unknown key %q", key)
}
