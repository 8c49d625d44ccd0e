// Package i18n holds the user-interface texts in Finnish, Swedish and
// English and formats numbers and dates the Finnish way (1 234,5; 23.11.2026).
package i18n

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Helsinki must load on any host
)

// Lang is a user-interface language.
type Lang string

// The supported languages; Finnish is the default.
const (
	Finnish Lang = "fi"
	Swedish Lang = "sv"
	English Lang = "en"
)

// Langs lists the supported languages in menu order.
var Langs = []Lang{Finnish, Swedish, English}

// Parse returns the language for code, and false if it is not supported.
func Parse(code string) (Lang, bool) {
	for _, l := range Langs {
		if string(l) == code {
			return l, true
		}
	}
	return Finnish, false
}

// Name is the language's name in itself.
func (l Lang) Name() string {
	switch l {
	case Swedish:
		return "Svenska"
	case English:
		return "English"
	}
	return "Suomi"
}

// T returns the text for key in l; a missing key returns the key itself so
// that a gap is visible rather than blank.
func (l Lang) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	switch l {
	case Swedish:
		return m.sv
	case English:
		return m.en
	}
	return m.fi
}

// Pick returns fi, sv or en according to l.
func (l Lang) Pick(fi, sv, en string) string {
	switch l {
	case Swedish:
		return sv
	case English:
		return en
	}
	return fi
}

type text struct{ fi, sv, en string }

