package dashboards

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestEmbeddedPlaylistsAreValid(t *testing.T) {
	set, err := Load(Embedded(), catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.Playlist("valtuustosali")
	if !ok {
		t.Fatalf("no council chamber playlist; have %d", len(set.Playlists()))
	}
	if len(p.Slides) < 4 || p.Title.In("sv") == "" || p.Title.In("en") == "" {
		t.Errorf("council chamber: %d slides, titles %v", len(p.Slides), p.Title)
	}
	for _, pl := range set.Playlists() {
		for i, sl := range pl.Slides {
			d, _ := set.Get(sl.Dashboard)
			if n := len(d.Screens(sl.Panels)); n != 1 {
				t.Errorf("%s slide %d: %d screens, want the one a named set of panels fits", pl.Slug, i+1, n)
			}
		}
	}
}

const validPlaylist = `title: {fi: Sali}
slides:
  - dashboard: overview
    view: unit=kasvatus&channel=phone
    panels: [kpis]
    duration: 45s
  - dashboard: finance
`

func TestInvalidPlaylists(t *testing.T) {
	set, err := Load(Embedded(), catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		slug    string
		replace [2]string
		want    string
	}{
		{"valid", "sali", [2]string{"", ""}, ""},
		{"bad file name", "Sali 2", [2]string{"", ""}, `file name "Sali 2"`},
		{"no title", "sali", [2]string{"title: {fi: Sali}", "title: {sv: Salen}"}, "title needs at least a Finnish text"},
		{"unknown field", "sali", [2]string{"duration: 45s", "durration: 45s"}, "field durration not found"},
		{"unknown dashboard", "sali", [2]string{"dashboard: finance", "dashboard: budjetti"}, `slide 2: dashboard "budjetti" does not exist`},
		{"unknown panel", "sali", [2]string{"panels: [kpis]", "panels: [kpi]"}, `slide 1: panel "kpi" is not a panel of overview`},
		{"bad duration", "sali", [2]string{"duration: 45s", "duration: 45"}, `duration "45": write it like 30s`},
		{"too short", "sali", [2]string{"duration: 45s", "duration: 1s"}, "duration 1s is outside 5s–30m0s"},
		{"too long", "sali", [2]string{"duration: 45s", "duration: 2h"}, "duration 2h0m0s is outside"},
		{"unknown parameter", "sali", [2]string{"view: unit=", "view: colour=red&unit="}, `view: unknown parameter "colour"`},
		{"bad date", "sali", [2]string{"view: unit=", "view: from=1.1.2026&unit="}, `view: from "1.1.2026" is not a date`},
		{"filter the dashboard lacks", "sali", [2]string{"dashboard: finance", "dashboard: finance\n    view: channel=phone"}, "slide 2: view: finance has no channel filter"},
		{"repeated unit", "sali", [2]string{"view: unit=kasvatus", "view: unit=kasvatus&unit=tekninen"}, "view: unit given more than once"},
		{"no slides", "sali", [2]string{validPlaylist[strings.Index(validPlaylist, "slides:"):], "slides: []\n"}, "no slides"},
		{"empty file", "sali", [2]string{validPlaylist, ""}, "the file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := validPlaylist
			if tt.replace[0] != "" || tt.replace[1] != "" {
				if !strings.Contains(src, tt.replace[0]) {
					t.Fatalf("the valid playlist has no %q", tt.replace[0])
				}
				src = strings.Replace(src, tt.replace[0], tt.replace[1], 1)
			}
			p, err := set.ParsePlaylist("playlists/x.yaml", tt.slug, []byte(src))
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if time.Duration(p.Slides[0].Duration) != 45*time.Second || time.Duration(p.Slides[1].Duration) != DefaultDuration {
					t.Errorf("durations %v, %v", p.Slides[0].Duration, p.Slides[1].Duration)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "playlists/x.yaml: ") {
				t.Errorf("the error does not name the file: %v", err)
			}
		})
	}
}

// A playlist that names a missing dashboard fails the whole load, as a
// broken dashboard does.
func TestLoadRefusesABrokenPlaylist(t *testing.T) {
	fsys := fstest.MapFS{
		"x.yaml":             {Data: []byte(valid)},
		"playlists/ok.yaml":  {Data: []byte("title: {fi: OK}\nslides:\n  - dashboard: x\n")},
		"playlists/bad.yaml": {Data: []byte("title: {fi: Bad}\nslides:\n  - dashboard: y\n")},
	}
	if _, err := Load(fsys, catalog(t)); err == nil || !strings.Contains(err.Error(), `playlists/bad.yaml: slide 1: dashboard "y" does not exist`) {
		t.Fatalf("got %v", err)
	}
	delete(fsys, "playlists/bad.yaml")
	set, err := Load(fsys, catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(set.Playlists()); got != 1 {
		t.Errorf("%d playlists", got)
	}
}

func TestScreens(t *testing.T) {
	d := &Dashboard{Panels: []Panel{
		{ID: "kpis", Kind: KindKPI, Width: 12},
		{ID: "a", Kind: KindLine, Width: 8},
		{ID: "b", Kind: KindDonut, Width: 4},
		{ID: "c", Kind: KindHBar, Width: 6},
		{ID: "t", Kind: KindTable, Width: 12},
		{ID: "d", Kind: KindHBar, Width: 6},
		{ID: "e", Kind: KindHBar, Width: 6},
	}}
	ids := func(ss []Screen) [][]string {
		var out [][]string
		for _, s := range ss {
			var row []string
			for _, r := range s.Rows {
				for _, p := range r {
					row = append(row, p.ID)
				}
				row = append(row, "|")
			}
			out = append(out, row)
		}
		return out
	}
	tests := []struct {
		name string
		ids  []string
		want [][]string
	}{
		{"all but tables", nil, [][]string{{"kpis", "|", "a", "b", "|"}, {"c", "d", "|", "e", "|"}}},
		{"named, in the dashboard's order", []string{"e", "kpis", "t"}, [][]string{{"kpis", "|", "t", "|"}, {"e", "|"}}},
		{"one", []string{"b"}, [][]string{{"b", "|"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(d.Screens(tt.ids)); !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
