package ingest

import (
	"errors"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// testConverter checks feedback rows against a small organisation, without
// a database.
func testConverter(t testing.TB) *converter {
	t.Helper()
	p := profile(t, "palautejarjestelma")
	return &converter{p: p, channels: map[string]any{"phone": int16(2), "email": int16(3)},
		units:    map[string]any{"puistot": int32(1)},
		channelA: aliases(p.Channels), unitA: aliases(p.Units), statusA: aliases(p.Statuses), kindA: aliases(p.Kinds),
		cls: themeClassifier()}
}

// record reads the one data line of a CSV file with the palautejarjestelma
// header.
func record(t *testing.T, line string) (Record, error) {
	t.Helper()
	rows, err := ReadCSV(strings.NewReader(header + line + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return rows.Next()
}

// problemOf returns the first problem err or problems hold.
func problemOf(t *testing.T, err error, problems []Problem) *Problem {
	t.Helper()
	var p *Problem
	switch {
	case errors.As(err, &p):
		return p
	case len(problems) > 0:
		return &problems[0]
	}
	t.Fatalf("no problem: %v", err)
	return nil
}

// A problem is said in the page's language with its row and column; in
// English it is what the command line has always printed.
func TestProblemsInEachLanguage(t *testing.T) {
	conv := testConverter(t)
	convert := func(line string) func(t *testing.T) *Problem {
		return func(t *testing.T) *Problem {
			rec, err := record(t, line)
			if err != nil {
				return problemOf(t, err, nil)
			}
			_, problems := conv.convert(rec)
			return problemOf(t, nil, problems)
		}
	}
	hr := Tables["hr"]
	cell := func(f field, value string) func(t *testing.T) *Problem {
		return func(t *testing.T) *Problem {
			_, err := f.parse(value, false, map[string]any{"puistot": 1}, map[string]any{}, map[string]any{})
			return &Problem{Row: 4, Column: f.headers[0], Reason: reasonOf(err)}
		}
	}
	opened := func(kind string, p *Profile, file, name string) func(t *testing.T) *Problem {
		return func(t *testing.T) *Problem {
			_, err := Open(kind, p, strings.NewReader(file), name)
			return problemOf(t, err, nil)
		}
	}
	open311 := profile(t, "open311")
	tests := []struct {
		name       string
		problem    func(t *testing.T) *Problem
		fi, sv, en string
	}{
		{"bad date", convert("P-5;Puhelin;puistot;31.2.2026;;;Avoin;Moite;;teksti;;"),
			`rivi 2, sarake Saapunut: "31.2.2026" ei ole aika (23.11.2026 14.05 tai 2026-11-23T14:05:00+02:00)`,
			`rad 2, kolumn Saapunut: "31.2.2026" är ingen tidpunkt (23.11.2026 14.05 eller 2026-11-23T14:05:00+02:00)`,
			`row 2, column Saapunut: "31.2.2026" is not a time (23.11.2026 14:05 or 2026-11-23T14:05:00+02:00)`},
		{"year out of range", convert("P-5;Puhelin;puistot;1.1.1890;;;Avoin;Moite;;teksti;;"),
			`rivi 2, sarake Saapunut: "1.1.1890" ei ole vuosien 1990–2100 välillä`,
			`rad 2, kolumn Saapunut: "1.1.1890" ligger utanför åren 1990–2100`,
			`row 2, column Saapunut: "1.1.1890" is outside 1990–2100`},
		{"unknown channel", convert("P-4;Kyyhkyposti;puistot;5.3.2026;;;Avoin;Moite;;teksti;;"),
			`rivi 2, sarake Kanava: tuntematon kanava "Kyyhkyposti": lisää se profiilin kanaviin (channels)`,
			`rad 2, kolumn Kanava: okänd kanal "Kyyhkyposti": lägg till den bland profilens kanaler (channels)`,
			`row 2, column Kanava: unknown channel "Kyyhkyposti": add it to the profile's channels`},
		{"unknown unit", convert("P-7;Puhelin;eiole;5.3.2026;;;Avoin;Moite;;teksti;;"),
			`rivi 2, sarake Vastuuyksikkö: tuntematon yksikkö "eiole": lisää se profiilin yksiköihin (units)`,
			`rad 2, kolumn Vastuuyksikkö: okänd enhet "eiole": lägg till den bland profilens enheter (units)`,
			`row 2, column Vastuuyksikkö: unknown unit "eiole": add it to the profile's units`},
		{"no id", convert(";Puhelin;puistot;5.3.2026;;;Avoin;Moite;;teksti;;"),
			"rivi 2, sarake Tunnus: tunniste puuttuu", "rad 2, kolumn Tunnus: id saknas", "row 2, column Tunnus: the id is empty"},
		{"unknown status", convert("P-9;Puhelin;puistot;5.3.2026;;;Mietinnässä;Moite;;teksti;;"),
			`rivi 2, sarake Tila: "Mietinnässä" ei ole mikään näistä: open, in_progress, closed`,
			`rad 2, kolumn Tila: "Mietinnässä" är inget av följande: open, in_progress, closed`,
			`row 2, column Tila: "Mietinnässä" is none of open, in_progress, closed`},
		{"first response too early", convert("P-6;Puhelin;puistot;5.3.2026 10:00;5.3.2026 9:00;;Avoin;Moite;;teksti;;"),
			"rivi 2, sarake Ensivastaus: ensivastaus on ennen palautteen saapumista",
			"rad 2, kolumn Ensivastaus: det första svaret gavs innan responsen kom in",
			"row 2, column Ensivastaus: the first response is before the feedback was received"},
		{"outside Finland", convert("P-8;Puhelin;puistot;5.3.2026;;;Avoin;Moite;;teksti;48,85;2,35"),
			"rivi 2, sarake Leveysaste: 48.8500, 2.3500 on Suomen ulkopuolella",
			"rad 2, kolumn Leveysaste: 48.8500, 2.3500 ligger utanför Finland",
			"row 2, column Leveysaste: 48.8500, 2.3500 lies outside Finland"},
		{"fields", convert("P-9;Puhelin;puistot"),
			"rivi 2: kenttiä 3, otsikkorivillä 12", "rad 2: 3 fält, rubrikraden har 12", "row 2: 3 fields, the header has 12"},
		{"not CSV", convert(`P-9;"Puhelin;puistot;5.3.2026;;;Avoin;Moite;;teksti;;`),
			`rivi 2: ei kelvollista CSV:tä: extraneous or missing " in quoted-field`,
			`rad 2: ogiltig CSV: extraneous or missing " in quoted-field`,
			`row 2: not valid CSV: extraneous or missing " in quoted-field`},
		{"negative", cell(hr.fields[2], "-1"),
			"rivi 4, sarake headcount: -1 on negatiivinen", "rad 4, kolumn headcount: -1 är negativt", "row 4, column headcount: -1 is negative"},
		{"fraction", cell(hr.fields[6], "0.5"),
			"rivi 4, sarake leavers: 0.5 ei ole kokonaisluku", "rad 4, kolumn leavers: 0.5 är inget heltal", "row 4, column leavers: 0.5 is not a whole number"},
		{"not a number", cell(hr.fields[3], "x"),
			`rivi 4, sarake fte: "x" ei ole luku`, `rad 4, kolumn fte: "x" är inget tal`, `row 4, column fte: "x" is not a number`},
		{"empty", cell(hr.fields[3], ""),
			"rivi 4, sarake fte: arvo puuttuu", "rad 4, kolumn fte: värde saknas", "row 4, column fte: empty"},
		{"not a month", cell(hr.fields[0], "kesäkuu"),
			`rivi 4, sarake month: "kesäkuu" ei ole kuukausi (2026-03 tai 3/2026)`,
			`rad 4, kolumn month: "kesäkuu" är ingen månad (2026-03 eller 3/2026)`,
			`row 4, column month: "kesäkuu" is not a month (2026-03 or 3/2026)`},
		{"mid-month", cell(hr.fields[0], "15.6.2026"),
			`rivi 4, sarake month: "15.6.2026" ei ole kuukauden ensimmäinen päivä`,
			`rad 4, kolumn month: "15.6.2026" är inte den första dagen i en månad`,
			`row 4, column month: "15.6.2026" is not the first day of a month`},
		{"unknown unit code", cell(hr.fields[1], "eiole"),
			`rivi 4, sarake unit: tuntematon yksikkö "eiole"`, `rad 4, kolumn unit: okänd enhet "eiole"`, `row 4, column unit: unknown unit "eiole"`},
		{"score", cell(Tables["survey"].fields[5], "11"),
			"rivi 4, sarake score: 11 ei ole kokonaisluku 0–10", "rad 4, kolumn score: 11 är inget heltal från 0 till 10",
			"row 4, column score: 11 is not a whole score from 0 to 10"},
		{"empty file", opened("contacts", nil, "", "a.csv"),
			"rivi 1: tiedosto on tyhjä tai siitä puuttuu otsikkorivi", "rad 1: filen är tom eller saknar rubrikrad",
			"row 1: the file is empty or has no header line"},
		{"unknown kind", opened("budjetti", nil, "a;b\n", "a.csv"),
			`tuntematon aineisto "budjetti"`, `okänt material "budjetti"`, `unknown kind "budjetti"`},
		{"JSON with a CSV profile", opened("feedback", profile(t, "palautejarjestelma"), "[]", "r.json"),
			"r.json: JSON-tiedosto tarvitsee Open311-profiilin (format: open311)",
			"r.json: en JSON-fil kräver en Open311-profil (format: open311)",
			"r.json: a JSON file needs an Open311 profile (format: open311)"},
		{"not Open311", opened("open311", open311, "{}", "r.json"),
			"tiedosto ei ole Open311-rajapinnan requests.json: sen on oltava palvelupyyntöjen JSON-taulukko",
			"filen är inte en requests.json från Open311: den måste vara en JSON-array av serviceförfrågningar",
			"not an Open311 requests.json: it must be a JSON array of service requests"},
		{"not a workbook", opened("contacts", nil, "PK no zip", "a.xlsx"),
			"tiedosto ei ole XLSX-työkirja: zip: not a valid zip file",
			"filen är inte en XLSX-arbetsbok: zip: not a valid zip file",
			"not an XLSX workbook: zip: not a valid zip file"},
	}
	for _, tt := range tests {
		p := tt.problem(t)
		for _, l := range []struct {
			lang i18n.Lang
			want string
		}{{i18n.Finnish, tt.fi}, {i18n.Swedish, tt.sv}, {i18n.English, tt.en}} {
			if got := p.Text(l.lang); got != l.want {
				t.Errorf("%s in %s:\n got %s\nwant %s", tt.name, l.lang, got, l.want)
			}
		}
		if p.Error() != tt.en {
			t.Errorf("%s: Error() = %q, want the English text", tt.name, p.Error())
		}
	}
}

// The tables' columns missing, and a key twice: the report says which, in
// each language.
func TestFileProblemsInEachLanguage(t *testing.T) {
	missing := &Problem{Row: 1, Reason: i18n.Msg("ingest.columns", "channel, contacts", []string{"päivä", "yksikkö"})}
	twice := &Problem{Row: 4, Reason: i18n.Msg("ingest.duplicate", "month, unit_id", "2026-08-01 7", 2)}
	tests := []struct {
		p          *Problem
		fi, sv, en string
	}{
		{missing,
			`rivi 1: tiedostosta puuttuu sarakkeita: channel, contacts (tiedoston sarakkeet: ["päivä" "yksikkö"])`,
			`rad 1: filen saknar kolumner: channel, contacts (filens kolumner: ["päivä" "yksikkö"])`,
			`row 1: the file lacks the columns channel, contacts (it has ["päivä" "yksikkö"])`},
		{twice,
			`rivi 4: month, unit_id "2026-08-01 7" on myös rivillä 2`,
			`rad 4: month, unit_id "2026-08-01 7" finns också på rad 2`,
			`row 4: month, unit_id "2026-08-01 7" is also on row 2`},
	}
	for _, tt := range tests {
		for _, l := range []struct {
			lang i18n.Lang
			want string
		}{{i18n.Finnish, tt.fi}, {i18n.Swedish, tt.sv}, {i18n.English, tt.en}} {
			if got := tt.p.Text(l.lang); got != l.want {
				t.Errorf("%s:\n got %s\nwant %s", l.lang, got, l.want)
			}
		}
	}
}

// Whatever the language, a problem names the row, the column and the
// value of a coded field, never the resident's text.
func TestProblemsNeverQuoteTheText(t *testing.T) {
	conv := testConverter(t)
	secret := "Salainen 131052-308T soittakaa 040 123 4567"
	for _, line := range []string{
		"P-4;Kyyhkyposti;puistot;5.3.2026;;;Avoin;Moite;Otsikko " + secret + ";" + secret + ";;",
		"P-5;Puhelin;eiole;31.2.2026;;;Avoin;Moite;;" + secret + ";x;y",
		";;;;;;Avoin;Moite;;" + secret + ";;",
	} {
		rec, err := record(t, line)
		if err != nil {
			t.Fatal(err)
		}
		_, problems := conv.convert(rec)
		if len(problems) == 0 {
			t.Fatalf("no problems in %q", line)
		}
		for _, p := range problems {
			for _, l := range i18n.Langs {
				if text := p.Text(l); strings.Contains(text, "131052") || strings.Contains(text, "Salainen") || strings.Contains(text, "040 123") {
					t.Errorf("%s repeats the text: %s", l, text)
				}
			}
		}
	}
}

// A file without a header line has a resident's text where the column
// names should be: the report names the columns it expected and quotes
// nothing of the file. With a real header the file's columns are listed.
func TestMissingHeaderQuotesNothing(t *testing.T) {
	p := profile(t, "palautejarjestelma")
	secret := "P-1;Puhelin;puistot;5.3.2026;;;Avoin;Moite;;Salainen 131052-308T soittakaa;;"
	rows, err := ReadCSV(strings.NewReader(secret + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = checkColumns(rows, p)
	var problem *Problem
	if !errors.As(err, &problem) {
		t.Fatalf("a file without a header: %v", err)
	}
	for _, l := range i18n.Langs {
		if text := problem.Text(l); strings.Contains(text, "Salainen") || strings.Contains(text, "131052") || !strings.Contains(text, p.Columns.ID) {
			t.Errorf("%s: %s", l, text)
		}
	}
	rows, err = ReadCSV(strings.NewReader("Tunnus;Kanava;Muu\nP-1;Puhelin;x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkColumns(rows, p); !errors.As(err, &problem) || !strings.Contains(problem.Text(i18n.Finnish), `"Muu"`) {
		t.Errorf("a header lacking columns: %v", err)
	}
}
