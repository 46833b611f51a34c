package ioc

import (
	"fmt"
	"strings"
)

// tokKind is the lexical class of a pattern token.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokLBrack         // [
	tokRBrack         // ]
	tokLParen         // (
	tokRParen         // )
	tokColon          // :
	tokDot            // .
	tokComma          // ,
	tokStar           // *
	tokOp             // = != <> < > <= >=
	tokWord           // identifiers, keywords, numbers, literal prefixes (h, b, t)
	tokString         // a single-quoted string, already unescaped
)

// token is one lexeme; text is the unescaped value for strings and the source text otherwise.
type token struct {
	kind tokKind
	text string
	pos  int
}

// describe names a token for messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of pattern"
	case tokString:
		return "string"
	}
	return fmt.Sprintf("%q", t.text)
}

// syntaxError builds the "unsupported" reason for a pattern Vigil cannot even tokenise or
// parse; such a pattern is reported, never fatal.
func syntaxError(pos int, format string, args ...any) error {
	return &unsupportedError{reason: fmt.Sprintf("syntax error at offset %d: %s", pos, fmt.Sprintf(format, args...))}
}

// maxPatternTokens caps the work spent on one attacker-supplied pattern.
const maxPatternTokens = 4096

// tokenize splits a STIX pattern into tokens. It is whitespace tolerant and understands
// the two string escapes of the specification (\' and \\); any other backslash is kept
// as written because hand-written feeds put Windows paths in unescaped.
func tokenize(src string) ([]token, error) {
	toks := make([]token, 0, 8)
	for i := 0; ; {
		for i < len(src) && isPatternSpace(src[i]) {
			i++
		}
		if len(toks) >= maxPatternTokens {
			return nil, &unsupportedError{reason: fmt.Sprintf("pattern longer than %d tokens", maxPatternTokens)}
		}
		if i >= len(src) {
			return append(toks, token{kind: tokEOF, pos: i}), nil
		}
		start := i
		c := src[i]
		var kind tokKind
		switch c {
		case '[':
			kind, i = tokLBrack, i+1
		case ']':
			kind, i = tokRBrack, i+1
		case '(':
			kind, i = tokLParen, i+1
		case ')':
			kind, i = tokRParen, i+1
		case ':':
			kind, i = tokColon, i+1
		case '.':
			kind, i = tokDot, i+1
		case ',':
			kind, i = tokComma, i+1
		case '*':
			kind, i = tokStar, i+1
		case '=':
			kind, i = tokOp, i+1
		case '!', '<', '>':
			kind, i = tokOp, i+1
			if i < len(src) && (src[i] == '=' || (c == '<' && src[i] == '>')) {
				i++
			} else if c == '!' {
				return nil, syntaxError(start, "'!' not followed by '='")
			}
		case '\'':
			text, end, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokString, text: text, pos: start})
			i = end
			continue
		default:
			if !isWordByte(c) {
				return nil, syntaxError(start, "unexpected character %q", c)
			}
			for i < len(src) && isWordByte(src[i]) {
				i++
			}
			kind = tokWord
		}
		toks = append(toks, token{kind: kind, text: src[start:i], pos: start})
	}
}

// lexString reads the quoted string starting at src[i] == '\” and returns its unescaped
// text and the offset after the closing quote. It allocates only when there are escapes.
func lexString(src string, i int) (string, int, error) {
	start := i
	i++
	var b *strings.Builder
	from := i
	for i < len(src) {
		switch src[i] {
		case '\'':
			if b == nil {
				return src[from:i], i + 1, nil
			}
			b.WriteString(src[from:i])
			return b.String(), i + 1, nil
		case '\\':
			if i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '\\') {
				if b == nil {
					b = &strings.Builder{}
				}
				b.WriteString(src[from:i])
				b.WriteByte(src[i+1])
				i += 2
				from = i
				continue
			}
		}
		i++
	}
	return "", 0, syntaxError(start, "unterminated string")
}

// isPatternSpace reports the ASCII white space STIX allows between tokens.
func isPatternSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isWordByte reports bytes of identifiers, keywords and numbers. '-' belongs here because
// object types (domain-name) and unquoted hash names (SHA-256) contain it.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
