package panel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// heatmap puts x across and the series column down, each cell coloured by
// the y value: weekday × hour of contacts, theme × unit.
func (b *builder) heatmap() map[string]any {
	xi, xc := b.col(b.p.X)
	si, sc := b.col(b.p.Series)
	yi, yc := b.col(b.p.Y[0])
	cols, rows := b.categories(xi), b.categories(si)
	colLabels := make([]string, len(cols))
	for i, c := range cols {
		colLabels[i] = b.text(xc, c)
	}
	// The first row reads at the top, as in the data table.
	rowLabels := make([]string, len(rows))
	for i, r := range rows {
		rowLabels[len(rows)-1-i] = b.text(sc, r)
	}
	var data []opts.HeatMapData
	var drill []string // by data index, as the chart reports a click
	linked := false
	peak := 0.0
	for i, x := range cols {
		for j, s := range rows {
			v := b.lookup(xi, x, si, s, yi, yc)
			f, ok := number(v)
			if !ok {
				continue
			}
			url := b.dims.cellLink(xc.Type, x, sc.Type, s)
			drill, linked = append(drill, url), linked || url != ""
			peak = max(peak, f)
			data = append(data, opts.HeatMapData{
				Name:  colLabels[i] + " · " + rowLabels[len(rows)-1-j],
				Value: [3]any{i, len(rows) - 1 - j, v},
			})
		}
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(append(b.common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "36", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: colLabels, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rowLabels, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type: "continuous", Calculable: opts.Bool(false), Min: 0, Max: float32(max(peak, 1)),
			Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: heatRamp},
		}),
	)...)
	if linked {
		b.drill = drill
	}
	c.SetXAxis(colLabels)
	c.AddSeries(b.header(yc), data)
	c.Validate()
	return c.JSON()
}

// gauge shows the first row's value on a dial from 0 to max; with a target
// the dial's rim is coloured by the status each stretch would have.
func (b *builder) gauge() map[string]any {
	yi, yc := b.col(b.p.Y[0])
	top := b.p.Max
	if top == 0 {
		top = 100 // a percentage, as validation ensures
	}
	v := b.res.Rows[0][yi]
	rim := [][]any{{1, "#9fb3c8"}}
	if t, ok := b.p.Targets[yc.Name]; ok {
		rim = b.bands(t, b.p.Better[yc.Name], top)
	}
	c := charts.NewGauge()
	c.SetGlobalOptions(append(b.common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(false)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)...)
	c.AddSeries(b.header(yc), []opts.GaugeData{{Name: b.header(yc), Value: v}})
	s := &c.MultiSeries[0]
	s.Min, s.Max = 0, int(top)
	s.Pointer = &opts.Pointer{Show: opts.Bool(true)}
	s.Detail = &opts.Detail{Show: opts.Bool(true)}
	c.Validate()
	// go-echarts types the rim's colour as one string; ECharts takes stops.
	m := generic(c.JSON())
	series := m["series"].([]any)[0].(map[string]any)
	series["axisLine"] = map[string]any{"lineStyle": map[string]any{"width": 14, "color": rim}}
	series["splitNumber"] = 5 // labels every 20 % read; every 10 % crowd
	series["radius"] = "95%"
	series["center"] = []string{"50%", "58%"}
	return m
}

// generic turns a go-echarts option into plain maps and slices, for the
// few settings its types cannot express.
func generic(option map[string]any) map[string]any {
	b, err := json.Marshal(option)
	if err != nil {
		panic(fmt.Sprintf("chart option does not marshal: %v", err)) // built from our own values
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("chart option does not unmarshal: %v", err))
	}
	return m
}

