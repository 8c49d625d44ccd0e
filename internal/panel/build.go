package panel

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// Comparison is the same query run for an earlier period, for KPI changes.
type Comparison struct {
	Than   string // what it is, in words: "ed. jakso"
	Result *queries.Result
}

// Data is what a panel is drawn from: its query's result and, for KPI
// panels, the same query for earlier periods and the monthly trend.
type Data struct {
	Result  *queries.Result
	Earlier []Comparison
	Trend   *queries.Result // the panel's sparkline query, month first
	// Through is the last day of the view: a trend's month that ends later
	// is incomplete, and is drawn dashed rather than read as a drop.
	Through time.Time
	// History is the panel's query over the months a forecast is fitted
	// to, ending with the view.
	History *queries.Result
}

// Build turns the result of p's query into the panel's view model, with
// its chart's option encoded once, so that a cached view model costs
// nothing to draw again. It fails only for a value JSON cannot hold.
func Build(p *dashboards.Panel, d Data, dims *Dimensions, lang i18n.Lang) (components.Panel, error) {
	res := p.Shown(d.Result)
	v := components.Panel{
		ID:    p.ID,
		Title: p.Title.In(string(lang)),
		Width: p.Width,
		Kind:  string(p.Kind),
	}
	if len(res.Rows) == 0 {
		v.Empty = true
		return v, nil
	}
	if p.Limit > 0 && len(res.Rows) > p.Limit {
		res = &queries.Result{Columns: res.Columns, Rows: res.Rows[:p.Limit]}
	}
	b := builder{p: p, res: res, dims: dims, lang: lang}
	if d.History != nil && len(d.History.Rows) > 0 {
		var short bool
		b.proj, short = b.project(&builder{p: p, res: d.History, dims: dims, lang: lang}, d.Through)
		if short {
			v.Note = lang.Pick("Ennustetta ei voi laskea: se tarvitsee kaksi täyttä vuotta historiaa ilman aukkoja.",
				"Prognosen kan inte beräknas: den behöver två hela år av historik utan luckor.",
				"No forecast: it needs two full years of history without gaps.")
		}
	}
	switch p.Kind {
	case dashboards.KindKPI:
		v.KPIs = b.kpis(d.Earlier, d.Trend, d.Through)
		return v, nil
	case dashboards.KindTable:
		v.Table = b.table()
		return v, nil
	}
	v.Format = string(res.Columns[res.ColumnIndex(p.Y[0])].Type)
	if p.Kind == dashboards.KindScatter {
		v.FormatX = string(res.Columns[res.ColumnIndex(p.X)].Type)
	}
	switch p.Kind {
	case dashboards.KindGauge:
		v.Table = b.gaugeTable()
	case dashboards.KindMap:
		v.Table = b.mapTable()
	default:
		v.Table = b.table()
		if b.proj != nil {
			xi, _ := b.col(p.X)
			cats := b.categories(xi)
			series := b.series(xi, cats)
			_, _, _, at := b.proj.extend(slices.Clone(cats), nil, nil)
			b.forecastCells(b.proj, &v.Table, series, at)
			if len(v.Table.Head) == 1+len(series) {
				v.Table.Rows = append(v.Table.Rows, b.forecastRows(b.proj, v.Table.Head, series, len(cats), at)...)
			}
		}
	}
	chart, err := json.Marshal(b.chart()) // escapes <, > and &: safe inside a script element
	if err != nil {
		return components.Panel{}, fmt.Errorf("panel %s: chart: %w", p.ID, err)
	}
	v.Chart = chart
	v.Drill = b.drill
	return v, nil
}

type builder struct {
	p    *dashboards.Panel
	res  *queries.Result
	dims *Dimensions
	lang i18n.Lang
	// drill holds the URL behind each category in the order the chart draws
	// them; nil when the categories lead nowhere.
	drill []string
	proj  *projection // the forecast of a line chart, if it has one
	// cells index the rows by their values in columns cellsOf, for lookup:
	// a heatmap looks up each of its 168 cells.
	cells   map[[2]any][]any
	cellsOf [2]int
}

