package templates

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"wxshop/internal/i18n"
)

func TestNiceScale(t *testing.T) {
	for _, tc := range []struct {
		peak, unit, step, top int64
	}{
		{0, 1, 1, 1},       // empty: one step
		{-5, 1, 1, 1},      // never below zero
		{0, 100, 100, 100}, // empty money axis: ¥0 to ¥1
		{1, 1, 1, 1},
		{3, 1, 1, 3},
		{7, 1, 2, 8},
		{10, 1, 5, 10},
		{95, 1, 50, 100},
		{101, 1, 50, 150},
		{12345, 100, 5000, 15000}, // ¥123.45 peak: ¥0, ¥50, ¥100, ¥150
		{150, 100, 100, 200},      // steps never below a whole yuan
		{100_000_000_00, 100, 5_000_000_000, 100_000_000_00},
		{math.MaxInt64, 1, 5_000_000_000_000_000_000, math.MaxInt64}, // no room above: the axis ends at the peak
	} {
		step, top := niceScale(tc.peak, tc.unit)
		if step != tc.step || top != tc.top {
			t.Errorf("niceScale(%d, %d) = %d, %d; want %d, %d", tc.peak, tc.unit, step, top, tc.step, tc.top)
		}
		if tc.peak > 0 && (top < tc.peak || top/step > 5) {
			t.Errorf("niceScale(%d, %d): top %d, %d steps", tc.peak, tc.unit, top, top/step)
		}
	}
}

func TestLabelEvery(t *testing.T) {
	for n, want := range map[int]int{1: 1, 7: 1, 8: 1, 9: 2, 16: 2, 30: 7, 56: 7, 90: 14, 365: 46} {
		if got := labelEvery(n); got != want {
			t.Errorf("labelEvery(%d) = %d, want %d", n, got, want)
		}
	}
}

func bars(values ...int64) []ChartBar {
	out := make([]ChartBar, len(values))
	for i, v := range values {
		out[i] = ChartBar{Label: "03-" + strconv.Itoa(10+i), Value: v, Title: "day " + strconv.Itoa(i) + ": " + strconv.FormatInt(v, 10)}
	}
	return out
}

func TestLayoutScalesBarsToTheAxis(t *testing.T) {
	l := layoutBarChart(BarChart{Bars: bars(0, 50, 100, 25, 1)})
	// peak 100: steps of 50 up to 100, so the tallest bar reaches the top of the plot
	if got := tickLabels(l); got != "0 50 100" {
		t.Errorf("ticks %q", got)
	}
	plot := l.Bottom - l.Top
	for i, want := range []float64{0, plot / 2, plot, plot / 4, plot / 100} {
		c := l.Columns[i]
		if math.Abs(c.BarH-want) > 1e-9 || math.Abs(c.BarY+c.BarH-l.Bottom) > 1e-9 {
			t.Errorf("bar %d: height %.2f at %.2f, want %.2f standing on %.2f", i, c.BarH, c.BarY, want, l.Bottom)
		}
	}
	// Columns tile the plot from the value axis to the right edge, each bar inside its column.
	if first, last := l.Columns[0], l.Columns[4]; first.SlotX != l.Left || math.Abs(last.SlotX+last.SlotW-l.Right) > 1e-9 {
		t.Errorf("columns span %.1f to %.1f, plot %.1f to %.1f", first.SlotX, last.SlotX+last.SlotW, l.Left, l.Right)
	}
	for i, c := range l.Columns {
		if c.BarX < c.SlotX || c.BarX+c.BarW > c.SlotX+c.SlotW {
			t.Errorf("bar %d sticks out of its column", i)
		}
	}
	// A day with a sale is never drawn as a day without.
	l = layoutBarChart(BarChart{Bars: bars(1_000_000, 1)})
	if h := l.Columns[1].BarH; h < 1 {
		t.Errorf("a tiny value is %.3f high", h)
	}
}

func TestLayoutEmptyPeriod(t *testing.T) {
	l := layoutBarChart(BarChart{Bars: bars(0, 0, 0, 0, 0, 0, 0), Unit: 100, Format: func(v int64) string { return "¥" + strconv.FormatInt(v/100, 10) }})
	if !l.Empty || tickLabels(l) != "¥0 ¥1" {
		t.Errorf("empty: %v, ticks %q", l.Empty, tickLabels(l))
	}
	for i, c := range l.Columns {
		if c.BarH != 0 {
			t.Errorf("bar %d of an empty period is %.1f high", i, c.BarH)
		}
	}
	if l := layoutBarChart(BarChart{}); len(l.Columns) != 0 || !l.Empty {
		t.Errorf("no bars at all: %+v", l)
	}
}