// bands colours a gauge's rim, as fractions of the scale, by the status a
// value at each point would have against t.
func (b *builder) bands(t dashboards.Target, better string, top float64) [][]any {
	color := map[string]string{dashboards.StatusGood: goodColor, dashboards.StatusWarn: warnColor, dashboards.StatusBad: badColor}
	edges := []float64{t.Value}
	if t.Warn != nil {
		edges = append(edges, *t.Warn)
	}
	if better == "higher" {
		edges = []float64{edges[len(edges)-1], t.Value}
		if t.Warn == nil {
			edges = edges[1:]
		}
	}
	var out [][]any
	for i, e := range append(edges, top) {
		f := min(max(e/top, 0), 1)
		// The status just below the edge names the stretch that ends there.
		below := 0.0
		if i > 0 {
			below = edges[i-1]
		}
		out = append(out, []any{f, color[t.Status((below+e)/2, better)]})
	}
	return out
}

// gaugeTable is the gauge's value (and target) as a table.
func (b *builder) gaugeTable() components.Table {
	yi, yc := b.col(b.p.Y[0])
	row := []components.Cell{{Text: b.header(yc)}, {Text: b.text(yc, b.res.Rows[0][yi]), Numeric: true}}
	t := components.Table{Head: []string{"", b.p.Title.In(string(b.lang))}, Rows: [][]components.Cell{row}}
	if tg, ok := b.p.Targets[yc.Name]; ok {
		t.Rows = append(t.Rows, []components.Cell{{Text: b.lang.T("panel.target")}, {Text: b.formatNumber(yc.Type, tg.Value), Numeric: true}})
	}
	return t
}

// pointMap draws each row as a point at (x, y) = (longitude, latitude),
// one series per value of the series column. There is no base map: tiles
// would come from outside, and the city's own map layers are not ours to
// ship.
func (b *builder) pointMap() map[string]any {
	xi, _ := b.col(b.p.X)
	yi, _ := b.col(b.p.Y[0])
	groups := []any{nil}
	si := -1
	var sc queries.Column
	if b.p.Series != "" {
		si, sc = b.col(b.p.Series)
		groups = b.categories(si)
	}
	pts := make([][][2]int64, len(groups))
	first := true
	var lo, hi [2]int64
	c := charts.NewScatter()
	for gi, g := range groups {
		for _, r := range b.res.Rows {
			if si >= 0 && r[si] != g {
				continue
			}
			lon, ok1 := number(r[xi])
			lat, ok2 := number(r[yi])
			if !ok1 || !ok2 {
				continue
			}
			// Four decimals place a point within ten metres, which a city
			// map cannot show finer.
			p := [2]int64{int64(math.Round(lon * pointScale)), int64(math.Round(lat * pointScale))}
			if first {
				lo, hi, first = p, p, false
			}
			lo, hi = [2]int64{min(lo[0], p[0]), min(lo[1], p[1])}, [2]int64{max(hi[0], p[0]), max(hi[1], p[1])}
			pts[gi] = append(pts[gi], p)
		}
		name := b.p.Title.In(string(b.lang))
		if si >= 0 {
			name = b.text(sc, g)
		}
		c.AddSeries(name, nil, charts.WithItemStyleOpts(opts.ItemStyle{Color: UnitColor(gi), Opacity: opts.Float(0.65)}))
		c.MultiSeries[len(c.MultiSeries)-1].Data = []any{} // app.js fills it from packedPoints
	}
	// A margin round the points; app.js widens one axis further so that a
	// kilometre is as long across as down on the chart it draws.
	minLon, maxLon := float64(lo[0])/pointScale, float64(hi[0])/pointScale
	minLat, maxLat := float64(lo[1])/pointScale, float64(hi[1])/pointScale
	mx, my := max((maxLon-minLon)*0.05, 0.001), max((maxLat-minLat)*0.05, 0.001)
	minLon, maxLon, minLat, maxLat = minLon-mx, maxLon+mx, minLat-my, maxLat+my
	hidden := &opts.AxisLabel{Show: opts.Bool(false)}
	noLines := &opts.SplitLine{Show: opts.Bool(false)}
	noLine := &opts.AxisLine{Show: opts.Bool(false)}
	noTick := &opts.AxisTick{Show: opts.Bool(false)}
	c.SetGlobalOptions(append(b.common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(groups) > 1), Type: "scroll", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "36", Bottom: "40"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: minLon, Max: maxLon, AxisLabel: hidden, SplitLine: noLines, AxisLine: noLine, AxisTick: noTick}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: minLat, Max: maxLat, AxisLabel: hidden, SplitLine: noLines, AxisLine: noLine}),
	)...)
	c.Validate()
	m := c.JSON()
	m["packedPoints"] = packPoints(pts, lo)
	return m
}

