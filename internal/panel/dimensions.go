// Package panel turns a dashboard panel's query result into what the page
// shows: an ECharts option built with go-echarts, and the data table that
// is its accessible alternative.
package panel

import (
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// Member is one channel, unit or theme: its name and its colour.
type Member struct {
	Name  dashboards.Text
	Color string
}

// Dimensions name and colour the codes that queries return, so that a
// channel or a toimiala has the same label and colour on every chart.
type Dimensions struct {
	Channels map[string]Member
	Units    map[string]Member
	Themes   map[string]Member
	// Link returns the URL that drills into a code of a column of the given
	// type (the same dashboard filtered to that unit or channel), or "".
	Link func(t queries.ColumnType, code string) string
	// LinkCell returns the URL behind a cell of a matrix, whose row and
	// column each name a code (a theme in a unit: that theme's feedback
	// there), or "".
	LinkCell func(codes map[queries.ColumnType]string) string
}

// channelColors are fixed per channel code so that charts agree.
var channelColors = map[string]string{
	"service_point":     "#0b5394",
	"phone":             "#3d85c6",
	"email":             "#e69138",
	"web_form":          "#6aa84f",
	"e_service":         "#274e13",
	"social_media":      "#a64d79",
	"chat":              "#c27ba0",
	"video":             "#8e7cc3",
	"instant_messaging": "#45818e",
	"chatbot":           "#76a5af",
	"whatsapp":          "#93c47d",
	"letter":            "#7f7f7f",
}

// unitPalette colours the parts of the organisation in tree order: the
// toimialat of the city always get the same colours.
var unitPalette = []string{
	"#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182",
	"#8d6a9f", "#2e4057", "#c97b2c", "#5c946e", "#b5838d",
}

// measurePalette colours value columns (budget, actual, ...).
var measurePalette = []string{"#9fb3c8", "#1b4f72", "#d4a017", "#7d3c98"}

const themeColor = "#00798c"

// Status colours, shared with app.css: a target, and how a value stands
// against it.
const (
	targetColor = "#c0392b"
	goodColor   = "#2e7d32"
	warnColor   = "#d4a017"
	badColor    = "#c0392b"
)

// heatRamp runs from few to many, one hue so that it reads in greyscale.
var heatRamp = []string{"#eef4fa", "#9ecae1", "#4292c6", "#08519c", "#08306b"}

// ChannelColor returns the colour of a channel code.
func ChannelColor(code string) string {
	if c, ok := channelColors[code]; ok {
		return c
	}
	return "#7f7f7f"
}

// UnitColor returns the colour for the i-th child of a parent unit.
func UnitColor(i int) string { return unitPalette[i%len(unitPalette)] }

// ThemeColor returns the colour used for themes.
func ThemeColor() string { return themeColor }

func (d *Dimensions) lookup(colType string) map[string]Member {
	switch colType {
	case "channel":
		return d.Channels
	case "unit":
		return d.Units
	case "theme":
		return d.Themes
	case "verdict":
		return verdicts
	}
	return nil
}

// verdicts name the outcomes of a before/after comparison; the words are
// the i18n package's.
var verdicts = func() map[string]Member {
	out := map[string]Member{}
	for _, code := range []string{"improved", "worsened", "unchanged", "pending"} {
		name := dashboards.Text{}
		for _, l := range i18n.Langs {
			name[string(l)] = l.T("verdict." + code)
		}
		out[code] = Member{Name: name}
	}
	return out
}()

// label returns the display name of a code in a column of type colType.
func (d *Dimensions) label(colType, code string, lang i18n.Lang) string {
	if m, ok := d.lookup(colType)[code]; ok {
		if s := m.Name.In(string(lang)); s != "" {
			return s
		}
	}
	return code
}

// link is the drill URL of a category value, or "".
func (d *Dimensions) link(t queries.ColumnType, v any) string {
	code, ok := v.(string)
	if !ok || d.Link == nil {
		return ""
	}
	return d.Link(t, code)
}

// cellLink is the drill URL of a matrix cell at column value x and row
// value y, or "".
func (d *Dimensions) cellLink(xt queries.ColumnType, x any, yt queries.ColumnType, y any) string {
	xs, okx := x.(string)
	ys, oky := y.(string)
	if !okx || !oky || d.LinkCell == nil {
		return ""
	}
	return d.LinkCell(map[queries.ColumnType]string{xt: xs, yt: ys})
}

func (d *Dimensions) color(colType, code string) string {
	if m, ok := d.lookup(colType)[code]; ok {
		return m.Color
	}
	return ""
}
