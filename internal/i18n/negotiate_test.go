package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		header string
		want   Lang
		ok     bool
	}{
		{"sv-FI,sv;q=0.9,fi;q=0.8", Swedish, true},
		{"en-GB,en;q=0.9", English, true},
		{"fi", Finnish, true},
		{"de-DE,en;q=0.5", English, true},
		{"fr-FR;q=0.9,sv;q=0.8", Swedish, true},
		{"en;q=0.2,fi;q=0.9", Finnish, true},
		{"de-DE", Finnish, false},
		{"", Finnish, false},
		{"*", Finnish, false},
		{";;;q=x", Finnish, false},
	} {
		got, ok := Negotiate(c.header)
		if got != c.want || ok != c.ok {
			t.Errorf("Negotiate(%q) = %s, %v; want %s, %v", c.header, got, ok, c.want, c.ok)
		}
	}
}
