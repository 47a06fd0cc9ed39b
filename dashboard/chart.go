package dashboard

import (
	"math"
	"strconv"
	"time"
)

// Chart is one server-drawn SVG chart: its geometry is computed here and
// templates/svg.tmpl draws it. Exactly one of Bars, Lines and Stack is set.
// Every chart has a title and a description for screen readers, and its
// numbers are in the table beside it.
type Chart struct {
	ID     string
	Title  string
	Desc   string
	Width  float64
	Height float64
	Bars   []barRow
	Lines  *lineChart
	Stack  *stackChart
	Legend []legendItem
	Empty  bool
}

type barRow struct {
	Label  string
	Value  string // the value as the table shows it
	Class  string
	Y, W   float64
	TextX  float64
	LabelY float64
}

type tick struct {
	Pos   float64
	Label string
}

type plotArea struct {
	Left, Top, Right, Bottom float64
}

type lineChart struct {
	plotArea
	Series []lineSeries
	YTicks []tick
	XTicks []tick
}

type lineSeries struct {
	Name   string
	Class  string
	Points string // "x,y x,y ..." for <polyline>
	Dots   []dot
}

type dot struct {
	X, Y  float64
	Title string
}

type stackChart struct {
	plotArea
	Columns []stackColumn
	YTicks  []tick
}

type stackColumn struct {
	Label  string
	X, W   float64
	LabelX float64
	Segs   []stackSeg
}

type stackSeg struct {
	Y, H  float64
	Class string
	Title string
}

type legendItem struct {
	Name  string
	Class string
}

const (
	chartWidth  = 640.0
	barLabelW   = 170.0
	barValueW   = 110.0
	barRowH     = 22.0
	barH        = 15.0
	maxSeries   = 8
	maxBarRows  = 40
	plotPadLeft = 56.0
)

// seriesClass is the palette class of the i-th series (templates and CSS
// know s0..s7).
func seriesClass(i int) string { return "s" + strconv.Itoa(i%maxSeries) }

// bar is one input row of a horizontal bar chart.
type bar struct {
	Label     string
	Value     float64
	Text      string
	Highlight bool
}

// newBarChart lays out horizontal bars scaled to the largest value, or to
// max when it is positive (1 for shares, so bars compare across views).
func newBarChart(id, title, desc string, bars []bar, max float64) Chart {
	c := Chart{ID: id, Title: title, Desc: desc, Width: chartWidth}
	if len(bars) > maxBarRows {
		bars = bars[:maxBarRows]
	}
	if max <= 0 {
		for _, b := range bars {
			max = math.Max(max, b.Value)
		}
	}
	plotW := chartWidth - barLabelW - barValueW
	for i, b := range bars {
		w := 0.0
		if max > 0 && b.Value > 0 {
			w = math.Min(b.Value/max, 1) * plotW
		}
		y := 8 + float64(i)*barRowH
		class := "s0"
		if b.Highlight {
			class = "hl"
		}
		c.Bars = append(c.Bars, barRow{Label: clip(b.Label, 26), Value: b.Text, Class: class,
			Y: y, W: w, TextX: barLabelW + w + 6, LabelY: y + barH - 3})
	}
	c.Height = 16 + float64(len(c.Bars))*barRowH
	c.Empty = len(c.Bars) == 0
	if c.Empty {
		c.Height = 40
	}
	return c
}

// series is one input line of a line chart: values by date.
type series struct {
	Name   string
	Points []point
}

type point struct {
	At    time.Time
	Value float64
}

// newLineChart lays out lines over a shared time axis. format renders
// values for the axis and the hover titles. The y axis starts at zero
// unless every value is far from it (a price index near 100).
func newLineChart(id, title, desc string, ss []series, format func(float64) string) Chart {
	c := Chart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: 300}
	if len(ss) > maxSeries {
		ss = ss[:maxSeries]
	}
	lc := &lineChart{plotArea: plotArea{Left: plotPadLeft, Top: 12, Right: chartWidth - 16, Bottom: 300 - 28}}
	var t0, t1 time.Time
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, p := range s.Points {
			if t0.IsZero() || p.At.Before(t0) {
				t0 = p.At
			}
			if p.At.After(t1) {
				t1 = p.At
			}
			lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
		}
	}
	if math.IsInf(lo, 0) {
		c.Empty, c.Height, c.Lines = true, 40, nil
		return c
	}
	if lo > 0 && lo > (hi-lo) {
		lo = lo - (hi-lo)*0.1
	} else {
		lo = math.Min(lo, 0)
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	span := t1.Sub(t0).Seconds()
	x := func(t time.Time) float64 {
		if span == 0 {
			return (lc.Left + lc.Right) / 2
		}
		return lc.Left + t.Sub(t0).Seconds()/span*(lc.Right-lc.Left)
	}
	y := func(v float64) float64 { return lc.Bottom - (v-lo)/(hi-lo)*(lc.Bottom-lc.Top) }
	for _, v := range ticks {
		lc.YTicks = append(lc.YTicks, tick{Pos: y(v), Label: format(v)})
	}
	lc.XTicks = timeTicks(t0, t1, x)
	for i, s := range ss {
		ls := lineSeries{Name: s.Name, Class: seriesClass(i)}
		for j, p := range s.Points {
			px, py := x(p.At), y(p.Value)
			if j > 0 {
				ls.Points += " "
			}
			ls.Points += coord(px) + "," + coord(py)
			ls.Dots = append(ls.Dots, dot{X: px, Y: py, Title: s.Name + ", " + p.At.Format("2006-01-02") + ": " + format(p.Value)})
		}
		lc.Series = append(lc.Series, ls)
		c.Legend = append(c.Legend, legendItem{Name: s.Name, Class: ls.Class})
	}
	c.Lines = lc
	return c
}

