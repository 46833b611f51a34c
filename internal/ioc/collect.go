package ioc

import (
	"fmt"
	"strings"
)

// assemble sorts a bundle's objects into collections and indicator values. It runs in time
// linear in the bundle: ownership is looked up in maps built in one pass over reports and
// relationships, where MVT scans every relationship for every indicator (spec §11.1).
//
// Ownership, in order (spec §3, with the "Rec." extensions):
//  1. a report listing the indicator in object_refs (the last such report wins, as in MVT);
//  2. the target of the first relationship indicator → known malware (any relationship
//     type, as in MVT);
//  3. the source of the first relationship known malware → indicator (not in MVT);
//  4. else the file's "Default collection", created only when needed.
func (b *Bundle) assemble(objs []stixObject) {
	collByID := make(map[string]int)
	addCollection := func(o stixObject) {
		if _, dup := collByID[o.ID]; dup && o.ID != "" {
			b.Notes = append(b.Notes, Note{ObjectID: o.ID, Note: "duplicate " + o.Type + " id; later copy ignored"})
			return
		}
		name := o.Name
		if name == "" {
			name = o.ID
		}
		collByID[o.ID] = len(b.Collections)
		b.Collections = append(b.Collections, Collection{
			ID: o.ID, Name: name, Description: o.Description, SourceFile: b.Name, SourcePath: b.Path,
		})
	}
	var reports, rels, inds []int
	for i, o := range objs {
		if o.bad != "" {
			b.noteBad(o)
			continue
		}
		switch o.Type {
		case "malware":
			addCollection(o)
		case "report":
			reports = append(reports, i)
		case "relationship":
			rels = append(rels, i)
		case "indicator":
			inds = append(inds, i)
		}
	}
	malwareCount := len(b.Collections)
	isMalware := func(id string) bool { c, ok := collByID[id]; return ok && c < malwareCount }
	for _, i := range reports {
		addCollection(objs[i])
	}

	indicatorIDs := make(map[string]bool, len(inds))
	for _, i := range inds {
		indicatorIDs[objs[i].ID] = true
	}
	owner := make(map[string]int, len(inds))
	for _, i := range reports { // later reports overwrite earlier ones: last wins, as in MVT
		c, ok := collByID[objs[i].ID]
		if !ok {
			continue // a duplicate report id, already noted
		}
		for _, ref := range objs[i].ObjectRefs {
			owner[ref] = c
		}
	}
	reverse := make(map[string]int)
	for _, i := range rels {
		r := objs[i]
		switch {
		case isMalware(r.TargetRef):
			if _, taken := owner[r.SourceRef]; !taken {
				owner[r.SourceRef] = collByID[r.TargetRef]
			}
			if strings.HasPrefix(r.SourceRef, "indicator--") && !indicatorIDs[r.SourceRef] {
				b.Notes = append(b.Notes, Note{ObjectID: r.ID, Value: r.SourceRef, Note: "relationship from an indicator that is not in the bundle"})
			}
		case isMalware(r.SourceRef):
			if _, taken := reverse[r.TargetRef]; !taken {
				reverse[r.TargetRef] = collByID[r.SourceRef]
			}
		}
	}

	defaultColl := -1
	for _, i := range inds {
		o := objs[i]
		c, ok := owner[o.ID]
		if !ok {
			c, ok = reverse[o.ID]
		}
		if !ok {
			if defaultColl < 0 {
				defaultColl = len(b.Collections)
				b.Collections = append(b.Collections, Collection{Name: DefaultCollection, SourceFile: b.Name, SourcePath: b.Path})
			}
			c = defaultColl
		}
		b.addIndicator(o, c)
	}
	b.IndicatorObjects = len(inds)
}

// addIndicator parses one indicator object's pattern and appends its matchable values, or
// records why it has none.
func (b *Bundle) addIndicator(o stixObject, coll int) {
	unsupported := func(reason string) {
		b.Unsupported = append(b.Unsupported, Unsupported{
			File: b.Name, IndicatorID: o.ID, Pattern: o.Pattern, PatternType: o.PatternType, Reason: reason,
		})
	}
	// STIX 2.0 indicators have no pattern_type; their patterns are STIX patterns.
	if o.PatternType != "" && !strings.EqualFold(o.PatternType, "stix") {
		unsupported(fmt.Sprintf("pattern_type %q is not stix", o.PatternType))
		return
	}
	comps, err := parsePattern(o.Pattern)
	if err != nil {
		unsupported(err.Error())
		return
	}
	for _, c := range comps {
		key, bk, reason := normalizeKey(c.objectType, c.steps)
		if bk == bucketNone {
			unsupported(reason)
			continue
		}
		n, reason := normalizeValue(bk, c.value)
		if reason != "" {
			unsupported(fmt.Sprintf("%s value %q: %s", key, c.value, reason))
			continue
		}
		if n.note != "" {
			b.Notes = append(b.Notes, Note{ObjectID: o.ID, Value: c.value, Note: n.note})
		}
		b.Indicators = append(b.Indicators, Indicator{
			ID: o.ID, Key: key, Value: c.value, Pattern: o.Pattern, Collection: coll, Revoked: o.Revoked, normalized: n,
		})
	}
}

// noteBad records an object whose properties had the wrong JSON types. An indicator is
// also listed as unsupported, since it is one Vigil will not check.
func (b *Bundle) noteBad(o stixObject) {
	if o.Type == "indicator" {
		b.Unsupported = append(b.Unsupported, Unsupported{File: b.Name, IndicatorID: o.ID, Reason: "malformed object: " + o.bad})
		return
	}
	b.Notes = append(b.Notes, Note{ObjectID: o.ID, Note: "malformed " + o.Type + " object ignored: " + o.bad})
}