// setDrill records the drill URLs of cats, in drawing order.
func (b *builder) setDrill(xc queries.Column, cats []any) {
	urls := make([]string, len(cats))
	any := false
	for i, c := range cats {
		urls[i] = b.dims.link(xc.Type, c)
		any = any || urls[i] != ""
	}
	if any {
		b.drill = urls
	}
}

func (b *builder) col(name string) (int, queries.Column) {
	i := b.res.ColumnIndex(name)
	return i, b.res.Columns[i]
}

// header is a column's display name: the panel's label, a common label,
// or the column name.
func (b *builder) header(c queries.Column) string {
	if s := b.p.Label(c.Name, string(b.lang)); s != "" {
		return s
	}
	if s := b.lang.T("column." + c.Name); s != "column."+c.Name {
		return s
	}
	return c.Name
}

// text formats a value for a table cell or a category label.
func (b *builder) text(c queries.Column, v any) string {
	switch v := v.(type) {
	case nil:
		if b.p.Suppressed != "" {
			return b.p.Suppressed
		}
		return "–"
	case time.Time:
		switch c.Type {
		case queries.ColMonth:
			return i18n.Month(v)
		case queries.ColTimestamp:
			return i18n.DateTime(v)
		}
		return i18n.Date(v)
	case string:
		return b.dims.label(string(c.Type), v, b.lang)
	case int64:
		switch c.Type {
		case queries.ColWeekday:
			return b.lang.Weekday(int(v))
		case queries.ColHour:
			return fmt.Sprintf("%d–%d", v, (v+1)%24)
		}
		return b.formatNumber(c.Type, float64(v))
	case float64:
		return b.formatNumber(c.Type, v)
	default:
		return fmt.Sprint(v)
	}
}

func (b *builder) formatNumber(t queries.ColumnType, v float64) string {
	switch t {
	case queries.ColMinutes:
		return b.lang.Duration(v)
	case queries.ColInt:
		return i18n.Number(v, 0)
	case queries.ColPercent:
		return i18n.Number(v, 1) + "\u00a0%"
	case queries.ColEuro:
		return i18n.Number(v, 0) + "\u00a0€"
	case queries.ColHours:
		return i18n.Number(v, 1) + "\u00a0h"
	}
	return i18n.Number(v, 1)
}

// sortKey is a value as a table sorts it: numbers and dates by value,
// text by what the cell shows ("").
func sortKey(v any) string {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return v.Format(time.RFC3339)
	}
	return ""
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func (b *builder) kpis(cmp []Comparison, trend *queries.Result, through time.Time) []components.KPI {
	row := b.res.Rows[0]
	var out []components.KPI
	for i, c := range b.res.Columns {
		if len(b.p.Y) > 0 && !slices.Contains(b.p.Y, c.Name) {
			continue // the panel shows only the columns it names
		}
		out = append(out, components.KPI{Label: b.header(c), Value: b.text(c, row[i])})
		k := &out[len(out)-1]
		if trend != nil {
			k.Trend = b.sparkline(c, trend, through)
		}
		now, ok := number(row[i])
		if !ok {
			continue
		}
		if t, ok := b.p.Targets[c.Name]; ok {
			k.Status = t.Status(now, b.p.Better[c.Name])
			k.Target = b.lang.T("panel.target") + " " + b.formatNumber(c.Type, t.Value)
		}
		for _, earlier := range cmp {
			if len(earlier.Result.Rows) == 0 {
				continue
			}
			then, ok := number(earlier.Result.Rows[0][i])
			if !ok {
				continue
			}
			if ch, ok := b.change(c, now, then); ok {
				ch.Than = earlier.Than
				k.Changes = append(k.Changes, ch)
			}
		}
	}
	return out
}

