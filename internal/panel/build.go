package panel

import (
	"fmt"
	"math"
	"slices"
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

// Build turns the result of p's query into the panel's view model.
func Build(p *dashboards.Panel, res *queries.Result, dims *Dimensions, lang i18n.Lang, cmp ...Comparison) components.Panel {
	v := components.Panel{
		ID:    p.ID,
		Title: p.Title.In(string(lang)),
		Width: p.Width,
		Kind:  string(p.Kind),
	}
	if len(res.Rows) == 0 {
		v.Empty = true
		return v
	}
	b := builder{p: p, res: res, dims: dims, lang: lang}
	if p.Kind == dashboards.KindKPI {
		v.KPIs = b.kpis(cmp)
		return v
	}
	v.Format = string(res.Columns[res.ColumnIndex(p.Y[0])].Type)
	v.Table = b.table()
	v.Chart = b.chart()
	v.Drill = b.drill
	return v
}

type builder struct {
	p    *dashboards.Panel
	res  *queries.Result
	dims *Dimensions
	lang i18n.Lang
	// drill holds the URL behind each category in the order the chart draws
	// them; nil when the categories lead nowhere.
	drill []string
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
		if c.Type == queries.ColMonth {
			return i18n.Month(v)
		}
		return i18n.Date(v)
	case string:
		return b.dims.label(string(c.Type), v, b.lang)
	case int64:
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

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func (b *builder) kpis(cmp []Comparison) []components.KPI {
	row := b.res.Rows[0]
	out := make([]components.KPI, len(b.res.Columns))
	for i, c := range b.res.Columns {
		out[i] = components.KPI{Label: b.header(c), Value: b.text(c, row[i])}
		now, ok := number(row[i])
		if !ok {
			continue
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
				out[i].Changes = append(out[i].Changes, ch)
			}
		}
	}
	return out
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
			row[j] = components.Cell{Text: b.text(c, r[i]), Numeric: c.Type.Numeric()}
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
			row = append(row, components.Cell{Text: b.text(yc, b.lookup(xi, cat, si, s, yi, yc)), Numeric: true})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// lookup finds the y value at (x, series); a missing count is zero, any
// other missing value is empty.
func (b *builder) lookup(xi int, x any, si int, s any, yi int, yc queries.Column) any {
	for _, r := range b.res.Rows {
		if r[xi] == x && r[si] == s {
			return r[yi]
		}
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
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1 || b.p.Target != ""), Type: "scroll", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "36", Bottom: "40", ContainLabel: opts.Bool(true)}),
	)
	// A single measure per category is coloured by the category (a channel's
	// bar in the channel's colour); several measures by the measure.
	colourByCategory := b.p.Series == "" && len(b.p.Y) == 1

	var c interface {
		JSON() map[string]any
		Validate()
	}
	switch b.p.Kind {
	case dashboards.KindLine:
		line := charts.NewLine()
		line.SetGlobalOptions(append(global,
			charts.WithXAxisOpts(category), charts.WithYAxisOpts(valueAxis))...)
		line.SetXAxis(labels)
		for _, s := range series {
			data := make([]opts.LineData, len(s.values))
			for i, v := range s.values {
				data[i] = opts.LineData{Value: v}
			}
			line.AddSeries(s.name, data,
				charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}),
				charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
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
			bar.AddSeries(s.name, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color}))
		}
		if b.p.Target != "" {
			bar.MultiSeries = append(bar.MultiSeries, b.targetSeries(xi, cats, horizontal))
		}
		c = bar
	}
	c.Validate()
	return c.JSON()
}

// plottable drops values a log axis cannot draw.
func (b *builder) plottable(v any) any {
	if f, ok := number(v); ok && b.p.LogScale && f <= 0 {
		return nil
	}
	return v
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
		ItemStyle: &opts.ItemStyle{Color: "#c0392b"},
		// A thin rectangle across the bar reads as a target line.
		SymbolSize: size,
	}
}