func TestLayoutSingleDay(t *testing.T) {
	l := layoutBarChart(BarChart{Bars: bars(42)})
	if len(l.Columns) != 1 {
		t.Fatalf("%d columns", len(l.Columns))
	}
	c := l.Columns[0]
	if c.Label == "" || c.SlotX != l.Left || math.Abs(c.SlotW-(l.Right-l.Left)) > 1e-9 {
		t.Errorf("the one day: %+v", c)
	}
	if mid := c.BarX + c.BarW/2; math.Abs(mid-(l.Left+l.Right)/2) > 1e-9 || c.BarW > 48 {
		t.Errorf("the one bar is %.1f wide at %.1f, want a bar of at most 48 centred at %.1f", c.BarW, mid, (l.Left+l.Right)/2)
	}
}

func TestLayoutLabelsToday(t *testing.T) {
	l := layoutBarChart(BarChart{Bars: bars(make([]int64, 30)...)})
	var labelled []int
	for i, c := range l.Columns {
		if c.Label != "" {
			labelled = append(labelled, i)
		}
	}
	if intsString(labelled) != "1 8 15 22 29" {
		t.Errorf("30 days labelled at %v, want a label a week apart ending today (1 8 15 22 29)", labelled)
	}
}

func intsString(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " ")
}

func TestLayoutVeryLargeValues(t *testing.T) {
	huge := []int64{math.MaxInt64, math.MaxInt64 / 2, 0, 1}
	l := layoutBarChart(BarChart{Bars: bars(huge...), Unit: 100})
	if len(l.Ticks) < 2 || l.Ticks[len(l.Ticks)-1].Label != groupDigits(math.MaxInt64) {
		t.Errorf("ticks %q", tickLabels(l))
	}
	if l.Left > chartWidth/3 {
		t.Errorf("the value axis takes %.0f of %.0f", l.Left, chartWidth)
	}
	for i, c := range l.Columns {
		for _, f := range []float64{c.BarX, c.BarY, c.BarW, c.BarH} {
			if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > chartWidth {
				t.Errorf("column %d has coordinate %v", i, f)
			}
		}
	}
	if c := l.Columns[0]; math.Abs(c.BarH-(l.Bottom-l.Top)) > 1e-6 {
		t.Errorf("the peak is %.1f high, want the whole plot", c.BarH)
	}
	if c := l.Columns[1]; math.Abs(c.BarH-(l.Bottom-l.Top)/2) > 1 {
		t.Errorf("half the peak is %.1f high", c.BarH)
	}
	// A big shop's year in fen: ¥12,345,678,901.23 still reads as money on the axis.
	l = layoutBarChart(BarChart{Bars: bars(1_234_567_890_123), Unit: 100, Format: func(v int64) string { return "¥" + groupDigits(v/100) }})
	if got := tickLabels(l); got != "¥0 ¥5,000,000,000 ¥10,000,000,000 ¥15,000,000,000" {
		t.Errorf("ticks %q", got)
	}
}

func tickLabels(l chartLayout) string {
	var s []string
	for _, t := range l.Ticks {
		s = append(s, t.Label)
	}
	return strings.Join(s, " ")
}

func TestLayoutStatusBar(t *testing.T) {
	parts := []StatusPart{{Status: "toship", Count: 300}, {Status: "partial", Count: 0}, {Status: "shipped", Count: 699}, {Status: "cancelled", Count: 1}}
	segs := layoutStatusBar(parts)
	if len(segs) != 3 {
		t.Fatalf("%d segments, want 3 (the empty status has none)", len(segs))
	}
	x := 0.0
	for _, s := range segs {
		if math.Abs(s.X-x) > 1e-9 {
			t.Errorf("%s starts at %.2f, want %.2f", s.Status, s.X, x)
		}
		x += s.W
	}
	if math.Abs(x-statusBarWidth) > 1e-9 {
		t.Errorf("segments end at %.2f, want %.0f", x, statusBarWidth)
	}
	if segs[2].W < 4 || segs[2].ShowText {
		t.Errorf("one order in a thousand: %.2f wide, text %v", segs[2].W, segs[2].ShowText)
	}
	if !(segs[1].W > 2*segs[0].W) || !segs[0].ShowText {
		t.Errorf("widths not in proportion: %.1f, %.1f", segs[0].W, segs[1].W)
	}
	if layoutStatusBar([]StatusPart{{Status: "toship"}}) != nil {
		t.Error("no orders: segments drawn")
	}
}

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Render(i18n.WithPrinter(context.Background(), i18n.Printer{Lang: i18n.English}), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// svgElements parses the markup as XML and returns its elements, failing on markup a browser would have to guess
// at, on style attributes, which the CSP (style-src 'self') would block, and on a coordinate that is not a plain
// non-negative number.
func svgElements(t *testing.T, markup string) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(markup))
	var out []xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, markup)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
					t.Errorf("<%s> has a %s attribute", se.Name.Local, a.Name.Local)
				}
				switch a.Name.Local {
				case "x", "y", "x1", "x2", "y1", "y2", "width", "height":
					f, err := strconv.ParseFloat(a.Value, 64)
					if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || strings.ContainsAny(a.Value, "eE") {
						t.Errorf("<%s %s=%q>: not a plain coordinate", se.Name.Local, a.Name.Local, a.Value)
					}
				}
			}
			out = append(out, se)
		}
	}
}

