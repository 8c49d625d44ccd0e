package server

import (
	"slices"
	"testing"
)

func TestNamesIn(t *testing.T) {
	tests := []struct {
		name, sql string
		want      []string
	}{
		{"names and calls",
			"SELECT f.unit_id FROM feedback_count f JOIN org_unit u ON u.id = f.unit_id WHERE sees_subtree(u.id)",
			[]string{"SELECT", "f", "unit_id", "FROM", "feedback_count", "f", "JOIN", "org_unit", "u", "ON", "u", "id", "f", "unit_id", "WHERE", "sees_subtree", "u", "id"}},
		{"not comments, numbers or parameters",
			"-- the theme's counts\nSELECT 1d, $1 /* feedback */ FROM hr_month",
			[]string{"SELECT", "FROM", "hr_month"}},
		{"not literals, with their doubled quotes",
			"SELECT row_security_active('feedback_tree_count'), 'it''s theme' FROM channel",
			[]string{"SELECT", "row_security_active", "FROM", "channel"}},
		{"literals where SQL is made and run",
			"BEGIN EXECUTE 'DELETE FROM feedback_count'; END",
			[]string{"BEGIN", "EXECUTE", "DELETE", "FROM", "feedback_count", "END"}},
		{"an unclosed literal or comment ends the text",
			"SELECT theme FROM x WHERE y = 'open /* z",
			[]string{"SELECT", "theme", "FROM", "x", "WHERE", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := namesIn(tt.sql); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
