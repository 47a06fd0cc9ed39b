package parse

import (
	"fmt"
	"strings"
)

// MMSI is a validated Maritime Mobile Service Identity and the flag state
// its Maritime Identification Digits (MID) are allocated to.
type MMSI struct {
	Number string // nine digits
	MID    int    // 0 when the kind of station carries none
	Flag   string // ISO 3166 alpha-2, "" when the MID is not in the table
}

// ParseMMSI reads a nine-digit MMSI and finds its MID where ITU-R M.585
// puts it: digits 1-3 for ships, after a leading 0/00 for group and coast
// stations, after 111 for SAR aircraft, after 98/99 for craft and aids to
// navigation, after 8 for handhelds. 970/972/974 devices have no MID.
// An MID outside the compact table gives an empty Flag, not an error:
// the number is still valid, only the flag is unknown.
func ParseMMSI(s string) (MMSI, error) {
	t := strings.TrimSpace(s)
	if len(t) != 9 || !allDigits(t) {
		return MMSI{}, fmt.Errorf("%w %q: want 9 digits", ErrBadMMSI, s)
	}
	at := midOffset(t)
	if at < 0 {
		return MMSI{Number: t}, nil
	}
	mid := int(t[at]-'0')*100 + int(t[at+1]-'0')*10 + int(t[at+2]-'0')
	if mid < 201 || mid > 775 {
		return MMSI{}, fmt.Errorf("%w %q: %d is not a maritime identification digit", ErrBadMMSI, s, mid)
	}
	return MMSI{Number: t, MID: mid, Flag: midFlags[mid]}, nil
}

// midOffset is where the MID starts in an MMSI, or -1 for none.
func midOffset(t string) int {
	switch {
	case strings.HasPrefix(t, "970"), strings.HasPrefix(t, "972"), strings.HasPrefix(t, "974"):
		return -1
	case strings.HasPrefix(t, "111"):
		return 3
	case strings.HasPrefix(t, "00"), strings.HasPrefix(t, "98"), strings.HasPrefix(t, "99"):
		return 2
	case t[0] == '0', t[0] == '8':
		return 1
	}
	return 0
}

// MIDFlag returns the flag state an MID is allocated to, from the compact table.
func MIDFlag(mid int) (string, bool) {
	f, ok := midFlags[mid]
	return f, ok
}