// sparkline draws column c of the monthly trend as SVG polylines in a
// 100 × 24 box, with its first and last month named for screen readers.
// A month without a value breaks the line rather than pretend a zero; a
// month that ends after through is still running, and its stretch is
// drawn apart so that a half-counted month does not read as a fall.
func (b *builder) sparkline(c queries.Column, trend *queries.Result, through time.Time) *components.Spark {
	ci := trend.ColumnIndex(c.Name)
	n := len(trend.Rows)
	if ci < 0 || n < 2 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range trend.Rows {
		if v, ok := number(r[ci]); ok {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return nil
	}
	if hi == lo {
		hi, lo = hi+1, lo-1 // a flat line in the middle
	}
	points := make([]string, n) // "" where there is no value
	for i, r := range trend.Rows {
		if v, ok := number(r[ci]); ok {
			x, y := float64(i)*100/float64(n-1), 22-(v-lo)/(hi-lo)*20
			points[i] = strconv.FormatFloat(x, 'f', 1, 64) + "," + strconv.FormatFloat(y, 'f', 1, 64)
		}
	}
	sp := &components.Spark{}
	last, _ := trend.Rows[n-1][0].(time.Time)
	full := n
	if !through.IsZero() && !last.IsZero() && through.Before(last.AddDate(0, 1, -1)) {
		full = n - 1
		if points[n-2] != "" && points[n-1] != "" {
			sp.Partial = points[n-2] + " " + points[n-1]
		}
	}
	var seg []string
	for _, pt := range append(points[:full:full], "") {
		if pt != "" {
			seg = append(seg, pt)
			continue
		}
		if len(seg) > 0 {
			sp.Lines = append(sp.Lines, strings.Join(seg, " "))
		}
		seg = nil
	}
	mc := trend.Columns[0]
	first, end := trend.Rows[0], trend.Rows[n-1]
	sp.Label = fmt.Sprintf("%s %s … %s %s", b.text(mc, first[0]), b.text(c, first[ci]), b.text(mc, end[0]), b.text(c, end[ci]))
	if full < n {
		sp.Label += " (" + b.lang.Pick("kesken", "pågår", "in progress") + ")"
	}
	return sp
}

// change describes now against then: a relative change for amounts, the
// difference in percentage points for shares. A change from zero has no
// percentage and is left out.
func (b *builder) change(c queries.Column, now, then float64) (components.Change, bool) {
	var diff float64
	var text string
	if c.Type == queries.ColPercent {
		diff = now - then
		text = i18n.Number(math.Abs(diff), 1) + "\u00a0" + b.lang.Pick("%-yks.", "%-enh.", "pp")
	} else {
		if then == 0 {
			return components.Change{}, false
		}
		diff = (now - then) / math.Abs(then) * 100
		text = i18n.Number(math.Abs(diff), 1) + "\u00a0%"
	}
	ch := components.Change{}
	switch {
	case math.Abs(diff) < 0.05:
		ch.Text = "= " + text
	case diff > 0:
		ch.Text = "▲ " + text
	default:
		ch.Text = "▼ " + text
	}
	if way := b.p.Better[c.Name]; way != "" && math.Abs(diff) >= 0.05 {
		if (diff > 0) == (way == "higher") {
			ch.Trend = "good"
		} else {
			ch.Trend = "bad"
		}
	}
	return ch, true
}

// categories returns the distinct values of column x in first-seen order.
// Months without rows are filled in, so that a time axis has no holes.
func (b *builder) categories(x int) []any {
	var out []any
	for _, r := range b.res.Rows {
		if !slices.Contains(out, r[x]) {
			out = append(out, r[x])
		}
	}
	if b.res.Columns[x].Type != queries.ColMonth || len(out) < 2 {
		return out
	}
	first, ok1 := out[0].(time.Time)
	last, ok2 := out[len(out)-1].(time.Time)
	if !ok1 || !ok2 {
		return out
	}
	var months []any
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		months = append(months, m)
	}
	return months
}