func count(elems []xml.StartElement, name, class string) int {
	n := 0
	for _, e := range elems {
		if e.Name.Local != name {
			continue
		}
		if class == "" {
			n++
			continue
		}
		for _, a := range e.Attr {
			if a.Name.Local == "class" && strings.Contains(" "+a.Value+" ", " "+class+" ") {
				n++
			}
		}
	}
	return n
}

func TestBarChartSVG(t *testing.T) {
	c := BarChart{ID: "chart-revenue", Kind: "revenue", Title: "Revenue per day", Bars: bars(0, 12345, 500), Unit: 100,
		Format: func(v int64) string { return "¥" + groupDigits(v/100) }, Empty: "nothing"}
	out := render(t, BarChartSVG(c))
	el := svgElements(t, out)
	if n := count(el, "g", "col"); n != 3 {
		t.Errorf("%d columns, want 3", n)
	}
	if n := count(el, "title", ""); n != 3 {
		t.Errorf("%d titles, want one per day", n)
	}
	if n := count(el, "rect", "bar"); n != 2 {
		t.Errorf("%d bars, want 2 (a zero day has none)", n)
	}
	for _, want := range []string{`<title>day 1: 12345</title>`, `data-value="12345"`, `>¥150</text>`, `>03-12</text>`,
		`viewBox="0 0 720 200"`, `aria-label="Revenue per day"`, `data-testid="chart-revenue"`, `class="chart chart-revenue"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the chart lacks %s\n%s", want, out)
		}
	}
	if strings.Contains(out, "nothing") {
		t.Error("the empty note shows on a chart with values")
	}

	empty := render(t, BarChartSVG(BarChart{ID: "chart-orders", Bars: bars(0, 0), Empty: "No paid orders in this period"}))
	el = svgElements(t, empty)
	if count(el, "rect", "bar") != 0 || count(el, "text", "empty-note") != 1 || !strings.Contains(empty, "No paid orders in this period") {
		t.Errorf("an empty period\n%s", empty)
	}

	huge := render(t, BarChartSVG(BarChart{ID: "chart-orders", Bars: bars(math.MaxInt64, 1)}))
	if el := svgElements(t, huge); count(el, "rect", "bar") != 2 || !strings.Contains(huge, ">9,223,372,036,854,775,807</text>") {
		t.Errorf("very large values\n%s", huge)
	}
}

func TestStatusBarSVG(t *testing.T) {
	parts := []StatusPart{{Status: "toship", Count: 12, URL: "/orders?from=2026-03-01&status=toship&to=2026-03-30"},
		{Status: "partial", Count: 0, URL: "/orders?status=partial"}, {Status: "shipped", Count: 30, URL: "/orders?status=shipped"}}
	out := render(t, StatusBarSVG("status-bar", "Orders by status", parts))
	el := svgElements(t, out)
	if n := count(el, "rect", "seg"); n != 2 {
		t.Errorf("%d segments, want 2", n)
	}
	for _, want := range []string{`href="/orders?from=2026-03-01&amp;status=toship&amp;to=2026-03-30"`, `<title>To ship: 12</title>`,
		`data-testid="status-count-partial">0<`, `class="seg seg-shipped"`, `data-testid="status-part-partial"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the status bar lacks %s\n%s", want, out)
		}
	}
	none := render(t, StatusBarSVG("status-bar", "Orders by status", []StatusPart{{Status: "toship", URL: "/orders"}}))
	if el := svgElements(t, none); count(el, "rect", "seg-none") != 1 || count(el, "rect", "seg") != 0 {
		t.Errorf("no orders\n%s", none)
	}
}
