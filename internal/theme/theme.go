// Package theme classifies free-text feedback into themes with keyword
// rules. The rules are data (the theme_rule table), so analysts can change
// them without touching code; this package only applies them.
package theme

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Rule says that text containing Keyword belongs to Theme. Keyword is a
// lower-case word stem, matched as a substring so that one stem covers the
// inflected forms of a Finnish or Swedish word.
type Rule struct {
	Theme   string
	Keyword string
}

// Querier is the part of pgx that LoadRules needs. *pgxpool.Pool, *pgx.Conn
// and pgx.Tx all satisfy it, so rules can be read inside a load transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// The order makes the rule list, and so the classifier, the same on every
// call.
const rulesSQL = `SELECT theme_code, keyword FROM theme_rule ORDER BY theme_code, keyword`

// LoadRules reads every theme rule.
func LoadRules(ctx context.Context, db Querier) ([]Rule, error) {
	rows, err := db.Query(ctx, rulesSQL)
	if err != nil {
		return nil, fmt.Errorf("query theme rules: %w", err)
	}
	rules, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Rule])
	if err != nil {
		return nil, fmt.Errorf("read theme rules: %w", err)
	}
	return rules, nil
}

// Classifier assigns themes to text. It is immutable after NewClassifier and
// safe for concurrent use.
type Classifier struct {
	// Themes in sorted order, each with its keywords, so that Classify
	// produces sorted output without sorting and can stop testing a theme's
	// keywords at the first hit.
	themes []themeKeywords
}

type themeKeywords struct {
	code     string
	keywords []string
}

// NewClassifier builds a classifier from rules. Duplicate rules are
// harmless; empty keywords are ignored because they would match everything.
func NewClassifier(rules []Rule) *Classifier {
	sorted := slices.Clone(rules)
	slices.SortFunc(sorted, func(a, b Rule) int {
		if c := strings.Compare(a.Theme, b.Theme); c != 0 {
			return c
		}
		return strings.Compare(a.Keyword, b.Keyword)
	})
	sorted = slices.Compact(sorted)

	c := &Classifier{}
	for _, r := range sorted {
		if r.Keyword == "" {
			continue
		}
		if n := len(c.themes); n == 0 || c.themes[n-1].code != r.Theme {
			c.themes = append(c.themes, themeKeywords{code: r.Theme})
		}
		t := &c.themes[len(c.themes)-1]
		t.keywords = append(t.keywords, r.Keyword)
	}
	return c
}

// Classify returns the distinct theme codes, sorted, whose keyword occurs in
// the lower-cased text. The result is never nil, so it can go straight into
// a NOT NULL text[] column; the empty slice does not allocate.
func (c *Classifier) Classify(text string) []string {
	lower := strings.ToLower(text)
	found := []string{}
	for _, t := range c.themes {
		for _, kw := range t.keywords {
			if strings.Contains(lower, kw) {
				found = append(found, t.code)
				break
			}
		}
	}
	return found
}
