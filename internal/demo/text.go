package demo

import (
	"math/rand/v2"
	"strings"
)

// Feedback texts are built from templates per theme and language. Each
// template contains a stem that the theme rules of the first migration
// match, so the classifier finds the intended theme; some also match a
// second theme, as real feedback does. Place names are invented or generic
// Finnish ones, and no template contains anything personal.

type kind int

const (
	complaint kind = iota
	question
	suggestion
	praise
	numKinds
)

func (k kind) code() string {
	return [numKinds]string{"complaint", "question", "suggestion", "praise"}[k]
}

type template struct {
	theme string // "" for feedback that no rule is meant to catch
	kind  kind
	lang  string
	text  string
	// units overrides the theme's units, e.g. Swedish school feedback goes
	// to the Swedish-language school.
	units []string
}

// themeDef describes how often a theme comes up and who handles it.
type themeDef struct {
	code string
	// weight is the theme's share of feedback in an average month; season
	// multiplies it month by month (January first).
	weight float64
	season [12]float64
	// winter says that the season is scaled by how snowy the winter is.
	winter bool
	// kinds is the mix of complaint, question, suggestion and praise.
	kinds [numKinds]float64
	units []string
}

func themes() []themeDef {
	flat := [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	usual := [numKinds]float64{0.40, 0.25, 0.20, 0.15}
	return []themeDef{
		{code: "street_maintenance", weight: 0.16, winter: true,
			season: [12]float64{2.3, 2.2, 1.8, 1.4, 0.6, 0.4, 0.3, 0.4, 0.5, 0.7, 1.2, 2.0},
			kinds:  [numKinds]float64{0.58, 0.17, 0.15, 0.10}, units: []string{"katujen_kunnossapito"}},
		{code: "street_lighting", weight: 0.03,
			season: [12]float64{1.8, 1.4, 0.9, 0.6, 0.3, 0.2, 0.2, 0.5, 1.0, 1.6, 2.0, 2.0},
			kinds:  [numKinds]float64{0.55, 0.15, 0.20, 0.10}, units: []string{"kunnallistekniikka"}},
		{code: "parks", weight: 0.07,
			season: [12]float64{0.4, 0.4, 0.5, 0.9, 1.7, 1.9, 1.6, 1.6, 1.2, 0.8, 0.5, 0.5},
			kinds:  [numKinds]float64{0.35, 0.15, 0.30, 0.20}, units: []string{"puistot"}},
		{code: "public_transport", weight: 0.08,
			season: [12]float64{1.3, 1.0, 1.0, 0.9, 0.9, 0.8, 0.6, 1.4, 1.2, 1.0, 1.0, 1.0},
			kinds:  [numKinds]float64{0.48, 0.25, 0.17, 0.10}, units: []string{"joukkoliikenne"}},
		{code: "waste_cleanliness", weight: 0.06,
			season: [12]float64{0.7, 0.7, 0.8, 1.3, 1.5, 1.3, 1.3, 1.2, 1.0, 0.8, 0.7, 0.8},
			kinds:  [numKinds]float64{0.55, 0.15, 0.20, 0.10}, units: []string{"jatehuolto", "puistot", "katujen_kunnossapito"}},
		{code: "early_education", weight: 0.08,
			season: [12]float64{1.1, 1.0, 1.0, 1.0, 1.0, 0.8, 0.3, 1.6, 1.3, 1.0, 1.0, 0.9},
			kinds:  [numKinds]float64{0.30, 0.30, 0.15, 0.25},
			units: []string{"varhaiskasvatus_mantyla", "varhaiskasvatus_koivikko", "varhaiskasvatus_harjula",
				"varhaiskasvatus_satama", "daghemmet_solstralen", "perhepaivahoito"}},
		{code: "schools", weight: 0.09,
			season: [12]float64{1.1, 1.0, 1.0, 1.1, 1.2, 0.5, 0.2, 1.6, 1.6, 1.2, 1.1, 0.9},
			kinds:  [numKinds]float64{0.35, 0.30, 0.15, 0.20},
			units: []string{"keskustan_koulu", "mantylan_koulu", "harjulan_koulu", "koivikon_koulu",
				"lukio", "oppilashuolto"}},
		{code: "sports", weight: 0.06,
			season: [12]float64{1.4, 1.4, 1.2, 0.9, 0.8, 0.7, 0.6, 0.8, 1.0, 1.0, 1.0, 1.2},
			kinds:  [numKinds]float64{0.30, 0.25, 0.20, 0.25}, units: []string{"uimahalli", "liikuntapaikat"}},
		{code: "library_culture", weight: 0.06, season: flat,
			kinds: [numKinds]float64{0.18, 0.27, 0.22, 0.33},
			units: []string{"paakirjasto", "lahikirjastot", "kirjastoauto", "kulttuuripalvelut", "museo", "kansalaisopisto"}},
		{code: "permits", weight: 0.05,
			season: [12]float64{0.7, 0.8, 1.1, 1.3, 1.4, 1.3, 0.8, 1.0, 1.1, 1.0, 0.8, 0.7},
			kinds:  [numKinds]float64{0.42, 0.40, 0.10, 0.08}, units: []string{"rakennusvalvonta"}},
		{code: "customer_service", weight: 0.08, season: flat,
			kinds: [numKinds]float64{0.38, 0.12, 0.15, 0.35}, units: []string{"asiointipiste", "neuvonta", "palautepalvelu"}},
		{code: "digital_services", weight: 0.05, season: flat,
			kinds: [numKinds]float64{0.40, 0.30, 0.22, 0.08}, units: []string{"tietohallinto", "digituki", "asiointipiste"}},
		{code: "parking", weight: 0.05,
			season: [12]float64{1.3, 1.2, 1.1, 1.0, 0.9, 0.9, 0.8, 0.9, 1.0, 1.0, 1.0, 1.2},
			kinds:  [numKinds]float64{0.55, 0.30, 0.10, 0.05}, units: []string{"pysakoinninvalvonta"}},
		{code: "noise", weight: 0.03,
			season: [12]float64{0.6, 0.6, 0.7, 0.9, 1.3, 1.6, 1.8, 1.5, 1.0, 0.8, 0.7, 0.6},
			kinds:  [numKinds]float64{0.75, 0.10, 0.10, 0.05}, units: []string{"ymparistonsuojelu", "ymparistoterveys"}},
		// Feedback on everything else: employment, youth work, planning...
		// Its templates name their units.
		{code: "", weight: 0.05, season: flat, kinds: usual},
	}
}

func templates() []template {
	t := func(theme string, k kind, lang, text string, units ...string) template {
		return template{theme: theme, kind: k, lang: lang, text: text, units: units}
	}
	const (
		fi, sv, en = "fi", "sv", "en"
		sm         = "street_maintenance"
		sl         = "street_lighting"
		pa         = "parks"
		pt         = "public_transport"
		wc         = "waste_cleanliness"
		ee         = "early_education"
		sc         = "schools"
		sp         = "sports"
		lc         = "library_culture"
		pe         = "permits"
		cs         = "customer_service"
		ds         = "digital_services"
		pk         = "parking"
		no         = "noise"
	)
	return []template{
		t(sm, complaint, fi, "Jalkakäytävä {katu} on {aika} ollut todella liukas, eikä hiekoitusta ole tehty."),
		t(sm, complaint, fi, "Aura-auto kävi {alue} vasta iltapäivällä, ja tiet olivat aamulla tukossa."),
		t(sm, complaint, fi, "{katu} on iso kuoppa, johon pyörä melkein juuttui."),
		t(sm, complaint, fi, "Kadun reunaan on aurattu lumivalli, joka peittää suojatien {alue}."),
		t(sm, complaint, fi, "Hiekoitushiekat ovat yhä lakaisematta {katu}."),
		t(sm, question, fi, "Milloin {katu} on tarkoitus aurata? Lunta on kertynyt {aika}."),
		t(sm, suggestion, fi, "Jalkakäytävä {katu} kannattaisi hiekoittaa jo ennen aamuruuhkaa."),
		t(sm, praise, fi, "Kiitos nopeasta aurauksesta {alue}, tiet olivat aamulla hyvässä kunnossa."),
		t(sm, complaint, sv, "Snöplogen har inte varit {gata} {tid} och trottoaren är full av snö."),
		t(sm, complaint, sv, "Det är svår halka {gata}, någon behöver sanda."),
		t(sm, complaint, sv, "Det finns ett stort potthål {gata} som är farligt för cyklister."),
		t(sm, question, sv, "När plogas gatan {omr}? Vi har väntat länge."),
		t(sm, praise, sv, "Tack för snabb snöplogning {omr}!"),
		t(sm, complaint, en, "The pavement {street} has been icy {when} and nobody has gritted it."),

		t(sl, complaint, fi, "Katuvalot ovat olleet pimeänä {katu} {aika}."),
		t(sl, complaint, fi, "Kevyen liikenteen väylän valaistus on {alue} todella heikko."),
		t(sl, question, fi, "Kenelle voi ilmoittaa rikkinäisestä katuvalosta {katu}?"),
		t(sl, suggestion, fi, "Pyörätien valaistusta kannattaisi parantaa {alue}."),
		t(sl, praise, fi, "Uudet led-katuvalot {katu} ovat loistavat, kiitos!"),
		t(sl, complaint, sv, "Gatubelysningen {gata} har varit släckt {tid}."),
		t(sl, complaint, sv, "En gatlampa {omr} blinkar hela natten."),
		t(sl, question, sv, "Vem ansvarar för gatubelysningen vid cykelvägen {omr}?"),
		t(sl, complaint, en, "Several street lights {street} have been out {when}."),

		t(pa, complaint, fi, "{puisto} penkit ja keinut ovat olleet rikki {aika}."),
		t(pa, complaint, fi, "Leikkipaikalla {alue} on rikkinäinen liukumäki."),
		t(pa, question, fi, "Milloin {puisto} nurmikko leikataan?"),
		t(pa, suggestion, fi, "Viheralueelle {alue} toivoisin lisää penkkejä ja istutuksia."),
		t(pa, suggestion, fi, "{puisto} voisi olla koirapuisto, sellainen alueelta puuttuu."),
		t(pa, praise, fi, "{puisto} kukkaistutukset ovat upeat, kiitos puistotyöntekijöille!"),
		t(pa, complaint, sv, "Lekplatsen {omr} har trasiga gungor."),
		t(pa, suggestion, sv, "Det skulle behövas fler bänkar {park}."),
		t(pa, praise, sv, "Tack för de fina blomsterplanteringarna {park}!"),
		t(pa, question, sv, "Vem sköter gräsklippningen {park}?"),
		t(pa, praise, en, "The flowers in Keskuspuisto are beautiful this year, thank you."),
		t(pa, complaint, en, "The playground {area} has a broken swing."),

		t(pt, complaint, fi, "Bussi jäi tänä aamuna tulematta {alue}, ja myöhästyin töistä."),
		t(pt, complaint, fi, "Bussin aikataulu ei pidä ollenkaan, linja on joka aamu myöhässä."),
		t(pt, complaint, fi, "Pysäkki {katu} on ilman katosta, eikä sadetta pääse pakoon."),
		t(pt, question, fi, "Miksi iltavuorojen aikataulu muuttui {alue}?"),
		t(pt, suggestion, fi, "Toivoisin bussiyhteyttä {alue} myös viikonloppuisin."),
		t(pt, praise, fi, "Bussinkuljettaja odotti ystävällisesti, kun juoksin pysäkille."),
		t(pt, complaint, sv, "Bussen kom inte alls i morse {omr}."),
		t(pt, complaint, sv, "Hållplatsen {gata} saknar väderskydd."),
		t(pt, question, sv, "Varför har busstidtabellen ändrats {omr}?"),
		t(pt, praise, sv, "Tack för den nya busslinjen till sjukhuset!"),
		t(pt, complaint, en, "The bus {area} was late again this morning."),

		t(wc, complaint, fi, "Roska-astiat ovat täynnä {alue} ja roskat leviävät joka puolelle."),
		t(wc, complaint, fi, "Jätekatoksen ympäristö {katu} on ollut sotkuinen {aika}."),
		t(wc, complaint, fi, "Tori on siivoamatta viikonlopun jäljiltä."),
		t(wc, question, fi, "Minne voi viedä isot roskat ja vanhat huonekalut {alue}?"),
		t(wc, suggestion, fi, "{alue} tarvittaisiin lisää roska-astioita kävelyreitin varrelle."),
		t(wc, praise, fi, "Kiitos, että siivoustalkoiden säkit haettiin nopeasti {alue}."),
		t(wc, complaint, sv, "Det ligger skräp överallt {omr} {tid}."),
		t(wc, complaint, sv, "Soporna har inte hämtats {gata}."),
		t(wc, suggestion, sv, "Det behövs fler papperskorgar, det är mycket skräp vid stranden."),
		t(wc, complaint, en, "There is litter everywhere {area}."),

		t(ee, complaint, fi, "Päiväkodin henkilökunta vaihtuu jatkuvasti {alue}, lapsi ei ehdi kiintyä keneenkään."),
		t(ee, complaint, fi, "Varhaiskasvatuspaikka osoitettiin liian kaukaa kotoa."),
		t(ee, question, fi, "Milloin saan tiedon lapsen päiväkotipaikasta?"),
		t(ee, question, fi, "Miten varhaiskasvatuksen maksu lasketaan, kun tulot muuttuvat?"),
		t(ee, suggestion, fi, "Päiväkodin pihalle toivoisin lisää varjoa kesäksi."),
		t(ee, praise, fi, "Iso kiitos päiväkodin henkilökunnalle {alue}, lapsi viihtyy erinomaisesti!"),
		t(ee, complaint, sv, "Daghemmet har för lite personal.", "daghemmet_solstralen"),
		t(ee, question, sv, "När får vi besked om platsen på daghemmet?", "daghemmet_solstralen"),
		t(ee, suggestion, sv, "Daghemmet borde ha mer utevistelse.", "daghemmet_solstralen"),
		t(ee, praise, sv, "Stort tack till personalen på daghemmet, vårt barn trivs jättebra!", "daghemmet_solstralen"),
		t(ee, question, en, "How do I apply for a place in varhaiskasvatus (early childhood education)?"),

		t(sc, complaint, fi, "Koulun sisäilma on huono {alue}, oppilaat oireilevat."),
		t(sc, complaint, fi, "Koulukuljetus ei tullut tänä aamuna, ja lapsi odotti pakkasessa."),
		t(sc, complaint, fi, "Kouluruoka on ollut useana päivänä kylmää, ja sitä on liian vähän.", "ateriapalvelut"),
		t(sc, question, fi, "Miten koulun valinnaisaineet valitaan ensi vuodelle?"),
		t(sc, suggestion, fi, "Koulun pihalle toivoisin lisää istumapaikkoja ja katoksen."),
		t(sc, praise, fi, "Kiitos opettajalle, joka jaksaa kannustaa jokaista oppilasta!"),
		t(sc, complaint, sv, "Skolan har brist på behöriga lärare.", "svenska_skolan"),
		t(sc, question, sv, "Hur anmäler man sitt barn till skolan?", "svenska_skolan"),
		t(sc, suggestion, sv, "Skolans gård borde förnyas.", "svenska_skolan"),
		t(sc, praise, sv, "Tack till alla lärare för en fin skolfest!", "svenska_skolan"),
		t(sc, praise, en, "Our child's opettaja (teacher) has been wonderful this year."),

		t(sp, complaint, fi, "Uimahallin pukuhuoneet ovat olleet likaiset {aika}."),
		t(sp, complaint, fi, "Hiihtolatu {alue} on ollut pohjaamatta {aika}."),
		t(sp, question, fi, "Mitkä ovat uimahallin aukioloajat pyhinä?"),
		t(sp, suggestion, fi, "Kuntosalille tarvittaisiin lisää vuoroja iltaisin."),
		t(sp, praise, fi, "Liikuntapaikat {alue} ovat hienossa kunnossa, kiitos!"),
		t(sp, complaint, sv, "Simhallen var stängd utan förvarning."),
		t(sp, question, sv, "När öppnar idrottshallen efter renoveringen?"),
		t(sp, praise, sv, "Tack för de fina skidspåren, idrottsplatsen {omr} är toppen."),
		t(sp, praise, en, "The uimahalli is clean and the staff are helpful."),

		t(lc, complaint, fi, "Kirjaston aukioloaikoja on lyhennetty {alue}, se on harmillista."),
		t(lc, complaint, fi, "Kulttuuritapahtumista tiedotetaan huonosti."),
		t(lc, question, fi, "Voiko kirjastosta lainata myös lautapelejä?"),
		t(lc, suggestion, fi, "Kirjastoon toivoisin enemmän hiljaisia työskentelytiloja."),
		t(lc, praise, fi, "Kiitos hienosta konsertista kulttuuritalolla!"),
		t(lc, praise, fi, "Kirjaston lastenosasto on ihana, kiitos!"),
		t(lc, praise, sv, "Biblioteket {omr} är fantastiskt, tack!"),
		t(lc, question, sv, "Kan man låna e-böcker från biblioteket?"),
		t(lc, suggestion, sv, "Det borde finnas mer kultur för unga."),
		t(lc, praise, en, "Thanks for the great concert at the kulttuuritalo!"),

		t(pe, complaint, fi, "Rakennuslupa on ollut käsittelyssä jo kolme kuukautta."),
		t(pe, complaint, fi, "Rakennusvalvonnan ohjeet ovat ristiriitaiset."),
		t(pe, question, fi, "Tarvitseeko terassin rakentamiseen luvan?"),
		t(pe, suggestion, fi, "Lupahakemuksen käsittelyaika pitäisi kertoa etukäteen."),
		t(pe, praise, fi, "Kiitos selkeästä neuvonnasta lupa-asiassa!"),
		t(pe, complaint, sv, "Bygglovet har dröjt i flera månader."),
		t(pe, question, sv, "Behöver jag tillstånd för en ny altan?"),
		t(pe, question, en, "Do I need a building permit (rakennuslupa) for a small sauna?"),

		t(cs, complaint, fi, "Asiointipisteessä joutui jonottamaan yli tunnin."),
		t(cs, complaint, fi, "Puhelinpalvelussa odotin vastausta puoli tuntia."),
		t(cs, question, fi, "Miksi jonotusaika on niin pitkä?"),
		t(cs, suggestion, fi, "Odotustilaan voisi tuoda lisää tuoleja."),
		t(cs, praise, fi, "Palvelu oli ystävällistä ja nopeaa, kiitos!"),
		t(cs, praise, fi, "Kiitos ystävällisestä asiakaspalvelusta {alue}."),
		t(cs, praise, sv, "Tack för ett vänligt bemötande."),
		t(cs, complaint, sv, "Det var en lång kö vid servicepunkten."),
		t(cs, complaint, sv, "Jag har väntat länge på svar och bemötandet var otrevligt."),
		t(cs, praise, en, "The staff were very friendly and helpful."),

		t(ds, complaint, fi, "Verkkosivuilta on vaikea löytää aukioloaikoja."),
		t(ds, complaint, fi, "Sähköinen asiointi kaatui kesken hakemuksen."),
		t(ds, question, fi, "Onko kaupungilla sovellusta, jolla voisi ilmoittaa vioista?"),
		t(ds, suggestion, fi, "Sähköisen lomakkeen pitäisi toimia myös puhelimella."),
		t(ds, praise, fi, "Uudet verkkosivut ovat selkeät, kiitos!"),
		t(ds, complaint, sv, "E-tjänsten fungerar inte på svenska."),
		t(ds, complaint, sv, "Webbplatsen är svår att använda."),
		t(ds, complaint, en, "The e-service (sähköinen asiointi) does not work in English."),

		t(pk, complaint, fi, "Pysäköintivirhemaksu tuli, vaikka merkki oli lumen peitossa."),
		t(pk, complaint, fi, "Autot pysäköivät jalkakäytävälle {katu}."),
		t(pk, question, fi, "Miten saan asukaspysäköintitunnuksen?"),
		t(pk, suggestion, fi, "Parkkipaikkoja tarvittaisiin lisää {alue}."),
		t(pk, praise, fi, "Kiitos, että parkkihalli on nyt auki myös yöllä."),
		t(pk, complaint, sv, "Parkeringsplatserna {omr} räcker inte till."),
		t(pk, question, sv, "Hur får jag parkeringstillstånd för boende?"),
		t(pk, complaint, en, "Parking {area} is impossible on weekdays."),

		t(no, complaint, fi, "Rakennustyömaan melu alkaa {alue} jo kuudelta aamulla."),
		t(no, complaint, fi, "Naapurustossa on metelin lisäksi jatkuvaa juhlimista {aika}."),
		t(no, complaint, fi, "Lehtipuhaltimien melu on kohtuutonta."),
		t(no, question, fi, "Mihin aikaan saa tehdä meluavia töitä?"),
		t(no, suggestion, fi, "Moottoritien varteen tarvittaisiin meluaita {alue}."),
		t(no, praise, fi, "Kiitos, että meluilmoitukseen reagoitiin nopeasti."),
		t(no, complaint, sv, "Det är mycket buller från byggarbetsplatsen {omr}."),
		t(no, complaint, sv, "Oväsendet från nöjesstället pågår hela natten."),
		t(no, complaint, en, "The noise from the construction site {area} starts too early."),

		t("", complaint, fi, "Työnhakijana en ole saanut yhteydenottoa kuukauteen.", "tyollisyyspalvelut"),
		t("", question, fi, "Miten ilmoittaudun työnhakijaksi?", "tyollisyyspalvelut"),
		t("", praise, fi, "Kiitos työvalmentajalle, sain vihdoin töitä!", "tyollisyyspalvelut"),
		t("", suggestion, fi, "Nuorisotalon aukioloaikoja pitäisi pidentää perjantaisin.", "nuorisopalvelut"),
		t("", praise, fi, "Nuorisotalon ohjaajat tekevät tärkeää työtä.", "nuorisopalvelut"),
		t("", question, fi, "Mistä saa tietoa suomen kielen kursseista?", "kotoutumispalvelut"),
		t("", praise, fi, "Kesän tapahtumat torilla olivat onnistuneita.", "matkailu"),
		t("", complaint, fi, "Asemakaavan muutoksesta tiedotettiin liian myöhään.", "kaavoitus"),
		t("", suggestion, fi, "Uuden asuinalueen suunnittelussa pitäisi kuulla asukkaita.", "kaavoitus"),
		t("", question, fi, "Sain laskun, jota en ymmärrä. Mihin voin ottaa yhteyttä?", "talouspalvelut"),
		t("", question, fi, "Mihin aikaan eläinlääkärin päivystys on auki?", "elainlaakari"),
		t("", suggestion, fi, "Valtuuston kokoukset pitäisi voida katsoa myös jälkikäteen.", "kaupunginkanslia"),
		t("", question, fi, "Milloin musiikkiopiston pääsykokeet järjestetään?", "musiikkiopisto"),
		t("", complaint, fi, "Ravintolan hygieniassa on puutteita, pyydän tarkastusta.", "ymparistoterveys"),
		t("", complaint, sv, "Jag har inte fått svar från sysselsättningstjänsterna.", "tyollisyyspalvelut"),
		t("", praise, sv, "Tack till ungdomsgården för ett fint sommarprogram.", "nuorisopalvelut"),
		t("", suggestion, sv, "Planläggningen av området borde presenteras även på svenska.", "kaavoitus"),
		t("", question, en, "How do I register as a jobseeker?", "tyollisyyspalvelut"),
		t("", question, en, "Where can I find Finnish language courses?", "kotoutumispalvelut"),
	}
}

// phrases fills a template's placeholders and varies the texts with
// openings and closings. Each placeholder list is in the grammatical case
// that the templates need. No entry contains a rule keyword except the
// park names, which only parks templates use.
type phrases struct {
	lists    map[string][]string
	openings map[string][]string
	closings map[string][numKinds][]string
}

func newPhrases() phrases {
	return phrases{
		lists: map[string][]string{
			// Finnish: adessive street, locative area, inessive park, time.
			"katu": {"Rantatiellä", "Myllytiellä", "Asemakadulla", "Kauppakadulla", "Kirkkokadulla",
				"Satamakadulla", "Torikadulla", "Koivukujalla", "Harjutiellä", "Peltotiellä", "Lähteentiellä"},
			"alue": {"keskustassa", "Mäntylässä", "Koivikossa", "Harjulassa", "Niittykummussa", "Satamassa",
				"Asemanseudulla", "Rantakylässä", "Kirkonkylässä", "Pohjoisrinteellä"},
			"puisto": {"Keskuspuistossa", "Rantapuistossa", "Tammipuistossa", "Kirkkopuistossa", "Myllypuistossa"},
			"aika":   {"tänä aamuna", "eilen illalla", "jo viikon ajan", "viime viikonloppuna", "useana päivänä peräkkäin", "tänään"},
			// Swedish.
			"gata": {"på Strandvägen", "på Kvarnvägen", "på Stationsvägen", "på Handelsvägen", "på Kyrkvägen", "på Åsvägen"},
			"omr":  {"i centrum", "i Tallbacka", "i Björkhagen", "på Åsen", "i Hamnen", "vid stationen", "i Strandby"},
			"park": {"i Centralparken", "i Strandparken", "i Ekparken"},
			"tid":  {"i morse", "i går kväll", "redan i en vecka", "i helgen", "flera dagar i rad", "i dag"},
			// English.
			"street": {"on Rantatie", "on Asemakatu", "on Kauppakatu", "on Myllytie"},
			"area":   {"in Mäntylä", "in the city centre", "in Koivikko", "in Satama"},
			"when":   {"this morning", "since last night", "for a week now", "all weekend"},
		},
		// Each opening ends a sentence, so the text after it starts with a
		// capital letter. Empty entries weight plain texts.
		openings: map[string][]string{
			"fi": {"", "", "", "Hei! ", "Moi. ", "Palaute: "},
			"sv": {"", "", "", "Hej! ", "Respons: "},
			"en": {"", "", "Hello! ", "Hi. "},
		},
		// Closings depend on the kind: nobody thanks in advance for praise.
		closings: map[string][numKinds][]string{
			"fi": {
				complaint:  {"", "", " Toivottavasti asiaan puututaan.", " Kiitos."},
				question:   {"", "", " Kiitos etukäteen.", " Kiitos."},
				suggestion: {"", "", " Kiitos.", " Kiitos etukäteen."},
				praise:     {"", "", " Hyvää jatkoa!"},
			},
			"sv": {
				complaint:  {"", "", " Tack."},
				question:   {"", "", " Tack på förhand."},
				suggestion: {"", "", " Tack."},
				praise:     {"", "", " Ha det bra!"},
			},
			"en": {
				complaint:  {"", " Please fix this."},
				question:   {"", " Thanks in advance."},
				suggestion: {"", " Thank you."},
				praise:     {""},
			},
		},
	}
}

// fill writes the text of template t to b with each {name} replaced by a
// random entry of the named list, after a random opening and before a
// random closing.
func (p phrases) fill(b *strings.Builder, r *rand.Rand, t template) {
	text := t.text
	b.WriteString(pick(r, p.openings[t.lang]))
	for first := true; ; first = false {
		i := strings.IndexByte(text, '{')
		j := strings.IndexByte(text, '}')
		if i < 0 || j < i {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		v := pick(r, p.lists[text[i+1:j]])
		if first && i == 0 {
			// A placeholder that opens the sentence is capitalised.
			v = capitalise(v)
		}
		b.WriteString(v)
		text = text[j+1:]
	}
	b.WriteString(pick(r, p.closings[t.lang][t.kind]))
}

func pick(r *rand.Rand, list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[r.IntN(len(list))]
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
