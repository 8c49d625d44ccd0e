package theme

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/store/storetest"
)

// The rules mean what they would mean in PostgreSQL: on every text of the
// sample, each built-in rule without Luukku's *word matches exactly when
// to_tsvector(config, text) @@ to_tsquery(config, rule) does.
func TestRulesAgreeWithPostgreSQL(t *testing.T) {
	pool := storetest.NewPool(t)
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(sample))
	r.Comma = ';'
	records, _ := r.ReadAll()
	configs := map[string]string{"fi": "finnish", "sv": "swedish", "en": "english"}
	compared, disagreed := 0, 0
	for _, th := range set.Themes {
		for _, parsed := range th.parsed {
			lang := languages[parsed.lang]
			rule := th.Rules[lang]
			if strings.Contains(rule, "*") && strings.Contains(strings.ReplaceAll(rule, ":*", ""), "*") {
				continue // *word has no PostgreSQL counterpart
			}
			var texts []string
			for _, rec := range records[1:] {
				texts = append(texts, rec[2])
			}
			rows, err := pool.Query(t.Context(), `SELECT to_tsvector($1::regconfig, t) @@ to_tsquery($1::regconfig, $2) FROM unnest($3::text[]) t`,
				configs[lang], rule, texts)
			if err != nil {
				t.Fatalf("%s %s: %v", th.Code, lang, err)
			}
			i := 0
			for rows.Next() {
				var pg bool
				rows.Scan(&pg)
				ours := parsed.match(set.vocab[parsed.lang].found(&set.stems, lang, words(texts[i])))
				compared++
				if pg != ours {
					disagreed++
					if disagreed <= 10 {
						t.Errorf("%s/%s on %q: PostgreSQL %v, Luukku %v", th.Code, lang, texts[i], pg, ours)
					}
				}
				i++
			}
			rows.Close()
		}
	}
	t.Logf("%d rule × text pairs compared, %d disagree", compared, disagreed)
	if compared < 1000 {
		t.Errorf("only %d pairs compared", compared)
	}
}
