package language

import "testing"

func TestDetect(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Katu on todella liukas eikä sitä ole hiekoitettu, kiitos jos korjaatte.", Finnish},
		{"Miksi bussi ei tullut ajoissa?", Finnish},
		{"Puiston roskikset ovat täynnä.", Finnish},
		{"Gatan är mycket hal och det finns ingen sand.", Swedish},
		{"Varför kommer inte bussen i tid?", Swedish},
		{"Tack för bra service på biblioteket!", Swedish},
		{"The street lights on our road have been out for a week.", English},
		{"Why is the library closed on Sundays? Please open it.", English},
		{"ok", Other},
		{"", Other},
		{"1234 5678", Other},
	} {
		if got := Detect(c.text); got != c.want {
			t.Errorf("Detect(%q) = %s, want %s", c.text, got, c.want)
		}
	}
}
