package parse

import "errors"

// Sentinels of the normalisers added for real data; see doc.go for the rest.
var (
	// ErrAmbiguousDate means a numeric date such as 04/11/2022 was read from a
	// source that declared neither day-first nor month-first.
	ErrAmbiguousDate = errors.New("ambiguous numeric date")
	// ErrBadHS means a Harmonized System code is malformed or names no chapter.
	ErrBadHS = errors.New("invalid HS code")
	// ErrBadMMSI means an MMSI is not 9 digits or carries no known MID.
	ErrBadMMSI = errors.New("invalid MMSI")
	// ErrDiscountMismatch means a stated discount disagrees with list and sale price.
	ErrDiscountMismatch = errors.New("discount does not match prices")
	// ErrInvalidUTF8 means a value is not valid UTF-8 and cannot be repaired safely.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrBadRepr means a cell declared as a Python literal does not parse as one.
	ErrBadRepr = errors.New("invalid Python literal")
)
