package theme

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
)

// sample is a labelled sample of synthetic feedback: each text with the
// one theme a reader would give it. Most are the demo's texts with their
// places filled in; the last rows are written apart from the demo, to
// show how the rules do on wording they were not written for.
//
//go:embed sample.csv
var sample string

// Score is how well the rules find one theme in the sample.
type Score struct {
	Theme                 string
	Labelled, Found, Hits int // texts labelled with it, texts given it, and both
}

// Precision is the share of texts given the theme that are labelled so.
func (s Score) Precision() float64 { return ratio(s.Hits, s.Found) }

// Recall is the share of texts labelled with the theme that get it.
func (s Score) Recall() float64 { return ratio(s.Hits, s.Labelled) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Evaluate classifies the labelled sample with the set and scores each
// theme, and all of them together (Theme "").
func (s *Set) Evaluate() ([]Score, error) {
	r := csv.NewReader(strings.NewReader(sample))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("theme sample: %w", err)
	}
	scores := map[string]*Score{}
	get := func(code string) *Score {
		if scores[code] == nil {
			scores[code] = &Score{Theme: code}
		}
		return scores[code]
	}
	total := &Score{}
	for _, rec := range records[1:] {
		label, text := rec[0], rec[2]
		got := s.Classify(text)
		get(label).Labelled++
		total.Labelled++
		for _, g := range got {
			get(g).Found++
			total.Found++
		}
		if slices.Contains(got, label) {
			get(label).Hits++
			total.Hits++
		}
	}
	var out []Score
	for _, sc := range scores {
		out = append(out, *sc)
	}
	slices.SortFunc(out, func(a, b Score) int { return strings.Compare(a.Theme, b.Theme) })
	return append(out, *total), nil
}