// stack is one input column of a stacked column chart; Values line up with
// the chart's segment names.
type stack struct {
	Label  string
	Values []float64
}

// newStackChart lays out columns of stacked segments, one class per
// segment name.
func newStackChart(id, title, desc string, names []string, cols []stack, format func(float64) string) Chart {
	return sizedStackChart(id, title, desc, names, cols, format, chartWidth, 260)
}

// newSmallStackChart is a stacked column chart sized for small multiples.
func newSmallStackChart(id, title, desc string, names []string, cols []stack, format func(float64) string) Chart {
	return sizedStackChart(id, title, desc, names, cols, format, 300, 170)
}

func sizedStackChart(id, title, desc string, names []string, cols []stack, format func(float64) string, width, height float64) Chart {
	c := Chart{ID: id, Title: title, Desc: desc, Width: width, Height: height}
	sc := &stackChart{plotArea: plotArea{Left: plotPadLeft, Top: 12, Right: width - 12, Bottom: height - 36}}
	hi := 0.0
	for _, col := range cols {
		sum := 0.0
		for _, v := range col.Values {
			sum += math.Max(v, 0)
		}
		hi = math.Max(hi, sum)
	}
	if len(cols) == 0 {
		c.Empty, c.Height, c.Stack = true, 40, nil
		return c
	}
	ticks := niceTicks(0, hi, 5)
	top := ticks[len(ticks)-1]
	y := func(v float64) float64 { return sc.Bottom - v/top*(sc.Bottom-sc.Top) }
	for _, v := range ticks {
		sc.YTicks = append(sc.YTicks, tick{Pos: y(v), Label: format(v)})
	}
	slot := (sc.Right - sc.Left) / float64(len(cols))
	w := math.Min(slot*0.7, 60)
	for i, col := range cols {
		sx := sc.Left + slot*float64(i) + (slot-w)/2
		column := stackColumn{Label: clip(col.Label, int(slot/6.5)), X: sx, W: w, LabelX: sx + w/2}
		base := 0.0
		for j, v := range col.Values {
			if v <= 0 || j >= len(names) {
				continue
			}
			column.Segs = append(column.Segs, stackSeg{Y: y(base + v), H: y(base) - y(base+v), Class: seriesClass(j),
				Title: col.Label + ", " + names[j] + ": " + format(v)})
			base += v
		}
		sc.Columns = append(sc.Columns, column)
	}
	for j, n := range names {
		c.Legend = append(c.Legend, legendItem{Name: n, Class: seriesClass(j)})
	}
	c.Stack = sc
	return c
}

// niceTicks returns about n round values covering lo..hi, steps of 1, 2 or
// 5 times a power of ten. Ticks are whole multiples of the step, divided
// by a power of ten for small steps, so 0.6 is 0.6 and not 3 x 0.2.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	exp := int(math.Floor(math.Log10(raw)))
	mag := math.Pow10(exp)
	mult := 10.0
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			mult = m
			break
		}
	}
	tick := func(k float64) float64 {
		if exp < 0 {
			return k * mult / math.Pow10(-exp)
		}
		return k * mult * mag
	}
	step := tick(1)
	var out []float64
	for k := math.Floor(lo / step); ; k++ {
		v := tick(k)
		out = append(out, v)
		if v >= hi {
			return out
		}
	}
}

// timeTicks labels months along the x axis, at most about seven of them.
func timeTicks(t0, t1 time.Time, x func(time.Time) float64) []tick {
	first := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	if first.Before(t0) {
		first = first.AddDate(0, 1, 0)
	}
	months := (t1.Year()-first.Year())*12 + int(t1.Month()-first.Month()) + 1
	every := max(1, (months+6)/7)
	var out []tick
	for m := first; !m.After(t1); m = m.AddDate(0, every, 0) {
		out = append(out, tick{Pos: x(m), Label: m.Format("2006-01")})
	}
	if len(out) == 0 {
		out = append(out, tick{Pos: x(t0), Label: t0.Format("2006-01-02")})
	}
	return out
}

func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// clip shortens a label to n runes with an ellipsis; the table has it whole.
func clip(s string, n int) string {
	r := []rune(s)
	if n < 4 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// px renders a coordinate for the templates.
func px(v float64) string { return coord(v) }
