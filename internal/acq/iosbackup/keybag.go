package iosbackup

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// ErrCorruptKeybag reports a BackupKeyBag that does not follow the keybag format.
var ErrCorruptKeybag = errors.New("corrupt keybag")

// Wrap bits of a class key record: which keys its WPKY is wrapped with.
const (
	WrapDevice   = 1 // the device's UID-derived key, never available off the device
	WrapPasscode = 2 // the key derived from the backup password
)

// maxKeybagSize bounds the input: real backup keybags are about 1 KB, and the
// value comes from a plist inside the evidence.
const maxKeybagSize = 1 << 20

// wrappedKeySize is an RFC 3394-wrapped 32-byte AES key.
const wrappedKeySize = 40

// Keybag is a parsed BackupKeyBag from Manifest.plist.
type Keybag struct {
	Version    uint32 // VERS
	Type       uint32 // TYPE: 0 system, 1 backup, 2 escrow, 3 OTA/iCloud
	UUID       []byte // UUID of the keybag; a saved key file records it
	HMCK       []byte // HMCK, kept but not used
	Wrap       uint32 // WRAP of the header
	Salt       []byte // SALT of the PBKDF2-SHA1 stage
	Iterations uint32 // ITER of the PBKDF2-SHA1 stage
	DPWT       uint32 // DPWT, kept but not used

	// DPIC and DPSL drive the PBKDF2-SHA256 stage added in iOS 10.2; both are
	// absent from older keybags.
	DPIC uint32
	DPSL []byte

	Classes []ClassKey // in keybag order, one per class
}

// ClassKey is one wrapped class key of a keybag.
type ClassKey struct {
	UUID       []byte // UUID that opens the record
	Class      uint32 // CLAS: the data-protection class
	Wrap       uint32 // WRAP: WrapDevice | WrapPasscode bits
	KeyType    uint32 // KTYP: 0 AES, 1 Curve25519
	WrappedKey []byte // WPKY: 40 bytes
	PublicKey  []byte // PBKY, present for asymmetric classes
}

// UUIDHex is the keybag UUID in lowercase hex, as key files record it.
func (kb *Keybag) UUIDHex() string { return hex.EncodeToString(kb.UUID) }

// ParseKeybag parses a BackupKeyBag: a flat run of TLV records (4-byte tag,
// 4-byte big-endian length, value), header tags first, then one record per
// class key, each opened by a UUID tag. It is strict: anything it cannot
// account for is an error wrapping ErrCorruptKeybag, never a guess.
func ParseKeybag(b []byte) (*Keybag, error) {
	if len(b) > maxKeybagSize {
		return nil, fmt.Errorf("%w: %d bytes, more than a keybag can hold", ErrCorruptKeybag, len(b))
	}
	p := keybagParser{kb: &Keybag{}, seen: map[string]bool{}, classes: map[uint32]bool{}}
	for off := 0; off < len(b); {
		if len(b)-off < 8 {
			return nil, fmt.Errorf("%w: truncated TLV header at offset %d (%d bytes left)", ErrCorruptKeybag, off, len(b)-off)
		}
		tag := string(b[off : off+4])
		n := uint64(binary.BigEndian.Uint32(b[off+4 : off+8]))
		if n > uint64(len(b)-off-8) {
			return nil, fmt.Errorf("%w: %q at offset %d claims %d bytes, only %d remain", ErrCorruptKeybag, tag, off, n, len(b)-off-8)
		}
		value := bytes.Clone(b[off+8 : off+8+int(n)])
		if err := p.add(tag, value); err != nil {
			return nil, fmt.Errorf("%w: %q at offset %d: %w", ErrCorruptKeybag, tag, off, err)
		}
		off += 8 + int(n)
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptKeybag, err)
	}
	return p.kb, nil
}

// keybagParser holds the state of ParseKeybag: which section it is in and
// which tags that section has seen, so duplicates are refused.
type keybagParser struct {
	kb      *Keybag
	current *ClassKey       // the open class record, nil in the header
	seen    map[string]bool // tags of the header, then of the open record
	classes map[uint32]bool
}

