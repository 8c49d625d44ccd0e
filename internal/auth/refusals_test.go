package auth

import (
	"errors"
	"fmt"
	"testing"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// What the accounts refuse is said in each language; Error() stays the
// English text that logs and the command line have always shown, and
// errors.Is still tells the kind.
func TestRefusalsInEachLanguage(t *testing.T) {
	_, badName := NormalizeUsername("väärä nimi")
	_, badRole := ParseRole("superuser")
	_, noName := (&Displays{}).Add(t.Context(), audit.Actor{}, NewDisplay{Name: " ", Playlist: "aula", Units: []string{"x"}})
	_, noTarget := (&Displays{}).Add(t.Context(), audit.Actor{}, NewDisplay{Name: "Aula", Units: []string{"x"}})
	_, noUnits := (&Displays{}).Add(t.Context(), audit.Actor{}, NewDisplay{Name: "Aula", Playlist: "aula"})
	tests := []struct {
		name           string
		err            error
		kind           error
		fi, sv, en     string
		englishUnmoved string // Error(), as before
	}{
		{"bad username", badName, ErrInvalid,
			`käyttäjätunnus "väärä nimi" ei kelpaa: käytä 1–100 merkkiä a–z, 0–9, '.', '_', '@' tai '-' ja aloita kirjaimella tai numerolla`,
			`användarnamnet "väärä nimi" duger inte: använd 1–100 tecken a–z, 0–9, '.', '_', '@' eller '-' och börja med en bokstav eller siffra`,
			`username "väärä nimi": use 1–100 characters a–z, 0–9, '.', '_', '@' or '-', beginning with a letter or digit`, ""},
		{"unknown role", badRole, ErrInvalid,
			`tuntematon rooli "superuser" (roolit: admin, executive, unit_head, viewer, display)`,
			`okänd roll "superuser" (roller: admin, executive, unit_head, viewer, display)`,
			`unknown role "superuser" (roles: admin, executive, unit_head, viewer, display)`, ""},
		{"short password", checkPasswordRules("lyhyt"), ErrInvalid,
			"salasanassa on oltava vähintään 12 merkkiä", "lösenordet måste ha minst 12 tecken",
			"the password must have at least 12 characters", ""},
		{"taken", refused(ErrExists, "auth.taken.name", "maija"), ErrExists,
			"käyttäjätunnus maija on jo käytössä", "användarnamnet maija är redan upptaget", "username is taken: maija", ""},
		{"no user", refused(ErrNoUser, "auth.nouser.name", "kalle"), ErrNoUser,
			"käyttäjää kalle ei ole", "användaren kalle finns inte", "no such user: kalle", ""},
		{"unknown unit", fmt.Errorf("add display Aula: %w", refused(ErrUnknownUnit, "auth.nounit.one", "nope")), ErrUnknownUnit,
			"organisaatiossa ei ole yksikköä nope", "organisationen har ingen enhet nope", "unknown unit: nope",
			"add display Aula: unknown unit: nope"},
		{"unknown units", refused(ErrUnknownUnit, "auth.nounit.many", "a, b"), ErrUnknownUnit,
			"organisaatiossa ei ole yksiköitä a, b", "organisationen har inga enheter a, b", "unknown unit: a, b", ""},
		{"no display", fmt.Errorf("revoke display 7: %w", ErrNoDisplay), ErrNoDisplay,
			"näyttöä ei ole, tai se on jo poistettu käytöstä", "skärmen finns inte, eller den har redan tagits ur bruk",
			"no such display token", "revoke display 7: no such display token"},
		{"screen without a name", noName, ErrInvalid,
			"anna näytölle nimi (1–100 merkkiä)", "ge skärmen ett namn (1–100 tecken)", "name the screen (1–100 characters)", ""},
		{"screen without a target", noTarget, ErrInvalid,
			"valitse soittolista tai koontinäyttö", "välj en spellista eller en översiktsvy", "choose a playlist or a dashboard", ""},
		{"screen without units", noUnits, ErrInvalid,
			"valitse yksiköt, joiden tietoja näyttö näyttää", "välj de enheter vars uppgifter skärmen visar", "choose the units the screen shows", ""},
		{"screen name taken", invalid("auth.screen.taken", "Aula"), ErrInvalid,
			`näyttö nimeltä "Aula" on jo olemassa: poista se ensin käytöstä tai valitse toinen nimi`,
			`det finns redan en skärm med namnet "Aula": ta den ur bruk först eller välj ett annat namn`,
			`a screen named "Aula" exists: revoke it first, or choose another name`, ""},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !errors.Is(tt.err, tt.kind) {
			t.Errorf("%s: %v is not %v", tt.name, tt.err, tt.kind)
		}
		for _, l := range []struct {
			lang i18n.Lang
			want string
		}{{i18n.Finnish, tt.fi}, {i18n.Swedish, tt.sv}, {i18n.English, tt.en}} {
			if got := l.lang.Explain(tt.err); got != l.want {
				t.Errorf("%s in %s:\n got %s\nwant %s", tt.name, l.lang, got, l.want)
			}
		}
		want := tt.englishUnmoved
		if want == "" {
			want = tt.en
		}
		if tt.err.Error() != want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, tt.err, want)
		}
	}
	// The kinds are distinct: a taken name is not invalid data.
	if errors.Is(refused(ErrExists, "auth.taken.name", "x"), ErrInvalid) {
		t.Error("ErrExists matches ErrInvalid")
	}
}