func (b *builder) table() components.Table {
	xi, xc := b.col(b.p.X)
	if b.p.Series != "" {
		return b.pivotTable(xi, xc)
	}
	t := components.Table{Head: []string{b.header(xc)}}
	order := []int{xi}
	for i, c := range b.res.Columns {
		if i != xi {
			t.Head = append(t.Head, b.header(c))
			order = append(order, i)
		}
	}
	for _, r := range b.res.Rows {
		row := make([]components.Cell, len(order))
		for j, i := range order {
			c := b.res.Columns[i]
			row[j] = components.Cell{Text: b.text(c, r[i]), Numeric: c.Type.Numeric(), Sort: sortKey(r[i])}
			if j == 0 {
				row[j].URL = b.dims.link(c.Type, r[i])
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (b *builder) pivotTable(xi int, xc queries.Column) components.Table {
	si, sc := b.col(b.p.Series)
	yi, yc := b.col(b.p.Y[0])
	cats, series := b.categories(xi), b.categories(si)
	t := components.Table{Head: []string{b.header(xc)}}
	for _, s := range series {
		t.Head = append(t.Head, b.text(sc, s))
	}
	for _, cat := range cats {
		row := []components.Cell{{Text: b.text(xc, cat), URL: b.dims.link(xc.Type, cat)}}
		for _, s := range series {
			row = append(row, components.Cell{Text: b.text(yc, b.lookup(xi, cat, si, s, yi, yc)), Numeric: true,
				URL: b.dims.cellLink(xc.Type, cat, sc.Type, s)})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// lookup finds the y value at (x, series); a missing count is zero, any
// other missing value is empty.
func (b *builder) lookup(xi int, x any, si int, s any, yi int, yc queries.Column) any {
	if b.cells == nil || b.cellsOf != [2]int{xi, si} {
		b.cells, b.cellsOf = make(map[[2]any][]any, len(b.res.Rows)), [2]int{xi, si}
		for _, r := range b.res.Rows {
			if k := [2]any{r[xi], r[si]}; b.cells[k] == nil {
				b.cells[k] = r // the first row of a cell, as a search from the top would find
			}
		}
	}
	if r, ok := b.cells[[2]any{x, s}]; ok {
		return r[yi]
	}
	if yc.Type == queries.ColInt {
		return int64(0)
	}
	return nil
}

// chart builds the ECharts option. Only go-echarts' JSON() is used: its
// renderers would put database text into inline script.
func (b *builder) chart() map[string]any {
	var m map[string]any
	switch b.p.Kind {
	case dashboards.KindDonut:
		m = b.donut()
	case dashboards.KindHeatmap:
		m = b.heatmap()
	case dashboards.KindGauge:
		m = b.gauge()
	case dashboards.KindMap:
		m = b.pointMap()
	case dashboards.KindScatter:
		m = b.scatter()
	default:
		m = b.axisChart()
	}
	// go-echarts writes its fixed v5 palette into every option; our colours
	// are set on each series and data item instead.
	delete(m, "color")
	return m
}

func (b *builder) common() []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true)}),
		charts.WithToolboxOpts(opts.Toolbox{
			Show:  opts.Bool(true),
			Right: "8",
			Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{
				Show:  opts.Bool(true),
				Title: b.lang.T("panel.saveimage"),
				Name:  "luukku-" + b.p.ID,
			}},
		}),
	}
}

func (b *builder) donut() map[string]any {
	xi, xc := b.col(b.p.X)
	yi, _ := b.col(b.p.Y[0])
	c := charts.NewPie()
	c.SetGlobalOptions(append(b.common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)...)
	cats := make([]any, len(b.res.Rows))
	for i, r := range b.res.Rows {
		cats[i] = r[xi]
	}
	b.setDrill(xc, cats)
	data := make([]opts.PieData, 0, len(b.res.Rows))
	for i, r := range b.res.Rows {
		d := opts.PieData{Name: b.text(xc, r[xi]), Value: r[yi]}
		d.ItemStyle = &opts.ItemStyle{Color: b.itemColor(xc, r[xi], i)}
		data = append(data, d)
	}
	c.AddSeries(b.header(b.res.Columns[yi]), data, charts.WithPieChartOpts(opts.PieChart{
		Radius: []string{"36%", "62%"},
	}))
	c.Validate()
	return c.JSON()
}

// itemColor is the colour of the i-th item of a category column.
func (b *builder) itemColor(c queries.Column, v any, i int) string {
	if s, ok := v.(string); ok {
		if col := b.dims.color(string(c.Type), s); col != "" {
			return col
		}
	}
	if c.Type == queries.ColTheme {
		return ThemeColor()
	}
	return UnitColor(i)
}

type seriesData struct {
	name   string
	color  string
	values []any
}

// series returns the chart's series over cats: one per distinct value of
// the series column, or one per y column.
func (b *builder) series(xi int, cats []any) []seriesData {
	if b.p.Series != "" {
		si, sc := b.col(b.p.Series)
		yi, yc := b.col(b.p.Y[0])
		var out []seriesData
		for i, s := range b.categories(si) {
			sd := seriesData{name: b.text(sc, s), color: b.itemColor(sc, s, i)}
			for _, cat := range cats {
				sd.values = append(sd.values, b.lookup(xi, cat, si, s, yi, yc))
			}
			out = append(out, sd)
		}
		return out
	}
	var out []seriesData
	for k, y := range b.p.Y {
		yi, yc := b.col(y)
		sd := seriesData{name: b.header(yc), color: measurePalette[k%len(measurePalette)]}
		for _, cat := range cats {
			sd.values = append(sd.values, b.lookup(xi, cat, xi, cat, yi, yc))
		}
		out = append(out, sd)
	}
	return out
}

func (b *builder) axisChart() map[string]any {
	xi, xc := b.col(b.p.X)
	cats := b.categories(xi)
	labels := make([]string, len(cats))
	for i, c := range cats {
		labels[i] = b.text(xc, c)
	}
	series := b.series(xi, cats)
	var forecastAt []int
	if b.proj != nil {
		cats, labels, series, forecastAt = b.proj.extend(cats, labels, series)
	}
	horizontal := b.p.Kind == dashboards.KindHBar
	if horizontal {
		// Ranked lists read top-down; ECharts draws the first category at the bottom.
		slices.Reverse(labels)
		slices.Reverse(cats)
		for i := range series {
			slices.Reverse(series[i].values)
		}
	}
	b.setDrill(xc, cats)
	category := opts.XAxis{Type: "category", Data: labels}
	if len(labels) > 6 {
		// Every category named, slanted so that they fit.
		category.AxisLabel = &opts.AxisLabel{Interval: "0", Rotate: 35}
	}
	valueAxis := opts.YAxis{Type: "value"}
	if b.p.LogScale {
		// Bars on a log axis grow from 1; below it they would hang downwards.
		valueAxis.Type, valueAxis.Min = "log", 1
	}
	global := append(b.common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1 || b.p.Target != "" || b.proj != nil), Type: "scroll", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "36", Bottom: "40", ContainLabel: opts.Bool(true)}),
	)
	// A single measure per category is coloured by the category (a channel's
	// bar in the channel's colour); several measures by the measure.
	colourByCategory := b.p.Series == "" && len(b.p.Y) == 1

	var c interface {
		JSON() map[string]any
		Validate()
	}
	var stack string
	if b.p.Stack {
		stack = "total"
	}
	switch b.p.Kind {
	case dashboards.KindLine, dashboards.KindArea:
		line := charts.NewLine()
		line.SetGlobalOptions(append(global,
			charts.WithXAxisOpts(category), charts.WithYAxisOpts(valueAxis))...)
		line.SetXAxis(labels)
		for _, s := range series {
			data := make([]opts.LineData, len(s.values))
			for i, v := range s.values {
				data[i] = opts.LineData{Value: v}
			}
			so := []charts.SeriesOpts{
				charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}),
				charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Stack: stack}),
			}
			if b.p.Kind == dashboards.KindArea {
				so = append(so, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.55)}))
			}
			line.AddSeries(s.name, data, so...)
		}
		if b.p.Target != "" {
			line.MultiSeries = append(line.MultiSeries, b.targetLine(xi, cats))
		}
		if b.proj != nil {
			line.MultiSeries = append(line.MultiSeries, b.forecastLines(b.proj, cats, series, forecastAt)...)
		}
		c = line
	default:
		bar := charts.NewBar()
		if horizontal {
			bar.SetGlobalOptions(append(global,
				charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels}),
				charts.WithXAxisOpts(opts.XAxis{Type: valueAxis.Type, Min: valueAxis.Min}))...)
			bar.XYReversal()
		} else {
			bar.SetGlobalOptions(append(global,
				charts.WithXAxisOpts(category), charts.WithYAxisOpts(valueAxis))...)
		}
		bar.SetXAxis(labels)
		for _, s := range series {
			data := make([]opts.BarData, len(s.values))
			for i, v := range s.values {
				data[i] = opts.BarData{Value: b.plottable(v)}
				if colourByCategory {
					data[i].ItemStyle = &opts.ItemStyle{Color: b.itemColor(xc, cats[i], i)}
				}
			}
			bar.AddSeries(s.name, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}),
				charts.WithBarChartOpts(opts.BarChart{Stack: stack}))
		}
		if b.p.Target != "" {
			bar.MultiSeries = append(bar.MultiSeries, b.targetSeries(xi, cats, horizontal))
		}
		c = bar
	}
	c.Validate()
	if b.p.Kind != dashboards.KindArea {
		return c.JSON()
	}
	// Areas start at the axis, not half a category in; go-echarts has no
	// boundaryGap on the x axis.
	m := generic(c.JSON())
	for _, a := range m["xAxis"].([]any) {
		a.(map[string]any)["boundaryGap"] = false
	}
	return m
}

