// Package components renders Luukku's pages with templ. It receives view
// models built by the server and knows nothing of the database.
package components

import (
	"context"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// Assets are the content-hashed URLs of the static files.
type Assets struct {
	CSS, ECharts, App string
	// Present runs a screen's deck.
	Present string
}

// Link is a navigation entry.
type Link struct {
	Label   string
	URL     string
	Current bool
	Lang    string // hreflang, for language links
}

// Option is one choice in a select or checkbox group.
type Option struct {
	Value    string
	Label    string
	Selected bool
	Depth    int // indentation in the organisation tree
}

// FilterBar is the GET form that holds the dashboard's view state.
type FilterBar struct {
	Action      string
	Lang        string // carried in a hidden field when not the default
	Period      bool
	From, To    string // ISO 8601 dates
	Units       []Option
	Channels    []Option
	ResetURL    string
	PeriodLabel string // the period in Finnish date format
	Presets     []Link // common periods, one click each
}

// Page is a whole dashboard page.
type Page struct {
	Lang        i18n.Lang
	Title       string
	Description string
	Assets      Assets
	Nav         []Link
	Languages   []Link
	Breadcrumbs []Link // from the city down to the selected unit
	ItemsURL    string // the feedback items of the view
	PresentURL  string // the same view on a screen
	PDFURL      string // the same view printed on A4
	Filters     FilterBar
	Chips       []Link // the active filters, each linking to the view without it
	Panels      []Panel
	DataVersion string
}

// Panel is one chart with its data table, or a row of KPI cards.
type Panel struct {
	ID      string
	Title   string
	Width   int
	Kind    string
	Chart   []byte   // the ECharts option as JSON, from json.Marshal; nil when there is nothing to draw
	Drill   []string // the URL behind each category of the chart, in drawing order
	Format  string   // number format of the values, for tooltips and axes
	FormatX string   // number format of x, when x is a measure too (scatter)
	Table   Table
	KPIs    []KPI
	More    Link   // another dashboard that tells more, with the same filters
	CSVURL  string // the panel's data for spreadsheets
	// XLSXURL is the same data as an Excel workbook.
	XLSXURL string
	Note    string
	Empty   bool
}

// Size estimates the memory p holds, in bytes, for a cache's bound.
func (p Panel) Size() int64 {
	strs := func(ss ...string) int64 {
		n := int64(0)
		for _, s := range ss {
			n += 16 + int64(len(s))
		}
		return n
	}
	size := 256 + int64(len(p.Chart)) + strs(p.ID, p.Title, p.Kind, p.Format, p.FormatX, p.More.Label, p.More.URL, p.CSVURL, p.XLSXURL, p.Note)
	size += strs(p.Drill...) + strs(p.Table.Head...)
	for _, row := range p.Table.Rows {
		size += 24
		for _, c := range row {
			size += 8 + strs(c.Text, c.URL, c.Sort)
		}
	}
	for _, k := range p.KPIs {
		size += 64 + strs(k.Label, k.Value, k.Status, k.Target)
		for _, c := range k.Changes {
			size += strs(c.Text, c.Than, c.Trend)
		}
		if k.Trend != nil {
			size += strs(k.Trend.Lines...) + strs(k.Trend.Partial, k.Trend.Label)
		}
	}
	return size
}

// ChartID is the DOM id of the chart's option script.
func (p Panel) ChartID() string { return "chart-" + p.ID }

// DrillID is the DOM id of the script that lists the chart's drill URLs.
func (p Panel) DrillID() string { return "drill-" + p.ID }

// Table is the accessible alternative to a chart.
type Table struct {
	Head []string
	Rows [][]Cell
}

// Cell is one table cell, already formatted.
type Cell struct {
	Text    string
	Numeric bool
	URL     string // a drill link, for the row header
	Sort    string // the raw value, for sorting a table by this column
}

// KPI is one headline figure.
type KPI struct {
	Label   string
	Value   string
	Changes []Change
	Status  string // "good", "warn", "bad" against the target, or ""
	Target  string // "Tavoite 24,0 h"
	Trend   *Spark
}

// Spark is a KPI's monthly trend as SVG polylines in a 100 × 24 box; a
// month without a value breaks the line.
type Spark struct {
	Lines   []string // polyline points
	Partial string   // the stretch into a month still running, drawn dashed
	Label   string   // the first and last month in words
}

// Change is a KPI's change against an earlier period.
type Change struct {
	Text  string // "▲ 12,3 %" or "▼ 1,2 %-yks."
	Than  string // "ed. jakso"
	Trend string // "good", "bad" or "" (neutral), for colour
}

// ItemsPage lists the feedback behind a number.
type ItemsPage struct {
	Lang      i18n.Lang
	Assets    Assets
	Nav       []Link
	Languages []Link
	Title     string
	Context   string // what the list is filtered to, in words
	Total     string
	BackURL   string
	Exports   []Link // the whole list for download, one link per file type
	Sorts     []Link
	Themes    []Option // the theme filter; Value "" = any
	Kinds     []Option
	Hidden    []Option // the view state the filter form carries along
	Head      []string
	Rows      []ItemRow
	PrevURL   string
	NextURL   string
	Page      string
}

// ItemRow is one feedback item, formatted.
type ItemRow struct {
	Received, Channel, Unit, Kind, Status, Themes, Response, Body string
	Lang                                                          string // of the text, for screen readers
}

// PresentPage is a screen: a playlist or a dashboard a screenful at a time.
type PresentPage struct {
	Lang    i18n.Lang
	Title   string
	Assets  Assets
	Steps   []Step
	Version string // the data version the deck shows
	Build   string // the assets' version: a screen reloads when it changes
	// Poll is how often the screen asks VersionURL whether the data changed.
	Poll       time.Duration
	VersionURL string
	ExitURL    string // back to the dashboard, for a signed-in presenter
}

// Step is one screenful: some panels of one dashboard view, in rows.
type Step struct {
	ID       string
	Title    string
	Context  string // the unit and the period, in words
	Of       string // "2/3" when the view takes several screens
	Duration time.Duration
	Rows     [][]Panel
}

// ErrorPage explains a failed request.
type ErrorPage struct {
	Lang    i18n.Lang
	Assets  Assets
	Status  int
	Title   string
	Message string
}

// Account is the signed-in user as the page header shows it.
type Account struct {
	Name  string
	Admin bool
}

type accountKey struct{}

// WithAccount makes a the account every page rendered with ctx shows.
func WithAccount(ctx context.Context, a Account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}

func accountOf(ctx context.Context) (Account, bool) {
	a, ok := ctx.Value(accountKey{}).(Account)
	return a, ok
}

// LoginPage is the sign-in form.
type LoginPage struct {
	Lang      i18n.Lang
	Assets    Assets
	Languages []Link
	Next      string // where to go after signing in
	Username  string
	Message   string // why the last try failed
	SSOURL    string // single sign-on, when configured
}

// Admin is what every administration page has.
type Admin struct {
	Lang      i18n.Lang
	Assets    Assets
	Title     string
	Tabs      []Link
	Languages []Link
	Notice    string // what the last change did
	Secret    string // a new password, shown this once
	// SecretLabel says what Secret is; a password when empty.
	SecretLabel string
	Error       string
}

// ScreensPage lists the display tokens and the playlists, with a form to
// make a token.
type ScreensPage struct {
	Admin
	AddURL    string
	Targets   []OptionGroup // playlists and dashboards a screen may show
	View      string        // the form's view, kept when it is refused
	Name      string
	Langs     []Option
	Units     []Option
	Screens   []ScreenRow
	Playlists []PlaylistRow
	// Editable says where playlists are edited; empty when the server has
	// no definitions directory.
	PlaylistDir string
}

// OptionGroup is a labelled group of options in a select.
type OptionGroup struct {
	Label   string
	Options []Option
}

// ScreenRow is one display token.
type ScreenRow struct {
	Name, Shows, Units, Lang, Created, LastUsed, Revoked string
	RevokeURL                                            string // empty once revoked
}

// PlaylistRow is one playlist.
type PlaylistRow struct {
	Title, Slug, File, Length string
	Slides                    int
	PresentURL                string
}

// UsersPage lists the accounts with a form for each and one to add.
type UsersPage struct {
	Admin
	AddURL string
	Roles  []Option
	Units  []Option
	Users  []UserRow
}

// UserRow is one account and its edit form.
type UserRow struct {
	Username, Name string
	Roles          []Option
	Units          []Option
	Disabled       bool
	SaveURL        string
	PasswordURL    string
}

// AuditPage is the audit log with its filter.
type AuditPage struct {
	Admin
	User, Action, From, To string
	Actions                []Option
	Events                 []AuditRow
	CSVURL                 string
	Truncated              bool // more events matched than are shown
}

// AuditRow is one event.
type AuditRow struct {
	At, User, Action, Target, Detail, Address string
}

// ActionsPage lists the development actions for admins to edit.
type ActionsPage struct {
	Admin
	NewURL, ExportURL, ImportURL string
	Actions                      []ActionRow
	Problems                     []string // what was wrong with an imported file, row by row
}

// ActionRow is one development action in the list.
type ActionRow struct {
	Code, Title, Unit, Themes, Decided, Started, Done string
	EditURL, DeleteURL                                string
}

// ActionForm edits one development action.
type ActionForm struct {
	Admin
	SaveURL                             string
	New                                 bool
	Code, Title, Description, OwnerRole string
	Decided, Started, Done              string // ISO 8601 dates
	Units, Themes                       []Option
	Problems                            []string
}

// ImportPage is the upload form for source systems' exports, and what the
// last upload did.
type ImportPage struct {
	Admin
	Action   string
	Kinds    []Option
	Profiles []Option
	DryRun   bool
	Skip     bool
	// Result of the last upload.
	Done     bool
	Summary  string
	Problems []string
}
