package i18n

import (
	"errors"
	"fmt"
)

// Message is a text to be said in the reader's language: a key to the
// reasons below and the arguments of its format. An argument that is
// itself a Message is said in the same language; any other is inserted as
// it is (a unit code, a value from a file, a library's English detail).
type Message struct {
	Key  string
	Args []any
}

// Msg returns the message key with args.
func Msg(key string, args ...any) Message { return Message{Key: key, Args: args} }

// Verbatim is a message that is the same in every language: a text that
// has no translation, such as an error of a library.
func Verbatim(s string) Message { return Message{Args: []any{s}} }

// In says the message in l. A key without texts is shown as it is, with
// its arguments, so that a gap is visible rather than blank.
func (m Message) In(l Lang) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(Message); ok {
			a = inner.In(l)
		}
		args[i] = a
	}
	if m.Key == "" {
		return fmt.Sprint(args...)
	}
	f, ok := reasons[m.Key]
	if !ok {
		return m.Key + fmt.Sprint(args)
	}
	return fmt.Sprintf(l.Pick(f.fi, f.sv, f.en), args...)
}

// String is the message in English, as logs and the command line say it.
func (m Message) String() string { return m.In(English) }

// Reason says the message key with args in l.
func (l Lang) Reason(key string, args ...any) string { return Msg(key, args...).In(l) }

// Error is an error that can say itself in every language. Error() is the
// English text, for logs and the command line; Err, when set, is what it
// wraps, for errors.Is and errors.As (a sentinel, or the cause).
type Error struct {
	Msg Message
	Err error
}

func (e *Error) Error() string { return e.Msg.String() }

