package theme_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/internal/theme"
)

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m))
}

// migratedRules returns the rules that the migrations ship, read through
// LoadRules from a fresh database.
func migratedRules(t testing.TB) []theme.Rule {
	t.Helper()
	rules, err := theme.LoadRules(context.Background(), storetest.NewPool(t))
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

func TestLoadRules(t *testing.T) {
	rules := migratedRules(t)
	if len(rules) < 50 {
		t.Fatalf("got %d rules, want the ~75 of the migration", len(rules))
	}
	if !slices.IsSortedFunc(rules, func(a, b theme.Rule) int {
		return strings.Compare(a.Theme+"\x00"+a.Keyword, b.Theme+"\x00"+b.Keyword)
	}) {
		t.Error("rules are not in (theme, keyword) order")
	}
	want := theme.Rule{Theme: "street_maintenance", Keyword: "liukas"}
	if !slices.Contains(rules, want) {
		t.Errorf("rules lack %+v", want)
	}
}

func TestClassifyMigratedRules(t *testing.T) {
	c := theme.NewClassifier(migratedRules(t))
	tests := []struct {
		text string
		want []string
	}{
		{"Jalkakäytävä on todella LIUKAS, hiekoitusta tarvitaan.", []string{"street_maintenance"}},
		{"Keskuspuiston leikkipaikalla on rikkinäinen keinu.", []string{"parks"}},
		{"Bussi 3 ei noudata aikataulua.", []string{"public_transport"}},
		{"Päiväkodin henkilökunta on ihanaa!", []string{"early_education"}},
		{"Uimahallin kuntosali on liian täynnä.", []string{"sports"}},
		{"Katuvalo ei pala ja pysäköintialue on pimeä.", []string{"parking", "street_lighting"}},
		{"Jonossa piti odottaa tunti, mutta palvelu oli ystävällistä.", []string{"customer_service"}},
		{"Sähköinen lupahakemus ei toimi.", []string{"digital_services", "permits"}},
		{"Snöplogen har inte kommit och det är halka på gatan.", []string{"street_maintenance"}},
		{"Bussen kom inte till hållplatsen.", []string{"public_transport"}},
		{"Tack för ett vänligt bemötande på biblioteket.", []string{"customer_service", "library_culture"}},
		{"Det är buller från byggarbetsplatsen varje natt.", []string{"noise"}},
		{"Skolan behöver fler lärare.", []string{"schools"}},
		// The customer-service rule "kö " ends in a space so that it does
		// not match inside words such as "köpa".
		{"Jag vill köpa ett kort.", []string{}},
		{"Kiitos hyvästä päivästä!", []string{}},
		{"", []string{}},
	}
	for _, tt := range tests {
		got := c.Classify(tt.text)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Classify(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if got == nil {
			t.Errorf("Classify(%q) = nil, want a non-nil slice", tt.text)
		}
	}
}

func TestClassifier(t *testing.T) {
	rules := []theme.Rule{
		{Theme: "b", Keyword: "bee"},
		{Theme: "a", Keyword: "ää"},
		{Theme: "a", Keyword: "aa"},
		{Theme: "a", Keyword: "aa"}, // duplicate
		{Theme: "c", Keyword: ""},   // would match everything
	}
	c := theme.NewClassifier(rules)
	tests := []struct {
		text string
		want []string
	}{
		{"BEE AA", []string{"a", "b"}},
		{"ÄÄNI", []string{"a"}},
		{"aa aa ää", []string{"a"}},
		{"nothing", []string{}},
	}
	for _, tt := range tests {
		if got := c.Classify(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Classify(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	c := theme.NewClassifier(migratedRules(b))
	texts := []string{
		"Hei! Rantatiellä jalkakäytävä on ollut aurattu huonosti jo viikon ajan ja siellä on todella liukasta. Kiitos.",
		"Tack för ett vänligt bemötande på biblioteket i centrum i går kväll.",
		"Mäntylän alueella bussi on ollut myöhässä monena aamuna, aikataulu ei pidä.",
		"The library opening hours in Mäntylä are great, thank you.",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Classify(texts[i%len(texts)])
	}
}
