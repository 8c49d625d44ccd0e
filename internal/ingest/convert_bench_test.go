package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkConvert is the Go side of a feedback import, a row at a time:
// parse, check, scrub, detect the language, classify.
func BenchmarkConvert(b *testing.B) {
	conv := testConverter(b)
	texts := []string{
		"Katu on liukas eikä sitä ole hiekoitettu.", "Puiston roskikset ovat täynnä, soittakaa 040 123 4567.",
		"Varför är biblioteket stängt på söndagar?", "Bussi myöhästyi taas pysäkiltä, hetu 131052-308T.",
		"Rakennuslupahakemuksen käsittely kestää liian kauan, vastatkaa osoitteeseen matti@example.fi.",
	}
	var lines strings.Builder
	lines.WriteString(header)
	for i := range 1000 {
		fmt.Fprintf(&lines, "B-%d;Puhelin;puistot;%d.3.2026 10:00;;;Avoin;Moite;;%s;60.1;24.9\n", i, 1+i%28, texts[i%len(texts)])
	}
	rows, err := ReadCSV(strings.NewReader(lines.String()))
	if err != nil {
		b.Fatal(err)
	}
	var recs []Record
	for {
		r, err := rows.Next()
		if err != nil {
			break
		}
		recs = append(recs, r)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, problems := conv.convert(recs[i%len(recs)]); len(problems) > 0 {
			b.Fatal(problems)
		}
	}
}