var messages = map[string]text{
	"nav.dashboards":  {"Koontinäytöt", "Översiktsvyer", "Dashboards"},
	"nav.breadcrumbs": {"Organisaatiopolku", "Organisationsstig", "Organisation path"},
	"nav.skip":        {"Siirry sisältöön", "Hoppa till innehållet", "Skip to content"},
	"filter.title":    {"Rajaukset", "Avgränsningar", "Filters"},
	"filter.from":     {"Alkaen", "Från", "From"},
	"filter.to":       {"Päättyen", "Till", "To"},
	"filter.unit":     {"Yksikkö", "Enhet", "Unit"},
	"filter.channel":  {"Kanavat", "Kanaler", "Channels"},
	"filter.apply":    {"Näytä", "Visa", "Show"},
	"filter.reset":    {"Tyhjennä rajaukset", "Rensa avgränsningar", "Clear filters"},
	"filter.active":   {"Voimassa olevat rajaukset", "Aktiva avgränsningar", "Active filters"},
	"filter.remove":   {"Poista rajaus", "Ta bort avgränsningen", "Remove filter"},
	"filter.language": {"Kieli", "Språk", "Language"},
	"panel.pdf":       {"Lataa PDF", "Ladda ner PDF", "Download PDF"},
	"pdf.missing": {"PDF-tiedoston tekemiseen palvelin tarvitsee Chromium-selaimen, eikä sitä ole asennettu. Ylläpito voi asentaa sen (apt-get install chromium). Sillä välin voit tulostaa sivun selaimesta PDF-tiedostoksi: sivulla on tulostusasettelu A4-paperille.",
		"Servern behöver webbläsaren Chromium för att skapa PDF-filer, och den är inte installerad. Administratören kan installera den (apt-get install chromium). Under tiden kan du skriva ut sidan som PDF från webbläsaren: sidan har en utskriftslayout för A4.",
		"The server needs the Chromium browser to make PDF files, and it is not installed. An administrator can install it (apt-get install chromium). Meanwhile you can print the page to PDF from your browser: the page has a print layout for A4."},
	"pdf.busy":          {"PDF-tulostus on juuri nyt varattu. Yritä hetken päästä uudelleen.", "PDF-utskriften är upptagen just nu. Försök igen om en stund.", "PDF printing is busy right now. Try again in a moment."},
	"panel.csv":         {"Lataa tiedot (CSV)", "Ladda ner data (CSV)", "Download data (CSV)"},
	"panel.xlsx":        {"Lataa tiedot (XLSX)", "Ladda ner data (XLSX)", "Download data (XLSX)"},
	"panel.table":       {"Näytä taulukkona", "Visa som tabell", "Show as table"},
	"panel.empty":       {"Ei tietoja valitulla rajauksella.", "Inga uppgifter med valda avgränsningar.", "No data for the selected filters."},
	"panel.nochannel":   {"Kanavarajaus ei koske tätä kuvaajaa.", "Kanalavgränsningen gäller inte detta diagram.", "The channel filter does not apply to this chart."},
	"panel.saveimage":   {"Tallenna kuvana", "Spara som bild", "Save as image"},
	"panel.target":      {"Tavoite", "Mål", "Target"},
	"target.good":       {"Tavoitteessa", "Inom målet", "On target"},
	"target.warn":       {"Lähellä tavoitetta", "Nära målet", "Near target"},
	"target.bad":        {"Ei tavoitteessa", "Utanför målet", "Off target"},
	"period.presets":    {"Valmiit ajanjaksot", "Färdiga perioder", "Common periods"},
	"period.12m":        {"12 kk", "12 mån", "12 months"},
	"period.ytd":        {"Kuluva vuosi", "Innevarande år", "This year"},
	"period.lastyear":   {"Edellinen vuosi", "Föregående år", "Last year"},
	"period.lastmonth":  {"Edellinen kuukausi", "Föregående månad", "Last month"},
	"period.summary":    {"Ajanjakso", "Period", "Period"},
	"error.badrequest":  {"Virheellinen pyyntö", "Felaktig begäran", "Bad request"},
	"error.notfound":    {"Sivua ei löydy", "Sidan hittades inte", "Page not found"},
	"error.unavailable": {"Tiedot eivät ole juuri nyt saatavilla", "Uppgifterna är inte tillgängliga just nu", "Data is not available right now"},
	"error.unavailable.hint": {
		"Tietokantaan ei saada yhteyttä. Sivu toimii taas, kun yhteys palaa; yritä hetken päästä uudelleen.",
		"Databasen kan inte nås. Sidan fungerar igen när förbindelsen är tillbaka; försök på nytt om en stund.",
		"The database cannot be reached. The page works again once it is back; try again in a moment.",
	},
	"error.nodata": {
		"Tietokannassa ei ole vielä organisaatiota eikä aineistoa. Ylläpitäjä voi ladata esimerkkiaineiston (luukku demo) tai tuoda omat tiedot.",
		"Databasen har ännu ingen organisation eller data. Administratören kan läsa in exempeldata (luukku demo) eller importera egna uppgifter.",
		"The database has no organisation or data yet. An administrator can load the demo data (luukku demo) or import the city's own.",
	},
	"error.internal":  {"Palvelussa tapahtui virhe", "Ett fel inträffade i tjänsten", "Something went wrong"},
	"error.forbidden": {"Ei käyttöoikeutta", "Ingen behörighet", "Access denied"},
	"error.forbidden.unit": {
		"Sinulla ei ole oikeutta tämän yksikön tietoihin: ",
		"Du har inte behörighet till den här enhetens uppgifter: ",
		"You have no access to this unit's data: "},
	"error.forbidden.none": {
		"Käyttäjätunnuksellesi ei ole annettu yhtään yksikköä. Pyydä ylläpitoa lisäämään ne.",
		"Ditt konto har inte tilldelats några enheter. Be administratören lägga till dem.",
		"Your account has no units assigned. Ask an administrator to add them."},
	"error.unauthorized": {"Kirjaudu sisään", "Logga in", "Please sign in"},
	"login.title":        {"Kirjaudu sisään", "Logga in", "Sign in"},
	"login.username":     {"Käyttäjätunnus", "Användarnamn", "Username"},
	"login.password":     {"Salasana", "Lösenord", "Password"},
	"login.submit":       {"Kirjaudu", "Logga in", "Sign in"},
	"login.failed":       {"Väärä käyttäjätunnus tai salasana.", "Fel användarnamn eller lösenord.", "Wrong username or password."},
	"login.wait": {
		"Liian monta epäonnistunutta yritystä. Yritä uudelleen %d minuutin kuluttua.",
		"För många misslyckade försök. Försök igen om %d minuter.",
		"Too many failed attempts. Try again in %d minutes."},
	"admin.users":         {"Käyttäjät", "Användare", "Users"},
	"admin.audit":         {"Tapahtumaloki", "Händelselogg", "Audit log"},
	"admin.add":           {"Lisää käyttäjä", "Lägg till användare", "Add a user"},
	"admin.add.submit":    {"Lisää", "Lägg till", "Add"},
	"admin.name":          {"Nimi", "Namn", "Name"},
	"admin.role":          {"Rooli", "Roll", "Role"},
	"admin.units":         {"Yksiköt", "Enheter", "Units"},
	"admin.disabled":      {"Estetty", "Spärrad", "Disabled"},
	"admin.save":          {"Tallenna", "Spara", "Save"},
	"admin.reset":         {"Uusi salasana", "Nytt lösenord", "New password"},
	"admin.password.once": {"Salasana näytetään vain tämän kerran:", "Lösenordet visas bara den här gången:", "The password is shown this once only:"},
	"admin.created":       {"Käyttäjä %s lisätty.", "Användaren %s har lagts till.", "User %s added."},
	"admin.saved":         {"Käyttäjän %s tiedot tallennettu.", "Användaren %s har sparats.", "User %s saved."},
	"admin.password.set":  {"Käyttäjälle %s annettu uusi salasana; hänen istuntonsa päättyivät.", "Användaren %s har fått ett nytt lösenord; hans eller hennes sessioner avslutades.", "User %s has a new password; their sessions have ended."},
	"admin.self":          {"Et voi poistaa omaa ylläpito-oikeuttasi etkä estää omaa tunnustasi.", "Du kan inte ta bort din egen administratörsroll eller spärra ditt eget konto.", "You cannot remove your own admin role or disable your own account."},
	"role.admin":          {"Ylläpitäjä", "Administratör", "Administrator"},
	"role.executive":      {"Johto (kaikki yksiköt)", "Ledning (alla enheter)", "Executive (all units)"},
	"role.unit_head":      {"Yksikön johtaja", "Enhetschef", "Unit head"},
	"role.viewer":         {"Katselija", "Läsare", "Viewer"},
	"role.display":        {"Näyttö", "Skärm", "Display"},
	"audit.at":            {"Aika", "Tid", "Time"},
	"audit.action":        {"Tapahtuma", "Händelse", "Action"},
	"audit.target":        {"Kohde", "Objekt", "Target"},
	"audit.detail":        {"Tiedot", "Detaljer", "Detail"},
	"audit.address":       {"Osoite", "Adress", "Address"},
	"audit.all":           {"Kaikki", "Alla", "All"},
	"audit.download":      {"Lataa CSV", "Ladda ner CSV", "Download CSV"},
	"audit.truncated":     {"Näytetään uusimmat 500 tapahtumaa; lataa loput CSV-tiedostona.", "De senaste 500 händelserna visas; ladda ner resten som CSV.", "The newest 500 events are shown; download the rest as CSV."},
	"login.sso":           {"Kirjaudu organisaation tunnuksella", "Logga in med organisationens konto", "Sign in with your organisation's account"},
	"login.sso.failed":    {"Kirjautuminen organisaation tunnuksella epäonnistui.", "Inloggningen med organisationens konto misslyckades.", "Signing in with your organisation's account failed."},
	"login.sso.expired":   {"Kirjautuminen vanheni tai keskeytyi. Yritä uudelleen.", "Inloggningen gick ut eller avbröts. Försök igen.", "The sign-in expired or was interrupted. Please try again."},
	"login.sso.norole": {
		"Tunnuksellesi ei ole annettu käyttöoikeutta Luukkuun. Pyydä sitä ylläpidolta.",
		"Ditt konto har ingen behörighet till Luukku. Be administratören om den.",
		"Your account has no access to Luukku. Ask an administrator for it."},
	"login.sso.unavailable": {"Kirjautumispalvelu ei vastaa juuri nyt.", "Inloggningstjänsten svarar inte just nu.", "The sign-in service does not answer right now."},
	"admin.actions":         {"Kehittämistoimenpiteet", "Utvecklingsåtgärder", "Development actions"},
	"actions.new":           {"Uusi toimenpide", "Ny åtgärd", "New action"},
	"actions.edit":          {"Muokkaa toimenpidettä", "Redigera åtgärden", "Edit the action"},
	"actions.export":        {"Lataa kaikki CSV-tiedostona", "Ladda ner alla som CSV", "Download all as CSV"},
	"actions.import":        {"Tuo CSV-tiedosto (kaikki rivit tai ei mitään)", "Importera en CSV-fil (alla rader eller ingen)", "Import a CSV file (every row or none)"},
	"actions.import.submit": {"Tuo", "Importera", "Import"},
	"actions.imported":      {"Tuotu %d toimenpidettä: %d uutta, %d päivitetty.", "%d åtgärder importerade: %d nya, %d uppdaterade.", "%d actions imported: %d new, %d updated."},
	"actions.problems":      {"Tiedostoa ei tuotu, koska siinä on virheitä:", "Filen importerades inte eftersom den innehåller fel:", "The file was not imported because it has errors:"},
	"actions.problems.form": {"Toimenpidettä ei tallennettu:", "Åtgärden sparades inte:", "The action was not saved:"},
	"actions.saved":         {"Toimenpide %s tallennettu.", "Åtgärden %s har sparats.", "Action %s saved."},
	"actions.deleted":       {"Toimenpide %s poistettu.", "Åtgärden %s har tagits bort.", "Action %s deleted."},
	"actions.delete":        {"Poista", "Ta bort", "Delete"},
	"actions.code":          {"Tunnus", "Kod", "Code"},
	"actions.title":         {"Toimenpide", "Åtgärd", "Action"},
	"actions.description":   {"Kuvaus", "Beskrivning", "Description"},
	"actions.unit":          {"Yksikkö", "Enhet", "Unit"},
	"actions.themes":        {"Teemat", "Teman", "Themes"},
	"actions.owner":         {"Vastuurooli (ei henkilön nimeä)", "Ansvarig roll (inget personnamn)", "Owner role (not a person's name)"},
	"actions.decided":       {"Päätetty", "Beslutad", "Decided"},
	"actions.started":       {"Aloitettu", "Påbörjad", "Started"},
	"actions.done":          {"Valmis", "Klar", "Done"},
	"admin.import":          {"Tuonti", "Import", "Import"},
	"import.kind":           {"Aineisto", "Material", "Data"},
	"import.kind.feedback":  {"Palautteet (CSV tai XLSX)", "Respons (CSV eller XLSX)", "Feedback (CSV or XLSX)"},
	"import.kind.open311":   {"Open311-palvelupyynnöt (requests.json)", "Open311-serviceförfrågningar (requests.json)", "Open311 service requests (requests.json)"},
	"import.kind.contacts":  {"Yhteydenottomäärät päivittäin (päivä, yksikkö, kanava, yhteydenotot)", "Kontakter per dag (dag, enhet, kanal, kontakter)", "Daily contacts (day, unit, channel, contacts)"},
	"import.kind.finance":   {"Talous kuukausittain (kuukausi, yksikkö, tililuokka, talousarvio, toteuma)", "Ekonomi per månad (månad, enhet, kontogrupp, budget, utfall)", "Monthly finance (month, unit, account_group, budget, actual)"},
	"import.kind.hr":        {"Henkilöstö kuukausittain (kuukausi, yksikkö, henkilöstö, htv, sairauspoissaolopäivät, ylityötunnit, lähteneet)", "Personal per månad", "Monthly HR (month, unit, headcount, fte, sick_leave_days, overtime_hours, leavers)"},
	"import.kind.survey":    {"Asiakaskyselyn vastaukset (vastaus, kysymys, päivä, yksikkö, kanava, arvosana 0–10, kommentti)", "Svar på kundenkäten (svar, fråga, dag, enhet, kanal, betyg 0–10, kommentar)", "Customer survey answers (response_id, question, day, unit, channel, score 0–10, comment)"},
	"import.progress":       {"Tuonnin eteneminen", "Importens förlopp", "Import progress"},
	"import.failed":         {"Yhteys katkesi; mitään ei tuotu. Yritä uudelleen.", "Anslutningen bröts; inget importerades. Försök igen.", "The connection broke; nothing was imported. Please try again."},
	"import.profile":        {"Lähdejärjestelmän profiili", "Källsystemets profil", "Source system profile"},
	"import.dryrun":         {"Vain tarkistus, ei tallenneta", "Kontrollera bara, spara inte", "Check only, write nothing"},
	"import.skip":           {"Tuo kelvolliset rivit ja ohita virheelliset", "Importera giltiga rader och hoppa över felaktiga", "Import the valid rows and skip the invalid ones"},
	"import.file":           {"Tiedosto", "Fil", "File"},
	"import.submit":         {"Tuo", "Importera", "Import"},
	"import.problems":       {"Virheelliset rivit:", "Felaktiga rader:", "Invalid rows:"},
	"import.done":           {"%s: %d riviä: %d uutta, %d päivitetty, %d ennallaan, %d hylätty.", "%s: %d rader: %d nya, %d uppdaterade, %d oförändrade, %d avvisade.", "%s: %d rows: %d new, %d updated, %d unchanged, %d rejected."},
	"import.checked":        {"%s: %d riviä tarkistettu, %d kelvollista, %d virheellistä. Mitään ei tallennettu.", "%s: %d rader kontrollerade, %d giltiga, %d felaktiga. Inget sparades.", "%s: %d rows checked, %d valid, %d invalid. Nothing was written."},
	"import.invalid":        {"%s: tiedostossa on virheellisiä rivejä, joten mitään ei tuotu.", "%s: filen har felaktiga rader, så inget importerades.", "%s: the file has invalid rows, so nothing was imported."},
	"import.help": {
		"Tiedosto tuodaan kokonaan tai ei lainkaan. Henkilötunnukset, puhelinnumerot, sähköpostiosoitteet, tilinumerot ja rekisterinumerot poistetaan tekstistä ennen tallennusta. Saman tiedoston tuominen uudelleen ei muuta mitään.",
		"Filen importeras helt eller inte alls. Personbeteckningar, telefonnummer, e-postadresser, kontonummer och registreringsnummer tas bort ur texten innan den sparas. Att importera samma fil igen ändrar ingenting.",
		"A file is imported whole or not at all. Personal identity codes, phone numbers, e-mail addresses, account numbers and plates are removed from the text before it is stored. Importing the same file again changes nothing."},
	"account.logout":        {"Kirjaudu ulos", "Logga ut", "Sign out"},
	"account.admin":         {"Ylläpito", "Administration", "Administration"},
	"error.back":            {"Takaisin etusivulle", "Tillbaka till startsidan", "Back to the front page"},
	"column.month":          {"Kuukausi", "Månad", "Month"},
	"column.channel":        {"Kanava", "Kanal", "Channel"},
	"column.unit":           {"Yksikkö", "Enhet", "Unit"},
	"column.theme":          {"Teema", "Tema", "Theme"},
	"column.feedback":       {"Palautteet", "Responser", "Feedback"},
	"items.title":           {"Palautteet", "Responser", "Feedback"},
	"items.count":           {"palautetta", "responser", "items"},
	"items.open":            {"Näytä palautteet", "Visa responserna", "Show the feedback"},
	"items.back":            {"Takaisin koontinäyttöön", "Tillbaka till översiktsvyn", "Back to the dashboard"},
	"items.newest":          {"Uusimmat ensin", "Nyaste först", "Newest first"},
	"items.oldest":          {"Vanhimmat ensin", "Äldsta först", "Oldest first"},
	"items.prev":            {"Edelliset", "Föregående", "Previous"},
	"items.next":            {"Seuraavat", "Nästa", "Next"},
	"items.page":            {"Sivu", "Sida", "Page"},
	"items.scrubbed":        {"Tekstit on puhdistettu henkilötiedoista.", "Texterna är rensade från personuppgifter.", "Texts have been cleaned of personal data."},
	"items.theme":           {"Teema", "Tema", "Theme"},
	"items.kind":            {"Laji", "Typ", "Kind"},
	"items.any":             {"Kaikki", "Alla", "All"},
	"items.download":        {"Lataa", "Ladda ner", "Download"},
	"column.received":       {"Saapunut", "Inkommen", "Received"},
	"column.kind":           {"Laji", "Typ", "Kind"},
	"column.status":         {"Tila", "Status", "Status"},
	"column.themes":         {"Teemat", "Teman", "Themes"},
	"column.first_response": {"Ensivastaus", "Första svar", "First response"},
	"column.body":           {"Palaute", "Respons", "Feedback"},
	"column.id":             {"Tunniste", "ID", "ID"},
	"column.language":       {"Kieli", "Språk", "Language"},
	"column.response_min":   {"Ensivastaus (min)", "Första svar (min)", "First response (min)"},
	"kind.praise":           {"Kiitos", "Beröm", "Praise"},
	"kind.complaint":        {"Moite", "Klagomål", "Complaint"},
	"kind.suggestion":       {"Ehdotus", "Förslag", "Suggestion"},
	"kind.question":         {"Kysymys", "Fråga", "Question"},
	"status.open":           {"Avoin", "Öppen", "Open"},
	"status.in_progress":    {"Käsittelyssä", "Under behandling", "In progress"},
	"status.closed":         {"Suljettu", "Stängd", "Closed"},
	"verdict.improved":      {"Parani", "Förbättrades", "Improved"},
	"verdict.worsened":      {"Heikkeni", "Försämrades", "Worsened"},
	"verdict.unchanged":     {"Ei muutosta (ero on satunnaisvaihtelua)", "Ingen förändring (skillnaden är slump)", "No change (the difference is noise)"},
	"verdict.pending":       {"Kesken", "Pågår", "In progress"},
	"kpi.previous":          {"ed. jakso", "föreg. period", "prev. period"},
	"kpi.lastyear":          {"vuotta aiemmin", "ett år tidigare", "a year earlier"},
	"footer.data":           {"Tietoversio", "Dataversion", "Data version"},
	"admin.screens":         {"Näytöt", "Skärmar", "Screens"},
	"screens.add":           {"Uusi näyttö", "Ny skärm", "New screen"},
	"screens.add.submit":    {"Luo näytön osoite", "Skapa skärmens adress", "Make the screen's address"},
	"screens.name":          {"Nimi", "Namn", "Name"},
	"screens.shows":         {"Näyttää", "Visar", "Shows"},
	"screens.view":          {"Rajaus (vain koontinäytölle)", "Avgränsning (endast översiktsvy)", "View (dashboards only)"},
	"screens.view.hint": {"Koontinäytön osoitteen parametrit, esim. unit=kasvatus&channel=phone. Ilman jaksoa näytetään aina viimeiset 12 kuukautta.",
		"Översiktsvyns adressparametrar, t.ex. unit=kasvatus&channel=phone. Utan period visas alltid de senaste 12 månaderna.",
		"The dashboard's URL parameters, e.g. unit=kasvatus&channel=phone. Without a period the last 12 months are always shown."},
	"screens.list":         {"Näytöt", "Skärmar", "Screens"},
	"screens.none":         {"Näyttöjä ei ole vielä.", "Det finns inga skärmar ännu.", "There are no screens yet."},
	"screens.created":      {"Luotu", "Skapad", "Made"},
	"screens.used":         {"Viimeksi käytössä", "Senast använd", "Last used"},
	"screens.state":        {"Tila", "Status", "State"},
	"screens.revoke":       {"Poista käytöstä", "Ta ur bruk", "Revoke"},
	"screens.revoked":      {"Poistettu käytöstä %s", "Tagen ur bruk %s", "Revoked %s"},
	"screens.playlists":    {"Soittolistat", "Spellistor", "Playlists"},
	"screens.playlist":     {"Soittolista", "Spellista", "Playlist"},
	"screens.dashboard":    {"Koontinäyttö", "Översiktsvy", "Dashboard"},
	"screens.slides":       {"Näkymiä", "Vyer", "Slides"},
	"screens.length":       {"Kierros", "Varv", "Round"},
	"screens.file":         {"Tiedosto", "Fil", "File"},
	"screens.edit":         {"Soittolistat ovat tiedostoja. Lisää tai muuta niitä hakemistossa", "Spellistorna är filer. Lägg till eller ändra dem i katalogen", "Playlists are files. Add or change them in the directory"},
	"screens.edit.none":    {"Soittolistat ovat tiedostoja. Käynnistä palvelin valitsimella --definitions HAKEMISTO, niin voit lisätä ja muuttaa niitä hakemiston dashboards/playlists-alihakemistossa; muutokset näkyvät näytöillä muutamassa sekunnissa.", "Spellistorna är filer. Starta servern med --definitions KATALOG för att lägga till och ändra dem i underkatalogen dashboards/playlists; ändringar syns på skärmarna inom några sekunder.", "Playlists are files. Start the server with --definitions DIR to add and change them in its dashboards/playlists subdirectory; changes reach the screens within seconds."},
	"screens.created.url":  {"Näytön osoite näytetään vain tämän kerran. Avaa se näytön selaimessa:", "Skärmens adress visas bara den här gången. Öppna den i skärmens webbläsare:", "The screen's address is shown this once only. Open it in the screen's browser:"},
	"screens.created.note": {"Näyttö %s luotu.", "Skärmen %s har skapats.", "Screen %s made."},
	"screens.revoked.note": {"Näyttö %s poistettu käytöstä; se pimenee minuutin kuluessa.", "Skärmen %s har tagits ur bruk; den släcks inom en minut.", "Screen %s revoked; it goes blank within a minute."},
	"present.stale":        {"päivitetty", "uppdaterad", "updated"},
	"present.paused":       {"Tauko", "Paus", "Paused"},
	"present.exit":         {"Lopeta esitys", "Avsluta presentationen", "Leave presenter view"},
	"present.open":         {"Esitystila", "Presentationsläge", "Presenter view"},
	"present.keys": {"Näppäimet: välilyönti pysäyttää ja jatkaa, nuolet vaihtavat näkymää, F avaa koko näytön, Enter suurentaa paneelin ja Esc palaa.",
		"Tangenter: mellanslag pausar och fortsätter, pilarna byter vy, F ger helskärm, Enter förstorar panelen och Esc går tillbaka.",
		"Keys: space pauses and resumes, arrows change the view, F goes full screen, Enter enlarges a panel and Esc steps back."},
	"present.waiting": {"Odotetaan yhteyttä tietokantaan…", "Väntar på förbindelse till databasen …", "Waiting for the database…"},
	"present.gone":    {"Tämä näyttö on poistettu käytöstä.", "Den här skärmen har tagits ur bruk.", "This screen has been switched off."},
}

