// Package scrub removes personal data from free text before it is stored:
// Finnish personal identity codes, phone numbers, e-mail addresses, IBANs
// and vehicle registration plates become tags such as [hetu] and
// [puhelin]. What it finds is replaced, never kept, logged or returned.
package scrub

import (
	"regexp"
	"strings"
)

// Tags that stand for what was removed.
const (
	TagHetu  = "[hetu]"
	TagPhone = "[puhelin]"
	TagEmail = "[sähköposti]"
	TagIBAN  = "[tilinumero]"
	TagPlate = "[rekisterinumero]"
)

var (
	// DDMMYY, a century sign (+ 1800s; - Y X W V U 1900s; A B C D E F
	// 2000s), NNN and the check character. Checked by hetuValid.
	hetuRe  = regexp.MustCompile(`(?i)\b(\d{6})([-+YXWVUABCDEF])(\d{3})([0-9A-Y])\b`)
	emailRe = regexp.MustCompile(`(?i)\b[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}\b`)
	// FI and 16 digits, printed in groups of four or run together.
	ibanRe = regexp.MustCompile(`(?i)\bFI\s?\d{2}(\s?\d{4}){3}\s?\d{2}\b`)
	// International: +358 or 00358, the trunk 0 dropped, optional (0).
	phoneIntlRe = regexp.MustCompile(`(\+|\b00)358[\s\-]?(\(0\)[\s\-]?)?\d{1,3}([\s\-]?\d){4,9}\b`)
	// National: a 0, an area or mobile code of one or two more digits,
	// maybe in parentheses, then 5–8 digits grouped by spaces or dashes.
	phoneNatRe = regexp.MustCompile(`(\(0\d{1,2}\)|\b0\d{1,3})[\s\-]?\d{2,4}([\s\-]?\d{2,4}){1,2}\b`)
	// ABC-123: two or three capitals, a dash, one to three digits. Without
	// the dash too much else looks the same (ALV 24, TV 2).
	plateRe = regexp.MustCompile(`(^|[^\pL\d])[A-ZÅÄÖ]{2,3}-\d{1,3}\b`)
)

const hetuCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY"

// hetuValid checks a henkilötunnus's date and check character, so that a
// run of digits that only looks like one is left alone.
func hetuValid(date, century, number, check string) bool {
	day := atoi(date[0:2])
	month := atoi(date[2:4])
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return false
	}
	n := atoi(date + number)
	return strings.EqualFold(string(hetuCheck[n%31]), check)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// Text returns s with every personal identifier it recognises replaced by
// a tag. The order matters: an IBAN's digits must not be read as a phone
// number, nor an e-mail address's as anything else.
func Text(s string) string {
	if strings.Contains(s, "@") {
		s = emailRe.ReplaceAllString(s, TagEmail)
	}
	// Everything else has digits in it; most feedback has none, and the
	// expressions cost most of an import's time. Each expression runs only
	// where the text has what any match of it must: digits enough, a run of
	// six, a 358, a dash. A tag that replaces a match has no digit or dash,
	// so the text read here still has all that the later ones can find.
	count, run := digits(s)
	if count == 0 {
		return s
	}
	if run >= 6 && count >= 9 {
		s = hetuRe.ReplaceAllStringFunc(s, func(m string) string {
			p := hetuRe.FindStringSubmatch(m)
			if hetuValid(p[1], p[2], p[3], p[4]) {
				return TagHetu
			}
			return m
		})
	}
	if count >= 16 && containsFI(s) {
		s = ibanRe.ReplaceAllString(s, TagIBAN)
	}
	if strings.Contains(s, "358") {
		s = phoneIntlRe.ReplaceAllString(s, TagPhone)
	}
	if count >= 7 && strings.ContainsRune(s, '0') {
		s = phoneNatRe.ReplaceAllStringFunc(s, func(m string) string {
			if isPhone(m) {
				return TagPhone
			}
			return m
		})
	}
	if strings.ContainsRune(s, '-') {
		s = plateRe.ReplaceAllString(s, "${1}"+TagPlate)
	}
	return s
}

// digits counts the ASCII digits of s and finds its longest run of them.
func digits(s string) (count, run int) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			count++
			n++
			run = max(run, n)
		} else {
			n = 0
		}
	}
	return count, run
}

// containsFI tells whether s has FI in any case, as an IBAN begins.
func containsFI(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == 'F' || s[i] == 'f') && (s[i+1] == 'I' || s[i+1] == 'i') {
			return true
		}
	}
	return false
}

// isPhone tells a national phone number from other numbers that begin
// with 0: a postal code (00970) has five digits, a number at least seven.
func isPhone(m string) bool {
	digits := 0
	for _, c := range m {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	return digits >= 7 && digits <= 12
}
