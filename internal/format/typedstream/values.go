package typedstream

// maxDepth bounds nesting of objects, arrays and structs. Messages nest ten
// deep at most; the bound keeps recursion small on hostile input.
const maxDepth = 100

// walk reads typed-value groups until the stream ends.
func (r *reader) walk() error {
	for r.pos < len(r.b) {
		if err := r.group(0); err != nil {
			return err
		}
	}
	return nil
}

// group reads a type string and one value per type in it.
func (r *reader) group(depth int) error {
	types, err := r.typeString()
	if err != nil {
		return err
	}
	for _, t := range types {
		if err := r.value(t, depth); err != nil {
			return err
		}
	}
	return nil
}

// typeString reads a group's type string, parsing each distinct one once:
// a one-byte reference can repeat a long type string, and re-parsing it
// every time would make the walk quadratic.
func (r *reader) typeString() ([]*typ, error) {
	i, err := r.shared()
	if err != nil {
		return nil, err
	}
	if i < 0 {
		return nil, r.errorf(ErrMalformed, "nil type string")
	}
	if types, ok := r.types[i]; ok {
		return types, nil
	}
	types, err := parseTypes(r.strs[i])
	if err != nil {
		return nil, r.errorf(err, "type string %q", r.strs[i])
	}
	r.types[i] = types
	return types, nil
}

// value reads one value of type t.
func (r *reader) value(t *typ, depth int) error {
	// Every value but an empty array or struct consumes input, so a budget
	// proportional to the input bounds the walk even for "[0c]" repeated
	// through references.
	r.steps++
	if r.steps > r.maxSteps {
		return r.errorf(ErrLimit, "more than %d values", r.maxSteps)
	}
	if depth > maxDepth {
		return r.errorf(ErrLimit, "nested deeper than %d", maxDepth)
	}
	var err error
	switch t.code {
	case 'c', 'C', 'B':
		_, err = r.byte() // chars and bools are one raw byte, never tagged
	case 's', 'i', 'l', 'q':
		_, err = r.int(true)
	case 'S', 'I', 'L', 'Q':
		_, err = r.int(false)
	case 'f':
		_, err = r.float(4)
	case 'd':
		_, err = r.float(8)
	case '*':
		err = r.cString()
	case '%', ':':
		_, err = r.shared()
	case '+':
		err = r.text(depth)
	case '#':
		_, err = r.class()
	case '@':
		err = r.object(depth)
	case '[':
		if t.elem.code == 'c' || t.elem.code == 'C' {
			_, err = r.bytes(int64(t.count))
			break
		}
		for i := 0; i < t.count && err == nil; i++ {
			err = r.value(t.elem, depth+1)
		}
	case '{':
		for _, f := range t.fields {
			if err = r.value(f, depth+1); err != nil {
				break
			}
		}
	}
	return err
}

// text reads a '+' value, the body of an NSString, and hands it on when the
// object being read is a string.
func (r *reader) text(depth int) error {
	s, ok, err := r.unshared()
	if err != nil || !ok || len(r.open) == 0 {
		return err
	}
	owner := r.objs[r.open[len(r.open)-1]]
	if r.objs[owner.class].family&familyString == 0 || r.onString == nil {
		return nil
	}
	return r.onString(s, len(r.open))
}

// cString reads a '*' value: nil, a literal (which takes an object slot) or
// a reference to an earlier one.
func (r *reader) cString() error {
	head, err := r.byte()
	if err != nil || head == tagNil {
		return err
	}
	if head != tagNew {
		_, err = r.ref(head, kindCString)
		return err
	}
	i, err := r.shared()
	if err != nil {
		return err
	}
	if i < 0 {
		return r.errorf(ErrMalformed, "literal C string is nil")
	}
	r.objs = append(r.objs, entry{kind: kindCString, super: -1, class: -1})
	return nil
}

// object reads an '@' value. A literal object takes its slot before its
// class chain is read, then holds groups until the end tag.
func (r *reader) object(depth int) error {
	head, err := r.byte()
	if err != nil || head == tagNil {
		return err
	}
	if head != tagNew {
		_, err = r.ref(head, kindObject)
		return err
	}
	slot := len(r.objs)
	r.objs = append(r.objs, entry{kind: kindObject, super: -1, class: -1})
	class, err := r.class()
	if err != nil {
		return err
	}
	if class < 0 {
		return r.errorf(ErrMalformed, "object without a class")
	}
	r.objs[slot].class = class
	r.open = append(r.open, slot)
	defer func() { r.open = r.open[:len(r.open)-1] }()
	for {
		if r.pos >= len(r.b) {
			return r.errorf(ErrTruncated, "stream ends inside a %s object", r.objs[class].name)
		}
		if r.b[r.pos] == tagEnd {
			r.pos++
			return nil
		}
		if err := r.group(depth + 1); err != nil {
			return err
		}
	}
}

// class reads a class chain, most derived class first, each literal class
// taking a slot; it ends in nil or a reference to a class read before. It
// returns the first class's slot, or -1 for a nil class.
func (r *reader) class() (int, error) {
	start := len(r.objs)
	head, err := r.byte()
	for err == nil && head == tagNew {
		if err = r.literalClass(); err == nil {
			head, err = r.byte()
		}
	}
	if err != nil {
		return 0, err
	}
	tail := -1
	if head != tagNil {
		if tail, err = r.ref(head, kindClass); err != nil {
			return 0, err
		}
		// A superclass must come from an earlier chain; one from this chain
		// would make it a loop.
		if tail >= start {
			return 0, r.errorf(ErrMalformed, "class chain refers into itself")
		}
	}
	if len(r.objs) == start {
		return tail, nil
	}
	// Each new class's superclass is the next one; the last one's is the
	// tail. Families then flow from superclass to subclass, back to front.
	last := len(r.objs) - 1
	r.objs[last].super = tail
	for i := last; i >= start; i-- {
		c := &r.objs[i]
		if i < last {
			c.super = i + 1
		}
		c.family = familyOf(c.name)
		if c.super >= 0 {
			c.family |= r.objs[c.super].family
		}
	}
	return start, nil
}

// literalClass reads one class of a chain after its new tag: the name and
// the version, which nothing here depends on.
func (r *reader) literalClass() error {
	name, err := r.shared()
	if err != nil {
		return err
	}
	if name < 0 {
		return r.errorf(ErrMalformed, "class without a name")
	}
	if _, err := r.int(true); err != nil {
		return err
	}
	r.objs = append(r.objs, entry{kind: kindClass, name: string(r.strs[name]), super: -1, class: -1})
	return nil
}