// pointScale is how many steps a degree has in packed points: four
// decimals.
const pointScale = 1e4

// packedPoints are a map's points in fewer bytes than ECharts' [lon, lat]
// pairs, which app.js unpacks into each series' data. A map's 4 000 points
// were 72 of a themes page's 132 KB, and compressing the page for each
// request was some 40 % of the server's work on it. Each series holds its
// points' steps (pointScale) from Origin, ordered by longitude, as pairs:
// the longitude's steps from the last point's (from Origin's for the
// first), and the latitude's from Origin's.
type packedPoints struct {
	Scale  float64   `json:"scale"`
	Origin [2]int64  `json:"origin"`
	Series [][]int64 `json:"series"`
}

func packPoints(pts [][][2]int64, origin [2]int64) packedPoints {
	pp := packedPoints{Scale: pointScale, Origin: origin, Series: make([][]int64, len(pts))}
	for i, ps := range pts {
		slices.SortFunc(ps, func(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		flat := make([]int64, 0, 2*len(ps))
		x := origin[0]
		for _, p := range ps {
			flat = append(flat, p[0]-x, p[1]-origin[1])
			x = p[0]
		}
		pp.Series[i] = flat
	}
	return pp
}

// mapTable is a map's accessible alternative: how many points each series
// has, since thousands of coordinates say nothing read aloud.
func (b *builder) mapTable() components.Table {
	t := components.Table{Head: []string{b.lang.Pick("Ryhmä", "Grupp", "Group"), b.lang.Pick("Pisteitä", "Punkter", "Points")}}
	if b.p.Series == "" {
		n := int64(len(b.res.Rows))
		t.Rows = [][]components.Cell{{{Text: b.p.Title.In(string(b.lang))}, {Text: i18n.Number(float64(n), 0), Numeric: true, Sort: sortKey(n)}}}
		return t
	}
	si, sc := b.col(b.p.Series)
	t.Head[0] = b.header(sc)
	for _, g := range b.categories(si) {
		var n int64
		for _, r := range b.res.Rows {
			if r[si] == g {
				n++
			}
		}
		t.Rows = append(t.Rows, []components.Cell{
			{Text: b.text(sc, g), URL: b.dims.link(sc.Type, g)},
			{Text: i18n.Number(float64(n), 0), Numeric: true, Sort: sortKey(n)},
		})
	}
	return t
}

// scatter puts each row at (x, y), two measures of the same thing — say a
// toimiala's sick-leave rate and its complaint share — named and coloured
// by the series column, so that one can see whether they go together.
// Clicking a point drills into it, as its row in the table does.
func (b *builder) scatter() map[string]any {
	xi, xc := b.col(b.p.X)
	yi, yc := b.col(b.p.Y[0])
	si, sc := b.col(b.p.Series)
	// One series a point: go-echarts gives a data item no colour of its own.
	c := charts.NewScatter()
	var names []any
	for i, r := range b.res.Rows {
		x, ok1 := number(r[xi])
		y, ok2 := number(r[yi])
		if !ok1 || !ok2 {
			continue // a withheld figure has no place on the plane
		}
		names = append(names, r[si])
		name := b.text(sc, r[si])
		c.AddSeries(name, []opts.ScatterData{{Name: name, Value: [2]float64{x, y}, SymbolSize: 16}},
			charts.WithItemStyleOpts(opts.ItemStyle{Color: b.itemColor(sc, r[si], i)}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{b}"}))
	}
	b.setDrill(sc, names)
	c.SetGlobalOptions(append(b.common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "48", Top: "44", Bottom: "32", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: b.header(xc), NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: b.header(yc), NameLocation: "end", Scale: opts.Bool(true)}),
	)...)
	c.Validate()
	return c.JSON()
}
