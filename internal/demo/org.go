package demo

// The organisation of Esimerkkilä, a fictional bilingual city of about
// 60 000 residents: seven toimialat and 51 units. Money and staff are sized so
// that operating expenses total about 300 M€ a year (after the 2023 health and
// social services reform, so education is by far the largest department).

// channel indexes the contact channels in the order of the channel table's
// sort_order. Database ids are looked up by code at load time rather than
// assumed.
type channel int

const (
	servicePoint channel = iota
	phone
	email
	webForm
	eService
	socialMedia
	chat
	video
	instantMessaging
	chatbot
	whatsapp
	letter
	numChannels
)

func (c channel) code() string {
	return [numChannels]string{
		"service_point", "phone", "email", "web_form", "e_service", "social_media",
		"chat", "video", "instant_messaging", "chatbot", "whatsapp", "letter",
	}[c]
}

// channelSet is a set of channels, one bit per channel.
type channelSet uint16

func set(cs ...channel) channelSet {
	var s channelSet
	for _, c := range cs {
		s |= 1 << c
	}
	return s
}

func (s channelSet) has(c channel) bool { return s&(1<<c) != 0 }

// profile is the kind of work a unit does. It shapes the unit's accounts
// (see finance.go) and, with a few per-unit numbers, its staff figures.
type profile int

const (
	office profile = iota
	care           // early childhood education
	school
	meals
	library
	sportsFacility
	culture
	youth
	infra
	permitOffice
	parkingControl
	transport
	facilities
	employment
	environment
	service
)

type unitDef struct {
	code, fi, sv, en string
	profile          profile
	headcount        int     // staff at the end of a typical month
	nonPersonnel     float64 // annual operating expenses other than staff, M€
	channels         channelSet
	// speed multiplies response and resolution times: above 1 is slow.
	speed float64
	// sick multiplies the city's typical sickness absence.
	sick float64
	// overBudget is the unit's usual actual/budget ratio for expenses.
	overBudget float64
	swedish    bool // serves in Swedish: Swedish feedback goes here
}

type toimialaDef struct {
	code, fi, sv, en string
	centralised      bool
	units            []unitDef
}

const cityCode = "esimerkkila"

