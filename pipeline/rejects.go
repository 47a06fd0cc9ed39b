package pipeline

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// RejectCode is the stable code of a reject, such as no_fx_rate or
// unknown_port: what the reject guard counts, what meta.rejects.code holds
// and what analysts group by. The transforms define the codes they use
// (transforms.ReasonCodes lists them); the message that follows a code in
// the reason text is free to improve, the code is not.
type RejectCode string

// RejectUncoded is what a reason with no code counts as: none of the
// transforms writes one, but a reject batch may come from elsewhere.
const RejectUncoded RejectCode = "other"

// AppendRejectReason appends the reason text of a reject to dst: the code
// in brackets, then the detail, e.g. `[unknown_currency] price "XYZ 12.00":
// unknown currency "XYZ"`. It is the one place that text is made, so
// analysts' queries over meta.rejects.reason keep working. It appends
// rather than returns so a transform on a dirty source can reuse a buffer
// instead of allocating a string per reject.
func AppendRejectReason(dst []byte, code RejectCode, detail string) []byte {
	dst = append(dst, '[')
	dst = append(dst, code...)
	dst = append(dst, "] "...)
	return append(dst, detail...)
}

// RejectReason is the reason text of a reject (see AppendRejectReason).
func RejectReason(code RejectCode, detail string) string {
	return string(AppendRejectReason(nil, code, detail))
}

// ParseRejectReason splits reason text made by RejectReason into its code
// and detail. ok is false for text with no code, which is all detail. Only
// text from outside a run needs it (older meta.rejects rows, another
// producer's batches): a reject batch carries its code in a column.
func ParseRejectReason(reason string) (code RejectCode, detail string, ok bool) {
	rest, found := strings.CutPrefix(reason, "[")
	if !found {
		return "", reason, false
	}
	c, detail, found := strings.Cut(rest, "]")
	// The same rule as the SQL that reads codes out of old rows:
	// ^\[([a-z0-9_]+)\]
	if !found || c == "" || strings.TrimFunc(c, isCodeRune) != "" {
		return "", reason, false
	}
	return RejectCode(c), strings.TrimPrefix(detail, " "), true
}

func isCodeRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' }

// RejectCodes reads the code of every row of a reject batch
// (RejectSchema): its code column, or for a row without one, the code its
// reason text starts with, RejectUncoded when that has none either.
func RejectCodes(rej arrow.RecordBatch) []RejectCode {
	out := make([]RejectCode, rej.NumRows())
	codes := stringColumn(rej, "code")
	reasons := stringColumn(rej, "reason")
	for i := range out {
		switch {
		case codes != nil && codes.IsValid(i) && codes.Value(i) != "":
			out[i] = RejectCode(codes.Value(i))
		case reasons != nil && reasons.IsValid(i):
			if c, _, ok := ParseRejectReason(reasons.Value(i)); ok {
				out[i] = c
				continue
			}
			fallthrough
		default:
			out[i] = RejectUncoded
		}
	}
	return out
}

// stringColumn is the utf8 column name of b, nil when b has none.
func stringColumn(b arrow.RecordBatch, name string) *array.String {
	idx := b.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return nil
	}
	c, _ := b.Column(idx[0]).(*array.String)
	return c
}
