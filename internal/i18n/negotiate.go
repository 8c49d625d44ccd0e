package i18n

import "golang.org/x/text/language"

// supported is Langs as language tags, in the same order.
var supported = language.NewMatcher([]language.Tag{language.Finnish, language.Swedish, language.English})

// Negotiate picks the language an Accept-Language header asks for, and
// false when it asks for none that Luukku speaks (or cannot be read).
// Regional variants count: sv-FI is Swedish, en-GB English.
func Negotiate(acceptLanguage string) (Lang, bool) {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Finnish, false
	}
	_, i, confidence := supported.Match(tags...)
	if confidence == language.No {
		return Finnish, false
	}
	return Langs[i], true
}
