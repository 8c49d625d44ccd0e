// Package language tells whether a piece of feedback is in Finnish,
// Swedish or English, by the common short words each language cannot do
// without and by letters only one of them uses.
package language

import (
	"strings"
	"unicode"
)

// The languages Detect returns.
const (
	Finnish = "fi"
	Swedish = "sv"
	English = "en"
	Other   = "other"
)

// Words so frequent that a few sentences always have some, and rare in the
// other two languages.
var stopwords = map[string][]string{
	Finnish: {"ja", "on", "ei", "se", "että", "oli", "kun", "mutta", "myös", "tai", "ole", "voisi", "kiitos", "hyvä",
		"miksi", "missä", "koska", "nyt", "jo", "vielä", "tämä", "tässä", "kuin", "niin", "sekä", "olisi", "ovat", "mitä",
		"pitäisi", "vaan", "jos", "minä", "meidän", "teidän", "kaikki", "aina", "kanssa", "ihan", "todella", "paljon",
		"miten", "mistä", "mihin", "milloin", "kuka", "voin", "saa", "saan", "lisää", "en", "olivat"},
	Swedish: {"och", "är", "det", "att", "inte", "som", "en", "ett", "jag", "på", "med", "för", "har", "av", "till",
		"om", "var", "den", "men", "kan", "vi", "ni", "tack", "också", "när", "varför", "finns", "skulle", "bra",
		"mycket", "alltid", "från", "eller", "här", "vår", "min", "vem", "borde", "mer", "hela", "alls"},
	English: {"the", "and", "is", "it", "to", "of", "in", "not", "that", "was", "for", "with", "you", "this", "are",
		"be", "have", "there", "why", "please", "thanks", "thank", "would", "could", "should", "very", "my", "our",
		"can", "on", "at", "from", "but", "or", "when", "where", "how", "do", "i", "what", "who", "we", "a"},
}

var finnishEndings = []string{"ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nen", "isi",
	"ttä", "tta", "ään", "aan", "iin", "ssaan", "mme", "tte", "vat", "vät", "ut", "yt", "ja", "jä", "ia", "iä"}

// langs are the languages Detect scores, in the order it breaks ties.
var langs = [...]string{Finnish, Swedish, English}

// lookup gives for each stop word the languages it belongs to, one bit
// each in the order of langs.
var lookup = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, lang := range langs {
		for _, w := range stopwords[lang] {
			m[w] |= 1 << i
		}
	}
	return m
}()

// Detect returns fi, sv or en for text, or other when it cannot tell (too
// short, or another language).
func Detect(text string) string {
	var score [len(langs)]float64 // by the index of langs
	const fi, sv = 0, 1
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		for i, bits := 0, lookup[w]; bits != 0; i, bits = i+1, bits>>1 {
			if bits&1 != 0 {
				score[i]++
			}
		}
		// Letters that give a language away: å is Swedish; ä and ö are
		// Finnish or Swedish, never English; a double vowel is Finnish.
		switch {
		case strings.ContainsRune(w, 'å'):
			score[sv] += 0.5
		case strings.ContainsAny(w, "äö"):
			score[fi] += 0.3
			score[sv] += 0.15
		}
		for _, dv := range []string{"aa", "ee", "ii", "uu", "yy", "ää", "öö"} {
			if strings.Contains(w, dv) {
				score[fi] += 0.3
				break
			}
		}
		// Case endings: Finnish says with endings what the others say
		// with prepositions.
		for _, end := range finnishEndings {
			if len(w) > len(end)+2 && strings.HasSuffix(w, end) {
				score[fi] += 0.5
				break
			}
		}
	}
	best, top, second := Other, 0.0, 0.0
	for i, lang := range langs {
		switch s := score[i]; {
		case s > top:
			best, top, second = lang, s, top
		case s > second:
			second = s
		}
	}
	if top < 1 || top == second {
		return Other
	}
	return best
}
