package scrub

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Henkilötunnus: every century sign, valid checksums only.
		{"Hetuni on 131052-308T, soittakaa.", "Hetuni on [hetu], soittakaa."},
		{"lapsen tunnus 010106A9012", "lapsen tunnus [hetu]"},
		{"290199-907A ja 280291+923X", "[hetu] ja [hetu]"},
		{"uusi muoto 010594Y9032", "uusi muoto [hetu]"},
		{"uusi muoto 010594Y9022 väärä tarkiste", "uusi muoto 010594Y9022 väärä tarkiste"},
		{"tilaus 131052-308A", "tilaus 131052-308A"}, // wrong check character
		{"koodi 999999-9999", "koodi 999999-9999"},   // no such date
		// Phone numbers.
		{"Soita 040 123 4567!", "Soita [puhelin]!"},
		{"puh. +358 40 1234567", "puh. [puhelin]"},
		{"tel 00358401234567", "tel [puhelin]"},
		{"numero 0401234567", "numero [puhelin]"},
		{"vaihde (09) 310 1691", "vaihde [puhelin]"},
		{"vaihde 09-310 1691", "vaihde [puhelin]"},
		{"+358 (0)9 310 1691", "[puhelin]"},
		{"050-555 1234 iltaisin", "[puhelin] iltaisin"},
		{"palvelunumero 0800 123 456", "palvelunumero [puhelin]"},
		// Numbers that are not phone numbers.
		{"postinumero 00970 Helsinki", "postinumero 00970 Helsinki"},
		{"maksoin 120 euroa, lasku 2026", "maksoin 120 euroa, lasku 2026"},
		{"vuonna 2025 ja 2026", "vuonna 2025 ja 2026"},
		{"Kello 08.30–16.00", "Kello 08.30–16.00"},
		// E-mail, IBAN, plates.
		{"maija.meikalainen@example.fi vastaa", "[sähköposti] vastaa"},
		{"tilille FI21 1234 5600 0007 85 kiitos", "tilille [tilinumero] kiitos"},
		{"FI2112345600000785", "[tilinumero]"},
		{"auto ABC-123 pysäköi väärin", "auto [rekisterinumero] pysäköi väärin"},
		{"bil ÅÖX-12 stod fel", "bil [rekisterinumero] stod fel"},
		{"ALV 24 % ja TV 2", "ALV 24 % ja TV 2"},
		{"Wi-Fi-verkko", "Wi-Fi-verkko"},
		{"Kiitos hyvästä palvelusta!", "Kiitos hyvästä palvelusta!"},
		{"", ""},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Scrubbing never keeps a valid identity code and is idempotent.
func FuzzText(f *testing.F) {
	for _, s := range []string{"131052-308T", "040 123 4567", "a@b.fi", "FI21 1234 5600 0007 85", "ABC-123", "00970"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if again := Text(out); again != out {
			t.Errorf("not idempotent: %q → %q → %q", s, out, again)
		}
		for _, m := range hetuRe.FindAllStringSubmatch(out, -1) {
			if hetuValid(m[1], m[2], m[3], m[4]) {
				t.Errorf("a valid identity code survived in %q", out)
			}
		}
		if strings.Contains(out, "@") && emailRe.MatchString(out) {
			t.Errorf("an e-mail address survived in %q", out)
		}
	})
}
