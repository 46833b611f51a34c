package plistsafe

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// xmlRoot reports whether howett.net/plist will parse data as XML. It
// tries XML first and falls back to its text parser when the XML tokenizer
// fails before the first element or that element is not a plist element;
// after that there is no fallback. Running the same tokenizer up to the
// first element makes the choice exactly as the library will.
func xmlRoot(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if el, ok := tok.(xml.StartElement); ok {
			switch el.Name.Local {
			case "plist", "array", "dict", "string", "integer", "real", "true", "false", "date", "data":
				return true
			}
			return false
		}
	}
}

// checkXML refuses XML plists whose containers nest deeper than MaxDepth,
// without allocating, so that a multi-megabyte Info.plist costs one pass.
func checkXML(data []byte) error {
	if xmlDepth(data, MaxDepth) > MaxDepth {
		return fmt.Errorf("XML plist nests containers deeper than %d: %w", MaxDepth, ErrLimit)
	}
	return nil
}

// xmlDepth returns how deeply howett.net/plist would recurse parsing data,
// or some depth above limit as soon as it finds one.
//
// The library recurses into the children of <plist>, <array> and <dict>
// and nothing else: the content of every other element (<string>, <key>,
// <data>...) is read or skipped by encoding/xml without recursion. So the
// scan counts open containers, and inside any other element only tracks
// nesting to find where it ends. It tokenizes like encoding/xml does where
// that decides what is markup: comments, CDATA sections, processing
// instructions and directives are skipped, and quoted attribute values may
// hold '>'. Where the two could disagree the document is one encoding/xml
// rejects, and the library stops reading at that point: the count up to
// there is what matters, and reading on cannot lower the deepest count
// already reached.
func xmlDepth(data []byte, limit int) int {
	depth, deepest := 0, 0 // open containers
	leaf := 0              // >0 inside another element: how deep inside it
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 || i+j+1 >= len(data) {
			break
		}
		i += j + 1
		switch data[i] {
		case '/':
			i = skipPast(data, i, ">")
			switch {
			case leaf > 0:
				leaf--
			case depth > 0:
				depth--
			}
		case '?':
			i = skipPast(data, i+1, "?>")
		case '!':
			i = skipBang(data, i)
		default:
			container, empty, end := startTag(data, i)
			i = end
			switch {
			case leaf > 0:
				if !empty {
					leaf++
				}
			case !container:
				if !empty {
					leaf = 1
				}
			default:
				// A self-closing container is entered and left at once,
				// but entered all the same.
				deepest = max(deepest, depth+1)
				if deepest > limit {
					return deepest
				}
				if !empty {
					depth++
				}
			}
		}
	}
	return deepest
}

// skipPast returns the index just after the first end at or after i, or
// len(data) when there is none (the tokenizer then fails at the end).
func skipPast(data []byte, i int, end string) int {
	j := bytes.Index(data[i:], []byte(end))
	if j < 0 {
		return len(data)
	}
	return i + j + len(end)
}

// skipBang skips the markup that starts "<!" (i is at the '!'): a comment, a
// CDATA section or a directive such as <!DOCTYPE ...>.
func skipBang(data []byte, i int) int {
	rest := data[i+1:]
	switch {
	case bytes.HasPrefix(rest, []byte("--")):
		return skipPast(data, i+3, "-->")
	case bytes.HasPrefix(rest, []byte("[CDATA[")):
		return skipPast(data, i+8, "]]>")
	}
	return skipDirective(data, i+1)
}

// skipDirective follows encoding/xml's reading of a directive, which starts
// at i (just after "<!"): the first byte is taken as it is, then quotes hide
// angle brackets, other '<' and '>' nest, and "<!--" opens a comment.
func skipDirective(data []byte, i int) int {
	var quote byte
	depth := 0
	for i++; i < len(data); {
		b := data[i]
		i++
		if quote == 0 && b == '>' && depth == 0 {
			return i
		}
		// A '<' that does not open a comment hands the byte that broke the
		// "!--" match back to this switch, as encoding/xml does.
		for handled := false; !handled; {
			handled = true
			switch {
			case b == quote:
				quote = 0
			case quote != 0:
			case b == '\'' || b == '"':
				quote = b
			case b == '>':
				depth--
			case b == '<':
				m := 0
				for m < 3 && i+m < len(data) && data[i+m] == "!--"[m] {
					m++
				}
				switch {
				case m == 3:
					i = skipPast(data, i+3, "-->")
				case i+m >= len(data):
					return len(data)
				default:
					depth++
					b = data[i+m]
					i += m + 1
					handled = false
				}
			}
		}
	}
	return len(data)
}

// startTag reads the start tag whose name begins at i. It reports whether
// the element is a container the library recurses into, whether it closes
// itself ("/>"), and the index after the tag.
func startTag(data []byte, i int) (container, empty bool, end int) {
	n := i
	for n < len(data) && isNameByte(data[n]) {
		n++
	}
	name := data[i:n]
	// encoding/xml splits "prefix:local" and the library looks only at
	// the local part, so <x:array> is an array too.
	if c := bytes.LastIndexByte(name, ':'); c >= 0 {
		name = name[c+1:]
	}
	switch string(name) {
	case "plist", "array", "dict":
		container = true
	}
	for k := n; k < len(data); k++ {
		switch c := data[k]; c {
		case '"', '\'':
			q := bytes.IndexByte(data[k+1:], c)
			if q < 0 {
				return container, false, len(data)
			}
			k += q + 1
		case '>':
			return container, data[k-1] == '/', k + 1
		}
	}
	return container, false, len(data)
}

// isNameByte matches the bytes encoding/xml reads as part of a name; it
// accepts every non-ASCII byte and checks them afterwards.
func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-' || c >= 0x80
}
