// Package nskeyed reads and writes NSKeyedArchiver archives: the plists iOS
// uses to store object graphs, such as the MBFile records in a backup's
// Manifest.db, attachments in app databases, and keyed preferences.
//
// Decoded objects become plain Go values:
//
//	NSDictionary, NSMutableDictionary          map[string]any
//	NSArray, NSMutableArray, NSSet, ...         []any
//	NSString, NSMutableString, plain string     string
//	NSData, NSMutableData                       []byte
//	NSDate                                      time.Time (UTC)
//	NSUUID                                      string, upper case like -[NSUUID UUIDString]
//	NSURL                                       string (NS.relative resolved against NS.base)
//	NSNull, "$null"                             nil
//	any other object                            map[string]any of its fields plus "$class": class name
//	integers                                    int64 or uint64, as the plist stored them (see Int64)
//	reals                                       float64
//	booleans                                    bool
//
// Dictionary keys that are numbers or booleans become their decimal text. An
// unknown subclass of a Foundation collection or string (say
// __NSDictionaryM) decodes as its base when it was archived the base's way.
//
// The input is attacker-controlled (a phone under examination may hold
// crafted files), so decoding is bounded: reference cycles, deep nesting,
// out-of-range references and shared-subtree bombs end in an error, never in
// a hang, a crash or an exponential allocation.
package nskeyed