// organisation returns the toimialat and their units in a fixed order, which
// is the order every generator walks them in.
func organisation() []toimialaDef {
	var (
		office4 = set(phone, email, webForm, letter)
		all     = channelSet(1<<numChannels - 1)
	)
	u := func(code, fi, sv, en string, p profile, headcount int, nonPersonnel float64, ch channelSet) unitDef {
		return unitDef{code: code, fi: fi, sv: sv, en: en, profile: p, headcount: headcount,
			nonPersonnel: nonPersonnel, channels: ch, speed: 1, sick: 1, overBudget: 1}
	}
	slow := func(d unitDef, speed float64) unitDef { d.speed = speed; return d }
	sick := func(d unitDef, sick float64) unitDef { d.sick = sick; return d }
	over := func(d unitDef, ratio float64) unitDef { d.overBudget = ratio; return d }
	swedish := func(d unitDef) unitDef { d.swedish = true; return d }

	return []toimialaDef{
		{code: "konserni", fi: "Konsernihallinto", sv: "Koncernförvaltningen", en: "Group administration",
			units: []unitDef{
				u("kaupunginkanslia", "Kaupunginkanslia", "Stadskansliet", "City Office", office, 28, 4.0, office4),
				u("talouspalvelut", "Talouspalvelut", "Ekonomitjänster", "Financial services", office, 24, 1.2, office4|set(eService)),
				u("henkilostopalvelut", "Henkilöstöpalvelut", "Personaltjänster", "HR services", office, 22, 2.5, office4|set(eService)),
				over(u("tietohallinto", "Tietohallinto ja digipalvelut", "IT-förvaltning och digitala tjänster", "IT and digital services", office, 30, 9.0, office4|set(eService, chat)), 0.97),
				u("viestinta", "Viestintä", "Kommunikation", "Communications", office, 9, 0.8, office4|set(socialMedia, instantMessaging)),
				u("tarkastustoimi", "Tarkastustoimi", "Revisionen", "Audit", office, 3, 0.25, set(email, letter)),
			}},
		{code: "sivistys", fi: "Kasvatus ja koulutus", sv: "Fostran och utbildning", en: "Education",
			units: []unitDef{
				sick(u("varhaiskasvatus_mantyla", "Mäntylän varhaiskasvatusalue", "Småbarnspedagogiken i Tallbacka", "Early education, Mäntylä", care, 180, 5.5, set(servicePoint, phone, email, webForm, eService, instantMessaging, video)), 1.3),
				sick(u("varhaiskasvatus_koivikko", "Koivikon varhaiskasvatusalue", "Småbarnspedagogiken i Björkhagen", "Early education, Koivikko", care, 160, 5.0, set(servicePoint, phone, email, webForm, eService, instantMessaging)), 1.2),
				sick(u("varhaiskasvatus_harjula", "Harjulan varhaiskasvatusalue", "Småbarnspedagogiken i Åsen", "Early education, Harjula", care, 140, 4.5, set(servicePoint, phone, email, webForm, eService, instantMessaging)), 1.25),
				over(sick(u("varhaiskasvatus_satama", "Sataman varhaiskasvatusalue", "Småbarnspedagogiken i Hamnen", "Early education, Satama", care, 165, 9.0, set(servicePoint, phone, email, webForm, eService, instantMessaging, video)), 1.2), 1.05),
				swedish(u("daghemmet_solstralen", "Päiväkoti Solstrålen", "Daghemmet Solstrålen", "Solstrålen day-care centre", care, 50, 1.6, set(servicePoint, phone, email, eService, instantMessaging))),
				u("perhepaivahoito", "Perhepäivähoito", "Familjedagvård", "Family day care", care, 30, 0.8, set(phone, email, eService)),
				u("keskustan_koulu", "Keskustan koulu", "Centrums skola", "Keskusta School", school, 150, 10.0, set(servicePoint, phone, email, webForm, eService, video, instantMessaging)),
				u("mantylan_koulu", "Mäntylän koulu", "Tallbacka skola", "Mäntylä School", school, 135, 9.0, set(servicePoint, phone, email, webForm, eService, video, instantMessaging)),
				u("harjulan_koulu", "Harjulan koulu", "Åsens skola", "Harjula School", school, 120, 8.0, set(servicePoint, phone, email, eService, instantMessaging)),
				u("koivikon_koulu", "Koivikon koulu", "Björkhagens skola", "Koivikko School", school, 110, 7.5, set(servicePoint, phone, email, eService, instantMessaging)),
				swedish(u("svenska_skolan", "Ruotsinkielinen koulu", "Svenska skolan", "Swedish-language School", school, 60, 3.8, set(servicePoint, phone, email, eService, instantMessaging))),
				u("lukio", "Esimerkkilän lukio", "Exempelby gymnasium", "Esimerkkilä Upper Secondary School", school, 75, 5.0, set(servicePoint, phone, email, webForm, eService, socialMedia, instantMessaging)),
				over(u("oppilashuolto", "Oppilashuolto", "Elevvården", "Pupil welfare", office, 35, 1.0, set(phone, email, chat, video)), 1.06),
				sick(u("ateriapalvelut", "Ateriapalvelut", "Måltidstjänster", "Meal services", meals, 95, 7.0, set(phone, email, webForm)), 1.4),
			}},
		{code: "kulttuuri", fi: "Kulttuuri ja vapaa-aika", sv: "Kultur och fritid", en: "Culture and leisure",
			units: []unitDef{
				slow(u("paakirjasto", "Pääkirjasto", "Huvudbiblioteket", "Main Library", library, 45, 2.8, set(servicePoint, phone, email, webForm, eService, socialMedia, chat)), 0.7),
				u("lahikirjastot", "Lähikirjastot", "Närbiblioteken", "Branch libraries", library, 22, 1.1, set(servicePoint, phone, email, socialMedia)),
				u("kirjastoauto", "Kirjastoauto", "Bokbussen", "Mobile library", library, 3, 0.15, set(servicePoint, phone, socialMedia)),
				over(u("uimahalli", "Uimahalli", "Simhallen", "Swimming hall", sportsFacility, 28, 2.2, set(servicePoint, phone, email, webForm, eService, socialMedia)), 1.05),
				u("liikuntapaikat", "Liikuntapaikat", "Idrottsplatser", "Sports facilities", sportsFacility, 32, 4.5, set(phone, email, webForm, eService, socialMedia, whatsapp)),
				u("nuorisopalvelut", "Nuorisopalvelut", "Ungdomstjänster", "Youth services", youth, 30, 1.5, set(servicePoint, phone, email, socialMedia, instantMessaging, whatsapp, chat)),
				u("kulttuuripalvelut", "Kulttuuripalvelut", "Kulturtjänster", "Cultural services", culture, 14, 3.5, set(phone, email, webForm, eService, socialMedia)),
				u("museo", "Kaupunginmuseo", "Stadsmuseet", "City Museum", culture, 16, 1.4, set(servicePoint, phone, email, socialMedia)),
				u("kansalaisopisto", "Kansalaisopisto", "Medborgarinstitutet", "Adult education centre", culture, 20, 1.2, set(servicePoint, phone, email, webForm, eService)),
				u("musiikkiopisto", "Musiikkiopisto", "Musikinstitutet", "Music institute", culture, 40, 0.9, set(phone, email, eService)),
			}},
		{code: "kaupunkiymparisto", fi: "Kaupunkiympäristö", sv: "Stadsmiljö", en: "Urban environment",
			units: []unitDef{
				over(slow(u("katujen_kunnossapito", "Katujen kunnossapito", "Gatuunderhåll", "Street maintenance", infra, 38, 16.0, office4|set(eService, socialMedia, whatsapp)), 1.3), 1.04),
				u("puistot", "Puistot ja viheralueet", "Parker och grönområden", "Parks and green areas", infra, 42, 5.0, office4|set(eService, socialMedia)),
				slow(u("rakennusvalvonta", "Rakennusvalvonta", "Byggnadstillsynen", "Building control", permitOffice, 16, 0.5, office4|set(servicePoint, eService, video)), 2.2),
				over(slow(u("kaavoitus", "Kaavoitus", "Planläggning", "Land-use planning", office, 18, 1.0, office4|set(video, socialMedia)), 2.5), 0.95),
				u("joukkoliikenne", "Joukkoliikenne", "Kollektivtrafik", "Public transport", transport, 6, 11.0, office4|set(eService, socialMedia)),
				u("pysakoinninvalvonta", "Pysäköinninvalvonta", "Parkeringsövervakning", "Parking enforcement", parkingControl, 9, 0.3, office4|set(eService)),
				over(slow(u("tilapalvelut", "Tilapalvelut", "Lokaltjänster", "Facility services", facilities, 60, 28.0, set(phone, email, webForm)), 1.8), 1.03),
				u("kunnallistekniikka", "Kunnallistekniikka", "Kommunalteknik", "Municipal engineering", infra, 20, 4.0, office4|set(eService)),
				u("kaupunkimittaus", "Kaupunkimittaus", "Stadsmätning", "City surveying", office, 4, 0.2, set(phone, email, eService)),
			}},
		{code: "elinvoima", fi: "Elinvoima", sv: "Livskraft", en: "Vitality and business",
			units: []unitDef{
				over(u("tyollisyyspalvelut", "Työllisyyspalvelut", "Sysselsättningstjänster", "Employment services", employment, 70, 14.0, set(servicePoint, phone, email, eService, video, chat, letter)), 1.09),
				u("elinkeinopalvelut", "Elinkeinopalvelut", "Näringslivstjänster", "Business services", office, 10, 2.5, set(phone, email, webForm, video)),
				u("matkailu", "Matkailu ja tapahtumat", "Turism och evenemang", "Tourism and events", culture, 8, 1.2, set(servicePoint, phone, email, socialMedia, chat)),
				u("kotoutumispalvelut", "Kotoutumispalvelut", "Integrationstjänster", "Integration services", employment, 18, 2.0, set(servicePoint, phone, email, whatsapp, instantMessaging, video)),
			}},
		{code: "asukaspalvelut", fi: "Asukaspalvelut", sv: "Invånartjänster", en: "Resident services", centralised: true,
			units: []unitDef{
				slow(u("asiointipiste", "Asiointipiste", "Servicepunkten", "Service point", service, 16, 0.6, all), 0.6),
				slow(u("neuvonta", "Puhelinneuvonta", "Telefonrådgivningen", "Telephone advice", service, 9, 0.2, set(phone, email, chat, chatbot, whatsapp)), 0.5),
				u("digituki", "Digituki", "Digitalt stöd", "Digital support", service, 4, 0.1, set(servicePoint, phone, email, chat, video)),
				u("palautepalvelu", "Palautepalvelu", "Responstjänsten", "Feedback service", service, 2, 0.05, set(email, webForm, letter, socialMedia)),
				u("kirjaamo", "Kirjaamo", "Registratorskontoret", "Registry", service, 4, 0.1, set(email, eService, letter)),
			}},
		{code: "ymparisto", fi: "Ympäristöpalvelut", sv: "Miljötjänster", en: "Environmental services",
			units: []unitDef{
				slow(u("ymparistoterveys", "Ympäristöterveys", "Miljöhälsan", "Environmental health", environment, 24, 1.0, office4|set(eService)), 1.6),
				u("ymparistonsuojelu", "Ympäristönsuojelu", "Miljöskyddet", "Environmental protection", environment, 12, 0.6, office4|set(eService, socialMedia)),
				u("jatehuolto", "Jätehuolto ja kierrätys", "Avfallshantering och återvinning", "Waste management and recycling", environment, 14, 3.0, set(servicePoint, phone, email, webForm, eService, chatbot)),
				u("elainlaakari", "Eläinlääkäripalvelut", "Veterinärtjänster", "Veterinary services", environment, 8, 0.5, set(phone, email, eService)),
			}},
	}
}

// unit is a unit of the organisation with its database id.
type unit struct {
	unitDef
	id int32
}

// hub returns the code of the unit that receives feedback arriving on
// channel c when the responsible unit does not serve that channel itself:
// centralised customer service takes what the departments do not.
func hub(c channel) string {
	switch c {
	case phone, chat, chatbot, whatsapp:
		return "neuvonta"
	case socialMedia, webForm:
		return "palautepalvelu"
	case letter:
		return "kirjaamo"
	default:
		return "asiointipiste"
	}
}
