package ioc

// Match is one indicator that an observable matched, with enough to trace it back to the
// STIX object that holds it.
type Match struct {
	Observable    Observable `json:"observable"`
	Indicator     string     `json:"indicator"`              // the indicator value as loaded
	Key           string     `json:"key"`                    // normalised pattern key, e.g. "domain-name:value"
	Pattern       string     `json:"pattern"`                // the raw STIX pattern
	IndicatorID   string     `json:"indicator_id,omitempty"` // STIX id of the indicator object
	Collection    string     `json:"collection"`             // malware or report name
	CollectionID  string     `json:"collection_id,omitempty"`
	SourceFile    string     `json:"source_file"` // base name of the bundle file
	Rule          string     `json:"rule"`        // which matching rule fired, e.g. "subdomain"
	LowConfidence bool       `json:"low_confidence,omitempty"`
}