const nbsp = "\u00a0"

// Number formats v with decimals places, a no-break space between
// thousands and a decimal comma: 1 234,5.
func Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	// Round half away from zero, as people do, not half to even.
	scale := math.Pow10(decimals)
	s := strconv.FormatFloat(math.Round(math.Abs(v)*scale)/scale, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(",")
		b.WriteString(frac)
	}
	return b.String()
}

var weekdays = [7]text{
	{"ma", "mån", "Mon"}, {"ti", "tis", "Tue"}, {"ke", "ons", "Wed"}, {"to", "tor", "Thu"},
	{"pe", "fre", "Fri"}, {"la", "lör", "Sat"}, {"su", "sön", "Sun"},
}

// Weekday names an ISO weekday (1 = Monday … 7 = Sunday) in short form.
func (l Lang) Weekday(iso int) string {
	if iso < 1 || iso > 7 {
		return strconv.Itoa(iso)
	}
	w := weekdays[iso-1]
	return l.Pick(w.fi, w.sv, w.en)
}

// TimeZone is the municipalities' zone: days and months begin, and times
// are shown, in it.
const TimeZone = "Europe/Helsinki"

// Helsinki returns the time zone. time/tzdata is compiled in, so it loads
// on any host and the panic cannot happen at run time.
var Helsinki = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		panic(err)
	}
	return loc
})

// Date formats a day as 23.11.2026.
func Date(t time.Time) string { return t.Format("2.1.2006") }

// DateTime formats an instant as Finnish wall-clock time: 23.11.2026 14.05.
func DateTime(t time.Time) string { return t.In(Helsinki()).Format("2.1.2006 15.04") }

// Month formats a month as 11/2026.
func Month(t time.Time) string { return t.Format("1/2006") }

// Duration formats minutes in the largest unit that reads naturally:
// 45 min, 3,5 h, 2,1 vrk.
func (l Lang) Duration(minutes float64) string {
	switch {
	case math.Abs(minutes) < 60:
		return Number(minutes, 0) + nbsp + "min"
	case math.Abs(minutes) < 48*60:
		return Number(minutes/60, 1) + nbsp + "h"
	}
	return Number(minutes/(24*60), 1) + nbsp + l.Pick("vrk", "dygn", "d")
}