// plottable drops values a log axis cannot draw.
func (b *builder) plottable(v any) any {
	if f, ok := number(v); ok && b.p.LogScale && f <= 0 {
		return nil
	}
	return v
}

// targetLine draws the target column as a dashed line over a line chart.
func (b *builder) targetLine(xi int, cats []any) charts.SingleSeries {
	ti, tc := b.col(b.p.Target)
	data := make([]opts.LineData, len(cats))
	for i, cat := range cats {
		data[i] = opts.LineData{Value: b.lookup(xi, cat, xi, cat, ti, tc)}
	}
	return charts.SingleSeries{
		Name:       b.header(tc),
		Type:       "line",
		Data:       data,
		ShowSymbol: opts.Bool(false),
		ItemStyle:  &opts.ItemStyle{Color: targetColor},
		LineStyle:  &opts.LineStyle{Type: "dashed", Width: 2},
	}
}

// targetSeries draws the target column as a flat marker across each bar.
func (b *builder) targetSeries(xi int, cats []any, horizontal bool) charts.SingleSeries {
	ti, tc := b.col(b.p.Target)
	data := make([]opts.ScatterData, len(cats))
	for i, cat := range cats {
		data[i] = opts.ScatterData{Value: b.lookup(xi, cat, xi, cat, ti, tc)}
	}
	size := []int{26, 4}
	if horizontal {
		size = []int{4, 26}
	}
	return charts.SingleSeries{
		Name:      b.lang.T("panel.target"),
		Type:      "scatter",
		Data:      data,
		Symbol:    "rect",
		ItemStyle: &opts.ItemStyle{Color: targetColor},
		// A thin rectangle across the bar reads as a target line.
		SymbolSize: size,
	}
}