func (p *keybagParser) add(tag string, v []byte) error {
	if tag == "UUID" {
		if len(v) != 16 {
			return fmt.Errorf("UUID of %d bytes, want 16", len(v))
		}
		if p.kb.UUID == nil {
			p.kb.UUID = v
			return nil
		}
		// Every UUID after the keybag's own opens the next class record.
		if err := p.closeRecord(); err != nil {
			return err
		}
		p.current = &ClassKey{UUID: v}
		p.seen = map[string]bool{}
		return nil
	}
	if p.seen[tag] {
		return errors.New("duplicate tag")
	}
	p.seen[tag] = true
	if p.current != nil {
		return p.addClassTag(tag, v)
	}
	return p.addHeaderTag(tag, v)
}

func (p *keybagParser) addHeaderTag(tag string, v []byte) error {
	kb := p.kb
	var err error
	switch tag {
	case "VERS":
		kb.Version, err = u32(v)
	case "TYPE":
		kb.Type, err = u32(v)
	case "HMCK":
		kb.HMCK = v
	case "WRAP":
		kb.Wrap, err = u32(v)
	case "SALT":
		kb.Salt = v
	case "ITER":
		kb.Iterations, err = u32(v)
	case "DPWT":
		kb.DPWT, err = u32(v)
	case "DPIC":
		kb.DPIC, err = u32(v)
	case "DPSL":
		kb.DPSL = v
	case "CLAS", "KTYP", "WPKY", "PBKY":
		return errors.New("class key tag before any class record")
	}
	// Unknown header tags are skipped: later iOS versions add tags (VERS went
	// from 3 to 5 without changing the wire format) and none is needed here.
	return err
}

func (p *keybagParser) addClassTag(tag string, v []byte) error {
	c := p.current
	var err error
	switch tag {
	case "CLAS":
		c.Class, err = u32(v)
	case "WRAP":
		c.Wrap, err = u32(v)
	case "KTYP":
		c.KeyType, err = u32(v)
	case "WPKY":
		if len(v) != wrappedKeySize {
			return fmt.Errorf("wrapped class key of %d bytes, want %d", len(v), wrappedKeySize)
		}
		c.WrappedKey = v
	case "PBKY":
		c.PublicKey = v
	case "VERS", "TYPE", "HMCK", "SALT", "ITER", "DPWT", "DPIC", "DPSL":
		return errors.New("header tag inside a class record")
	}
	return err
}

// closeRecord checks the open class record and files it.
func (p *keybagParser) closeRecord() error {
	c := p.current
	if c == nil {
		return nil
	}
	for _, tag := range []string{"CLAS", "WRAP", "WPKY"} {
		if !p.seen[tag] {
			return fmt.Errorf("class record %x has no %s", c.UUID, tag)
		}
	}
	if p.classes[c.Class] {
		return fmt.Errorf("duplicate class %d", c.Class)
	}
	p.classes[c.Class] = true
	p.kb.Classes = append(p.kb.Classes, *c)
	p.current = nil
	return nil
}

func (p *keybagParser) finish() error {
	if err := p.closeRecord(); err != nil {
		return err
	}
	kb := p.kb
	switch {
	case kb.UUID == nil:
		return errors.New("no UUID")
	case len(kb.Salt) == 0:
		return errors.New("no SALT")
	case kb.Iterations == 0:
		return errors.New("no ITER, or ITER is 0")
	case (kb.DPIC == 0) != (len(kb.DPSL) == 0):
		return errors.New("DPIC and DPSL must come together, with DPIC above 0")
	case len(kb.Classes) == 0:
		return errors.New("no class keys")
	}
	return nil
}

func u32(v []byte) (uint32, error) {
	if len(v) != 4 {
		return 0, fmt.Errorf("integer of %d bytes, want 4", len(v))
	}
	return binary.BigEndian.Uint32(v), nil
}
