package dashboards

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/luukku-bi/luukku/internal/overlay"
)

// Playlist is what a council-room or lobby screen shows: dashboard views
// in turn, each for a while. It lives in playlists/{slug}.yaml beside the
// dashboards and is named by its file.
type Playlist struct {
	File   string  `yaml:"-"`
	Slug   string  `yaml:"-"`
	Title  Text    `yaml:"title"`
	Slides []Slide `yaml:"slides"`
}

// Slide is one dashboard view of a playlist.
type Slide struct {
	Dashboard string `yaml:"dashboard"`
	// View is the dashboard's URL parameters (unit=…&channel=…); without
	// from and to the period is the twelve months up to the day shown, so
	// that a screen left running for weeks stays current.
	View string `yaml:"view"`
	// Duration is how long each screen of the slide stays up.
	Duration Duration `yaml:"duration"`
	// Panels picks the panels to show, in the dashboard's order; without
	// it every panel but the tables is shown, a screenful at a time.
	Panels []string `yaml:"panels"`
}

// Duration is a time.Duration written as in Go: 30s, 1m30s.
type Duration time.Duration

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: duration %q: write it like 30s or 1m30s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as it is read.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// How long a slide may stay up: long enough to read, short enough that a
// mistyped hour does not freeze a screen for a day.
const (
	DefaultDuration = 30 * time.Second
	MinDuration     = 5 * time.Second
	MaxDuration     = 30 * time.Minute
	// MaxSlides bounds a playlist: a screen holds all of it at once.
	MaxSlides = 40
)

// ViewParams are the URL parameters a slide's view may set.
var ViewParams = []string{"from", "to", "unit", "channel"}

// PlaylistDir is where playlists live, beside the dashboards.
const PlaylistDir = "playlists"

// loadPlaylists reads playlists/*.yaml from fsys and checks them against
// the dashboards of s.
func (s *Set) loadPlaylists(fsys fs.FS) error {
	files, err := fs.Glob(fsys, PlaylistDir+"/*.yaml")
	if err != nil {
		return fmt.Errorf("list playlists: %w", err)
	}
	s.playlists = map[string]*Playlist{}
	var errs []error
	for _, f := range files {
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", f, err))
			continue
		}
		p, err := s.ParsePlaylist(overlay.Path(fsys, f), strings.TrimSuffix(path.Base(f), ".yaml"), src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.playlists[p.Slug] = p
	}
	return errors.Join(errs...)
}

// ParsePlaylist decodes and validates the playlist slug against the
// dashboards of s. Errors name the file and, where known, the line.
func (s *Set) ParsePlaylist(file, slug string, src []byte) (*Playlist, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var p Playlist
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the file is empty", file)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	p.File, p.Slug = file, slug
	if err := p.validate(s); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &p, nil
}

func (p *Playlist) validate(s *Set) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !slugPattern.MatchString(p.Slug) {
		bad("the file name %q must be lower-case letters, digits and hyphens", p.Slug)
	}
	if p.Title.In("fi") == "" {
		bad("title needs at least a Finnish text (fi)")
	}
	if len(p.Slides) == 0 {
		bad("no slides")
	}
	if len(p.Slides) > MaxSlides {
		bad("%d slides; at most %d", len(p.Slides), MaxSlides)
	}
	for i := range p.Slides {
		sl := &p.Slides[i]
		if sl.Duration == 0 {
			sl.Duration = Duration(DefaultDuration)
		}
		for _, err := range sl.validate(s) {
			bad("slide %d: %w", i+1, err)
		}
	}
	return errors.Join(errs...)
}

func (sl *Slide) validate(s *Set) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if d := time.Duration(sl.Duration); d < MinDuration || d > MaxDuration {
		bad("duration %s is outside %s–%s", d, MinDuration, MaxDuration)
	}
	d, ok := s.Get(sl.Dashboard)
	if !ok {
		bad("dashboard %q does not exist", sl.Dashboard)
		return errs
	}
	for _, id := range sl.Panels {
		if !slices.ContainsFunc(d.Panels, func(p Panel) bool { return p.ID == id }) {
			bad("panel %q is not a panel of %s", id, d.Slug)
		}
	}
	if len(sl.Panels) == 0 && len(d.Screens(nil)) == 0 {
		bad("dashboard %s has only tables: name the panels to show", d.Slug)
	}
	q, err := url.ParseQuery(sl.View)
	if err != nil {
		bad("view %q is not URL parameters: %v", sl.View, err)
		return errs
	}
	for name, vals := range q {
		switch {
		case !slices.Contains(ViewParams, name):
			bad("view: unknown parameter %q (known: %s)", name, strings.Join(ViewParams, ", "))
		case !d.HasFilter(filterOf(name)):
			bad("view: %s has no %s filter", d.Slug, filterOf(name))
		case name != "channel" && len(vals) > 1:
			bad("view: %s given more than once", name)
		case name == "from" || name == "to":
			if _, err := time.Parse(time.DateOnly, vals[0]); err != nil {
				bad("view: %s %q is not a date YYYY-MM-DD", name, vals[0])
			}
		}
	}
	return errs
}

// filterOf names the filter that sets the URL parameter name.
func filterOf(name string) string {
	if name == "from" || name == "to" {
		return FilterPeriod
	}
	return name
}

// Playlist returns the playlist named slug.
func (s *Set) Playlist(slug string) (*Playlist, bool) {
	p, ok := s.playlists[slug]
	return p, ok
}

// Playlists returns every playlist, by slug.
func (s *Set) Playlists() []*Playlist {
	out := make([]*Playlist, 0, len(s.playlists))
	for _, p := range s.playlists {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Playlist) int { return strings.Compare(a.Slug, b.Slug) })
	return out
}

// Screen is what one screenful of a dashboard shows: up to two rows of
// panels on the dashboard's twelve-column grid.
type Screen struct {
	Rows [][]*Panel
}

// screenRows is how many rows of panels a screen holds and stays legible
// from across a room.
const screenRows = 2

// Screens lays the panels named by ids (all but the tables when none are
// named) onto screenfuls, in the dashboard's order: each row fills up to
// twelve columns, and a third row starts a new screen.
func (d *Dashboard) Screens(ids []string) []Screen {
	var out []Screen
	var cur Screen
	width := 0
	for i := range d.Panels {
		p := &d.Panels[i]
		if (len(ids) == 0 && p.Kind == KindTable) || (len(ids) > 0 && !slices.Contains(ids, p.ID)) {
			continue
		}
		if len(cur.Rows) == 0 || width+p.Width > 12 {
			if len(cur.Rows) == screenRows {
				out = append(out, cur)
				cur = Screen{}
			}
			cur.Rows = append(cur.Rows, nil)
			width = 0
		}
		cur.Rows[len(cur.Rows)-1] = append(cur.Rows[len(cur.Rows)-1], p)
		width += p.Width
	}
	if len(cur.Rows) > 0 {
		out = append(out, cur)
	}
	return out
}
