package ioc

import (
	"strings"
)

// comparison is one `<object-type>:<path> = '<value>'` test taken from a STIX pattern.
type comparison struct {
	objectType string
	steps      []string // property path steps, quotes removed; list indexes as "[*]" or "[n]"
	value      string   // unescaped
}

// unsupportedError says why a pattern is outside the subset Vigil matches. Such patterns
// are listed in the run's provenance, never fatal: one odd indicator must not stop a scan.
type unsupportedError struct{ reason string }

func (e *unsupportedError) Error() string { return e.reason }

// maxPatternDepth bounds parenthesis nesting so that a hostile pattern cannot recurse deeply.
const maxPatternDepth = 64

// parsePattern parses a STIX 2.1 pattern and returns its comparisons when the pattern is
// a disjunction of equality tests: one `[a = 'x']`, an OR inside one observation
// (`[a = 'x' OR b = 'y']`), or an OR of such observations (`[a = 'x'] OR [b = 'y']`,
// which means the same for matching). Each comparison becomes its own indicator value.
// Everything else (AND, NOT, !=, LIKE, MATCHES, IN, EXISTS, FOLLOWEDBY, qualifiers,
// non-string literals) returns an *unsupportedError naming the construct.
func parsePattern(src string) ([]comparison, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := parser{toks: toks}
	if err := p.observationOr(); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, syntaxError(t.pos, "unexpected %s", t.describe())
	}
	return p.out, nil
}

// parser is a recursive-descent parser over a token slice that always ends in tokEOF.
type parser struct {
	toks  []token
	i     int
	depth int
	out   []comparison
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// keyword returns the upper-cased word at the cursor, or "" when the token is not a word.
// Keywords are matched case-insensitively to tolerate hand-written feeds.
func (p *parser) keyword() string {
	if t := p.peek(); t.kind == tokWord {
		return strings.ToUpper(t.text)
	}
	return ""
}

func (p *parser) expect(kind tokKind, what string) error {
	if t := p.next(); t.kind != kind {
		return syntaxError(t.pos, "expected %s, found %s", what, t.describe())
	}
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxPatternDepth {
		return &unsupportedError{reason: "pattern nested too deeply"}
	}
	return nil
}

// observationOr parses observation expressions joined by OR.
func (p *parser) observationOr() error {
	for {
		if err := p.observation(); err != nil {
			return err
		}
		switch kw := p.keyword(); kw {
		case "OR":
			p.next()
		case "AND", "FOLLOWEDBY":
			return &unsupportedError{reason: kw + " between observation expressions"}
		case "WITHIN", "REPEATS", "START":
			return &unsupportedError{reason: "qualifier " + kw}
		default:
			return nil
		}
	}
}

// observation parses `[ comparisons ]` or a parenthesised group of observations.
func (p *parser) observation() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	t := p.next()
	switch t.kind {
	case tokLParen:
		if err := p.observationOr(); err != nil {
			return err
		}
		return p.expect(tokRParen, "')'")
	case tokLBrack:
		if err := p.comparisonOr(); err != nil {
			return err
		}
		return p.expect(tokRBrack, "']'")
	}
	return syntaxError(t.pos, "expected '[', found %s", t.describe())
}

// comparisonOr parses comparisons joined by OR inside one observation.
func (p *parser) comparisonOr() error {
	for {
		if err := p.comparison(); err != nil {
			return err
		}
		switch p.keyword() {
		case "OR":
			p.next()
		case "AND":
			return &unsupportedError{reason: "AND inside an observation expression"}
		default:
			return nil
		}
	}
}

// comparison parses one `path = 'value'` test or a parenthesised group of them.
func (p *parser) comparison() error {
	if p.peek().kind == tokLParen {
		if err := p.enter(); err != nil {
			return err
		}
		p.next()
		if err := p.comparisonOr(); err != nil {
			return err
		}
		p.depth--
		return p.expect(tokRParen, "')'")
	}
	if p.keyword() == "EXISTS" {
		return &unsupportedError{reason: "operator EXISTS"}
	}
	typ, steps, err := p.objectPath()
	if err != nil {
		return err
	}
	switch kw := p.keyword(); kw {
	case "":
	case "NOT", "LIKE", "MATCHES", "IN", "ISSUBSET", "ISSUPERSET":
		return &unsupportedError{reason: "operator " + kw}
	default:
		return syntaxError(p.peek().pos, "expected an operator, found %s", p.peek().describe())
	}
	op := p.next()
	if op.kind != tokOp {
		return syntaxError(op.pos, "expected an operator, found %s", op.describe())
	}
	if op.text != "=" {
		return &unsupportedError{reason: "operator " + op.text}
	}
	v := p.next()
	if v.kind != tokString {
		return &unsupportedError{reason: "comparison with a non-string value " + v.describe()}
	}
	p.out = append(p.out, comparison{objectType: typ, steps: steps, value: v.text})
	return nil
}

// objectPath parses `type:step(.step|[index])*`; quoted steps ('SHA-256') lose their quotes.
func (p *parser) objectPath() (string, []string, error) {
	t := p.next()
	if t.kind != tokWord {
		return "", nil, syntaxError(t.pos, "expected an object type, found %s", t.describe())
	}
	if err := p.expect(tokColon, "':' after the object type"); err != nil {
		return "", nil, err
	}
	var steps []string
	for first := true; ; first = false {
		if !first {
			switch p.peek().kind {
			case tokDot:
				p.next()
			case tokLBrack:
				p.next()
				idx := p.next()
				if idx.kind != tokStar && idx.kind != tokWord {
					return "", nil, syntaxError(idx.pos, "expected a list index, found %s", idx.describe())
				}
				if err := p.expect(tokRBrack, "']' after a list index"); err != nil {
					return "", nil, err
				}
				steps = append(steps, "["+idx.text+"]")
				continue
			default:
				return t.text, steps, nil
			}
		}
		s := p.next()
		if s.kind != tokWord && s.kind != tokString {
			return "", nil, syntaxError(s.pos, "expected a property name, found %s", s.describe())
		}
		steps = append(steps, s.text)
	}
}
