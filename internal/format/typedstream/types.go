package typedstream

import "fmt"

// typ is one parsed Objective-C type encoding, as typedstream groups carry
// them ("@", "iI", "[572c]", "{_NSRange=QQ}").
type typ struct {
	code   byte   // the encoding character: 'i', '@', '[', '{', ...
	count  int    // array length, for '['
	elem   *typ   // array element type, for '['
	fields []*typ // struct field types, for '{'
}

const (
	// maxTypeDepth bounds nested arrays and structs in one type string.
	maxTypeDepth = 16
	// maxArrayCount bounds a declared array length; reading then checks the
	// bytes are really there.
	maxArrayCount = 1 << 30
)

// parseTypes splits a group's type string into one type per value.
func parseTypes(s []byte) ([]*typ, error) {
	if len(s) == 0 {
		return nil, fmt.Errorf("empty type string: %w", ErrMalformed)
	}
	var out []*typ
	for len(s) > 0 {
		t, rest, err := parseType(s, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		s = rest
	}
	return out, nil
}

// parseType parses the type at the start of s and returns the rest.
func parseType(s []byte, depth int) (*typ, []byte, error) {
	if depth > maxTypeDepth {
		return nil, nil, fmt.Errorf("type nested deeper than %d: %w", maxTypeDepth, ErrLimit)
	}
	if len(s) == 0 {
		return nil, nil, fmt.Errorf("type string ends inside a type: %w", ErrMalformed)
	}
	switch c := s[0]; c {
	case 'c', 'C', 'B', 's', 'S', 'i', 'I', 'l', 'L', 'q', 'Q', 'f', 'd', '*', '%', ':', '+', '#', '@':
		return &typ{code: c}, s[1:], nil
	case '[':
		return parseArray(s, depth)
	case '{':
		return parseStruct(s, depth)
	default:
		// Unions, pointers, bit fields and "!" have no reliable width in a
		// stream, and NSUnarchiver refuses them too.
		return nil, nil, fmt.Errorf("unsupported type %q: %w", c, ErrMalformed)
	}
}

// parseArray parses "[<count><type>]".
func parseArray(s []byte, depth int) (*typ, []byte, error) {
	i, n := 1, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
		if n > maxArrayCount {
			return nil, nil, fmt.Errorf("array of more than %d elements: %w", maxArrayCount, ErrLimit)
		}
	}
	if i == 1 {
		return nil, nil, fmt.Errorf("array type without a count: %w", ErrMalformed)
	}
	elem, rest, err := parseType(s[i:], depth+1)
	if err != nil {
		return nil, nil, err
	}
	if len(rest) == 0 || rest[0] != ']' {
		return nil, nil, fmt.Errorf("array type without ']': %w", ErrMalformed)
	}
	return &typ{code: '[', count: n, elem: elem}, rest[1:], nil
}

// parseStruct parses "{name=<types>}" or "{<types>}".
func parseStruct(s []byte, depth int) (*typ, []byte, error) {
	rest := s[1:]
	// The name, if any, runs to '=' and never holds a type bracket; stopping
	// at brackets keeps "{{a=i}}" (an unnamed struct of a named one) apart.
	for i, c := range rest {
		if c == '=' {
			rest = rest[i+1:]
			break
		}
		if c == '{' || c == '}' || c == '[' || c == ']' || c == '(' || c == ')' {
			break
		}
	}
	t := &typ{code: '{'}
	for {
		if len(rest) == 0 {
			return nil, nil, fmt.Errorf("struct type without '}': %w", ErrMalformed)
		}
		if rest[0] == '}' {
			return t, rest[1:], nil
		}
		f, after, err := parseType(rest, depth+1)
		if err != nil {
			return nil, nil, err
		}
		t.fields = append(t.fields, f)
		rest = after
	}
}
