package panel

import (
	"math"
	"slices"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/forecast"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// projection is a line chart's forecast, laid out on its months.
type projection struct {
	months []time.Time // the months forecast, from the first month not yet complete
	series map[string]forecast.Forecast
	from   time.Time // the last complete month, where the dashed lines start
}

// project fits each series of the history (the panel's query, or the
// forecast's own, over the panel's history, ending with the view) and
// projects it. A month that ends after the view's last day is not
// complete and is forecast rather than fitted. Series too short or with
// gaps are left without: then short is true. A year-end forecast of a
// year already complete is nil and not short.
func (b *builder) project(history *builder, through time.Time) (p *projection, short bool) {
	if history == nil || b.p.Forecast == nil {
		return nil, false
	}
	xi, _ := history.col(b.p.X)
	months := history.categories(xi)
	full := len(months)
	if full > 0 {
		if last, ok := months[full-1].(time.Time); ok && !through.IsZero() && through.Before(last.AddDate(0, 1, -1)) {
			full--
		}
	}
	if full < 24 {
		return nil, true
	}
	last := months[full-1].(time.Time)
	ahead := b.p.Forecast.Months
	if b.p.Forecast.YearEnd {
		if ahead = 12 - int(last.Month()); ahead == 0 {
			return nil, false
		}
	}
	p = &projection{series: map[string]forecast.Forecast{}, from: last}
	for h := range ahead {
		p.months = append(p.months, last.AddDate(0, h+1, 0))
	}
	for _, s := range history.series(xi, months[:full]) {
		y := make([]float64, 0, full)
		for _, v := range s.values {
			f, ok := number(v)
			if !ok {
				break
			}
			y = append(y, f)
		}
		if len(y) < full {
			continue
		}
		f, err := forecast.HoltWinters(y, 12, len(p.months))
		if err != nil {
			continue
		}
		if b.p.Forecast.Accumulate {
			base, ok := b.valueAt(s.name, last)
			if !ok {
				continue
			}
			f = f.Accumulated(base)
		}
		p.series[s.name] = f
	}
	if len(p.series) == 0 {
		return nil, true
	}
	return p, false
}

// valueAt is the panel's own value of the series named name in month m.
func (b *builder) valueAt(name string, m time.Time) (float64, bool) {
	xi, _ := b.col(b.p.X)
	cats := b.categories(xi)
	i := slices.IndexFunc(cats, func(c any) bool { t, ok := c.(time.Time); return ok && t.Equal(m) })
	if i < 0 {
		return 0, false
	}
	for _, s := range b.series(xi, cats) {
		if s.name == name {
			return number(s.values[i])
		}
	}
	return 0, false
}

// extend adds the forecast months that the view does not reach to its
// categories, and returns each forecast month's position.
func (p *projection) extend(cats []any, labels []string, series []seriesData) ([]any, []string, []seriesData, []int) {
	at := make([]int, len(p.months))
	for k, m := range p.months {
		at[k] = -1
		for i, c := range cats {
			if t, ok := c.(time.Time); ok && t.Equal(m) {
				at[k] = i
			}
		}
		if at[k] < 0 {
			cats = append(cats, m)
			labels = append(labels, i18n.Month(m))
			for i := range series {
				series[i].values = append(series[i].values, nil)
			}
			at[k] = len(cats) - 1
		}
	}
	return cats, labels, series, at
}

// lines draws each forecast as a dashed line from the last complete month
// on, and, for a single series, its 95 % interval as a band.
func (b *builder) forecastLines(p *projection, cats []any, series []seriesData, at []int) []charts.SingleSeries {
	start := -1
	for i, c := range cats {
		if t, ok := c.(time.Time); ok && t.Equal(p.from) {
			start = i
		}
	}
	var out []charts.SingleSeries
	label := b.lang.Pick("ennuste", "prognos", "forecast")
	for _, s := range series {
		f, ok := p.series[s.name]
		if !ok {
			continue
		}
		data := make([]opts.LineData, len(cats))
		if start >= 0 {
			data[start] = opts.LineData{Value: s.values[start]}
		}
		for k, i := range at {
			data[i] = opts.LineData{Value: round1(f.Mean[k])}
		}
		out = append(out, charts.SingleSeries{
			Name: s.name + " (" + label + ")", Type: "line", Data: data,
			ShowSymbol: opts.Bool(false),
			ItemStyle:  &opts.ItemStyle{Color: s.color},
			LineStyle:  &opts.LineStyle{Type: "dashed", Width: 2},
		})
	}
	if len(series) != 1 || len(out) != 1 {
		return out
	}
	// The band: the lower bound, invisible, with the interval's width
	// stacked on top of it and filled.
	f := p.series[series[0].name]
	low, width := make([]opts.LineData, len(cats)), make([]opts.LineData, len(cats))
	for k, i := range at {
		low[i] = opts.LineData{Value: round1(f.Lower[k])}
		width[i] = opts.LineData{Value: round1(f.Upper[k] - f.Lower[k])}
	}
	band := b.lang.Pick("95 %:n väli", "95 % intervall", "95 % interval")
	none := &opts.LineStyle{Opacity: opts.Float(0)}
	out = append(out,
		charts.SingleSeries{Id: "band-low", Name: band, Type: "line", Stack: "band", Data: low, ShowSymbol: opts.Bool(false),
			LineStyle: none, ItemStyle: &opts.ItemStyle{Color: series[0].color}},
		charts.SingleSeries{Id: "band-width", Name: band, Type: "line", Stack: "band", Data: width, ShowSymbol: opts.Bool(false),
			LineStyle: none, ItemStyle: &opts.ItemStyle{Color: series[0].color},
			AreaStyle: &opts.AreaStyle{Color: series[0].color, Opacity: opts.Float(0.15)}},
	)
	return out
}

// forecastRows are the data table's rows for the forecast months the view
// does not reach: each series' expected value and interval.
func (b *builder) forecastRows(p *projection, head []string, series []seriesData, viewCats int, at []int) [][]components.Cell {
	var rows [][]components.Cell
	label := b.lang.Pick("ennuste", "prognos", "forecast")
	for k, i := range at {
		if i < viewCats {
			continue
		}
		row := []components.Cell{{Text: i18n.Month(p.months[k]) + " (" + label + ")"}}
		for _, s := range series {
			cell := components.Cell{Numeric: true, Text: "–"}
			if f, ok := p.series[s.name]; ok {
				cell.Text = "≈ " + i18n.Number(f.Mean[k], 0) + " (" + i18n.Number(f.Lower[k], 0) + "–" + i18n.Number(f.Upper[k], 0) + ")"
				cell.Sort = sortKey(f.Mean[k])
			}
			row = append(row, cell)
		}
		rows = append(rows, row[:min(len(row), len(head))])
	}
	return rows
}

// forecastCells writes the forecast into the empty cells of rows the
// table already has: a year-end forecast's months lie inside the budget
// year the view shows, with no actual yet.
func (b *builder) forecastCells(p *projection, t *components.Table, series []seriesData, at []int) {
	if b.p.Series != "" || len(series) != len(b.p.Y) {
		return
	}
	xi, _ := b.col(b.p.X)
	label := b.lang.Pick("ennuste", "prognos", "forecast")
	for j, y := range b.p.Y {
		f, ok := p.series[series[j].name]
		yi := b.res.ColumnIndex(y)
		if !ok || yi < 0 {
			continue
		}
		pos := yi + 1 // the table puts x first and keeps the rest in order
		if yi > xi {
			pos = yi
		}
		for k, i := range at {
			if i < len(t.Rows) && i < len(b.res.Rows) && b.res.Rows[i][yi] == nil {
				t.Rows[i][pos] = components.Cell{Numeric: true, Sort: sortKey(f.Mean[k]),
					Text: "≈ " + i18n.Number(f.Mean[k], 0) + " (" + i18n.Number(f.Lower[k], 0) + "–" + i18n.Number(f.Upper[k], 0) + ", " + label + ")"}
			}
		}
	}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
