package dashboard

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/exportpipe/exportpipe/internal/textfmt"
)

// Numbers are written the way a reader of trade statistics expects: counts
// with thousands separators, shares as percentages with one decimal, USD
// rounded to the dollar, other measures to two decimals.

func fmtInt(v int64) string { return textfmt.Thousands(v) }

func fmtCount(v float64) string { return fmtInt(int64(math.Round(v))) }

func fmtShare(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

func fmtUSD(v float64) string {
	if math.Abs(v) < 100 {
		return "$" + strconv.FormatFloat(v, 'f', 2, 64)
	}
	return "$" + fmtCount(v)
}

func fmtDec(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func fmtIndex(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func fmtMonth(t time.Time) string { return t.Format("2006-01") }

func fmtDay(t time.Time) string { return t.Format(time.DateOnly) }

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// fmtAge says how long ago t was, in the largest unit that fits.
func fmtAge(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "in the future"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	default:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// cellFor renders any value of a generic table (a mart read with SELECT *)
// by its type, so columns the dashboard does not know still read well.
func cellFor(col Column, v any) cell {
	if v == nil {
		return cell{Text: "", Num: isNumericType(col.Type)}
	}
	switch x := v.(type) {
	case int64:
		return cell{Text: fmtInt(x), Num: true}
	case float64:
		if strings.HasSuffix(col.Name, "_share") || col.Name == "share" {
			return cell{Text: fmtShare(x), Num: true}
		}
		if strings.HasSuffix(col.Name, "_usd") {
			return cell{Text: fmtUSD(x), Num: true}
		}
		return cell{Text: fmtDec(x), Num: true}
	case time.Time:
		if col.Type == "DATE" {
			return cell{Text: fmtDay(x)}
		}
		return cell{Text: fmtTime(x)}
	}
	return cell{Text: asString(v)}
}

func isNumericType(t string) bool {
	switch t {
	case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "DOUBLE", "FLOAT", "REAL":
		return true
	}
	return strings.HasPrefix(t, "DECIMAL")
}