// Message is what the error says.
func (e *Error) Message() Message { return e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// MessageOf returns the message of the first error in err's chain that
// has one (an *Error, or any error with a Message method).
func MessageOf(err error) (Message, bool) {
	var m interface{ Message() Message }
	if errors.As(err, &m) {
		return m.Message(), true
	}
	return Message{}, false
}

// Explain says err in l when it carries a message, else gives its text.
func (l Lang) Explain(err error) string {
	if m, ok := MessageOf(err); ok {
		return m.In(l)
	}
	return err.Error()
}

// formats are a reason's format strings in Finnish, Swedish and English,
// for fmt.Sprintf; each has the same verbs for the same arguments (an
// explicit index such as %[2]s may reorder them).
type formats struct{ fi, sv, en string }

// reasons are what the accounts and the importer refuse, and why. The
// English texts are those of the errors' Error methods.
var reasons = map[string]formats{
	// Accounts and screens (internal/auth).
	"auth.invalid": {"virheelliset käyttäjätunnuksen tiedot", "ogiltiga kontouppgifter", "invalid account data"},
	"auth.username": {
		"käyttäjätunnus %q ei kelpaa: käytä 1–100 merkkiä a–z, 0–9, '.', '_', '@' tai '-' ja aloita kirjaimella tai numerolla",
		"användarnamnet %q duger inte: använd 1–100 tecken a–z, 0–9, '.', '_', '@' eller '-' och börja med en bokstav eller siffra",
		"username %q: use 1–100 characters a–z, 0–9, '.', '_', '@' or '-', beginning with a letter or digit"},
	"auth.role": {
		"tuntematon rooli %q (roolit: admin, executive, unit_head, viewer, display)",
		"okänd roll %q (roller: admin, executive, unit_head, viewer, display)",
		"unknown role %q (roles: admin, executive, unit_head, viewer, display)"},
	"auth.password":    {"salasanassa on oltava vähintään %d merkkiä", "lösenordet måste ha minst %d tecken", "the password must have at least %d characters"},
	"auth.taken":       {"käyttäjätunnus on jo käytössä", "användarnamnet är redan upptaget", "username is taken"},
	"auth.taken.name":  {"käyttäjätunnus %s on jo käytössä", "användarnamnet %s är redan upptaget", "username is taken: %s"},
	"auth.nouser":      {"käyttäjää ei ole", "användaren finns inte", "no such user"},
	"auth.nouser.name": {"käyttäjää %s ei ole", "användaren %s finns inte", "no such user: %s"},
	"auth.nounit":      {"tuntematon yksikkö", "okänd enhet", "unknown unit"},
	"auth.nounit.one":  {"organisaatiossa ei ole yksikköä %s", "organisationen har ingen enhet %s", "unknown unit: %s"},
	"auth.nounit.many": {"organisaatiossa ei ole yksiköitä %s", "organisationen har inga enheter %s", "unknown unit: %s"},
	"auth.nodisplay": {
		"näyttöä ei ole, tai se on jo poistettu käytöstä",
		"skärmen finns inte, eller den har redan tagits ur bruk",
		"no such display token"},
	"auth.screen.name":   {"anna näytölle nimi (1–100 merkkiä)", "ge skärmen ett namn (1–100 tecken)", "name the screen (1–100 characters)"},
	"auth.screen.target": {"valitse soittolista tai koontinäyttö", "välj en spellista eller en översiktsvy", "choose a playlist or a dashboard"},
	"auth.screen.units":  {"valitse yksiköt, joiden tietoja näyttö näyttää", "välj de enheter vars uppgifter skärmen visar", "choose the units the screen shows"},
	"auth.screen.taken": {
		"näyttö nimeltä %q on jo olemassa: poista se ensin käytöstä tai valitse toinen nimi",
		"det finns redan en skärm med namnet %q: ta den ur bruk först eller välj ett annat namn",
		"a screen named %q exists: revoke it first, or choose another name"},

	// Where in a file a problem is (internal/ingest).
	"ingest.row":  {"rivi %d: %s", "rad %d: %s", "row %d: %s"},
	"ingest.cell": {"rivi %d, sarake %s: %s", "rad %d, kolumn %s: %s", "row %d, column %s: %s"},
	"ingest.more": {"… ja %d muuta virhettä", "… och %d fel till", "… and %d more problems"},

	// The file as a whole.
	"ingest.kind":         {"tuntematon aineisto %q", "okänt material %q", "unknown kind %q"},
	"ingest.kind.profile": {"%s tarvitsee profiilin", "%s kräver en profil", "%s needs a profile"},
	"ingest.profile.kind": {"profiili %s ei sovi aineistolle %s", "profilen %s passar inte för %s", "profile %s is not for %s"},
	"ingest.profile":      {"tuntematon profiili %q", "okänd profil %q", "unknown profile %q"},
	"ingest.profile.channel": {
		"profiili %s: kanavaa %q ei ole", "profil %s: kanalen %q finns inte", "profile %s: channel %q does not exist"},
	"ingest.profile.unit": {
		"profiili %s: yksikköä %q ei ole", "profil %s: enheten %q finns inte", "profile %s: unit %q does not exist"},
	"ingest.org.empty": {
		"organisaatiopuu on tyhjä: tuo se ennen palautteita",
		"organisationsträdet är tomt: läs in det före responsen",
		"the organisation tree is empty: load it before feedback"},
	"ingest.json.profile": {
		"%s: JSON-tiedosto tarvitsee Open311-profiilin (format: open311)",
		"%s: en JSON-fil kräver en Open311-profil (format: open311)",
		"%s: a JSON file needs an Open311 profile (format: open311)"},
	"ingest.empty":       {"tiedosto on tyhjä tai siitä puuttuu otsikkorivi", "filen är tom eller saknar rubrikrad", "the file is empty or has no header line"},
	"ingest.header":      {"otsikkoriviä ei voi lukea: %s", "rubrikraden kan inte läsas: %s", "cannot read the header: %s"},
	"ingest.xlsx":        {"tiedosto ei ole XLSX-työkirja: %s", "filen är inte en XLSX-arbetsbok: %s", "not an XLSX workbook: %s"},
	"ingest.sheet":       {"taulukko %q: %s", "bladet %q: %s", "sheet %q: %s"},
	"ingest.sheet.empty": {"taulukko on tyhjä", "bladet är tomt", "the sheet is empty"},
	"ingest.open311": {
		"tiedosto ei ole Open311-rajapinnan requests.json: sen on oltava palvelupyyntöjen JSON-taulukko",
		"filen är inte en requests.json från Open311: den måste vara en JSON-array av serviceförfrågningar",
		"not an Open311 requests.json: it must be a JSON array of service requests"},
	"ingest.json": {"palvelupyyntö %d: ei kelvollista JSONia: %s", "serviceförfrågan %d: ogiltig JSON: %s", "request %d: not valid JSON: %s"},
	"ingest.columns.profile": {
		"tiedostosta puuttuu sarakkeita, jotka profiili %[2]s nimeää: %[1]q (tiedoston sarakkeet: %[3]q)",
		"filen saknar kolumner som profilen %[2]s anger: %[1]q (filens kolumner: %[3]q)",
		"the file has no column %q that profile %s names (the file has: %q)"},
	"ingest.noheader.profile": {
		"ensimmäinen rivi ei ole otsikkorivi, jolla on profiilin %s sarakkeet (odotettiin: %q)",
		"första raden är ingen rubrikrad med profilen %s kolumner (förväntade: %q)",
		"the first line is not a header with the columns of profile %s (expected: %q)"},
	"ingest.noheader": {
		"ensimmäinen rivi ei ole otsikkorivi (odotettiin sarakkeita: %s)",
		"första raden är ingen rubrikrad (förväntade kolumner: %s)",
		"the first line is not a header (expected the columns %s)"},
	"ingest.columns": {
		"tiedostosta puuttuu sarakkeita: %s (tiedoston sarakkeet: %q)",
		"filen saknar kolumner: %s (filens kolumner: %q)",
		"the file lacks the columns %s (it has %q)"},
	"ingest.toolarge": {
		"tiedosto on suurempi kuin %d Mt; tuo se palvelimella komennolla luukku import",
		"filen är större än %d MB; importera den på servern med kommandot luukku import",
		"the file is larger than %d MB; import it on the server with luukku import"},

	// A row.
	"ingest.csv":       {"ei kelvollista CSV:tä: %s", "ogiltig CSV: %s", "not valid CSV: %s"},
	"ingest.fields":    {"kenttiä %d, otsikkorivillä %d", "%d fält, rubrikraden har %d", "%d fields, the header has %d"},
	"ingest.utf8":      {"teksti ei ole UTF-8-muodossa", "texten är inte i UTF-8", "not UTF-8 text"},
	"ingest.xlsx.row":  {"riviä ei voi lukea: %s", "raden kan inte läsas: %s", "cannot read the row: %s"},
	"ingest.request":   {"ei ole palvelupyyntö: %s", "är ingen serviceförfrågan: %s", "not a service request: %s"},
	"ingest.duplicate": {"%s %q on myös rivillä %d", "%s %q finns också på rad %d", "%s %q is also on row %d"},

	// A feedback row.
	"ingest.id.empty": {"tunniste puuttuu", "id saknas", "the id is empty"},
	"ingest.id.long":  {"tunniste on yli 200 merkkiä pitkä", "id:t är längre än 200 tecken", "the id is longer than 200 characters"},
	"ingest.channel.none": {
		"kanava puuttuu, eikä profiilissa ole oletuskanavaa",
		"kanal saknas, och profilen anger ingen standardkanal",
		"channel is empty and the profile gives no default"},
	"ingest.unit.none": {
		"yksikkö puuttuu, eikä profiilissa ole oletusyksikköä",
		"enhet saknas, och profilen anger ingen standardenhet",
		"unit is empty and the profile gives no default"},
	"ingest.channel.alias": {
		"tuntematon kanava %q: lisää se profiilin kanaviin (channels)",
		"okänd kanal %q: lägg till den bland profilens kanaler (channels)",
		"unknown channel %q: add it to the profile's channels"},
	"ingest.unit.alias": {
		"tuntematon yksikkö %q: lisää se profiilin yksiköihin (units)",
		"okänd enhet %q: lägg till den bland profilens enheter (units)",
		"unknown unit %q: add it to the profile's units"},
	"ingest.noneof":     {"%q ei ole mikään näistä: %s", "%q är inget av följande: %s", "%q is none of %s"},
	"ingest.time.empty": {"aika puuttuu", "tidpunkt saknas", "the time is empty"},
	"ingest.time.range": {"%q ei ole vuosien 1990–2100 välillä", "%q ligger utanför åren 1990–2100", "%q is outside 1990–2100"},
	"ingest.time": {
		"%q ei ole aika (23.11.2026 14.05 tai 2026-11-23T14:05:00+02:00)",
		"%q är ingen tidpunkt (23.11.2026 14.05 eller 2026-11-23T14:05:00+02:00)",
		"%q is not a time (23.11.2026 14:05 or 2026-11-23T14:05:00+02:00)"},
	"ingest.first.early": {
		"ensivastaus on ennen palautteen saapumista",
		"det första svaret gavs innan responsen kom in",
		"the first response is before the feedback was received"},
	"ingest.resolved.early": {
		"ratkaistu ennen palautteen saapumista",
		"löst innan responsen kom in",
		"resolved before the feedback was received"},
	"ingest.coords":         {"koordinaatit eivät ole lukuja", "koordinaterna är inte tal", "the coordinates are not numbers"},
	"ingest.coords.finland": {"%.4f, %.4f on Suomen ulkopuolella", "%.4f, %.4f ligger utanför Finland", "%.4f, %.4f lies outside Finland"},

	// A row of a fixed-format table.
	"ingest.value.empty":     {"arvo puuttuu", "värde saknas", "empty"},
	"ingest.value.long":      {"arvo on yli 200 merkkiä pitkä", "värdet är längre än 200 tecken", "longer than 200 characters"},
	"ingest.unit.unknown":    {"tuntematon yksikkö %q", "okänd enhet %q", "unknown unit %q"},
	"ingest.channel.unknown": {"tuntematon kanava %q", "okänd kanal %q", "unknown channel %q"},
	"ingest.group.unknown":   {"tuntematon tililuokka %q", "okänd kontogrupp %q", "unknown account group %q"},
	"ingest.negative":        {"%s on negatiivinen", "%s är negativt", "%s is negative"},
	"ingest.score":           {"%s ei ole kokonaisluku 0–10", "%s är inget heltal från 0 till 10", "%s is not a whole score from 0 to 10"},
	"ingest.whole":           {"%s ei ole kokonaisluku", "%s är inget heltal", "%s is not a whole number"},
	"ingest.number":          {"%q ei ole luku", "%q är inget tal", "%q is not a number"},
	"ingest.month":           {"%q ei ole kuukausi (2026-03 tai 3/2026)", "%q är ingen månad (2026-03 eller 3/2026)", "%q is not a month (2026-03 or 3/2026)"},
	"ingest.month.first":     {"%q ei ole kuukauden ensimmäinen päivä", "%q är inte den första dagen i en månad", "%q is not the first day of a month"},
}
