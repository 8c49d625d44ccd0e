package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/ingest"
)

// benchCommand measures, on a private cluster of its own, what the
// issue-by-issue targets name. For now: importing feedback from CSV.
func benchCommand(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	rows := fs.Int("rows", 1_000_000, "feedback rows in the imported CSV file")
	out := fs.String("out", "bench/results.json", "where to write the results as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "luukku-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755) // the postgres user runs the cluster when we are root
	quiet := slog.New(slog.DiscardHandler)
	db, err := openDatabase(ctx, &dataDir{path: dir, chosen: true}, quiet)
	if err != nil {
		return err
	}
	defer db.close(quiet)
	if _, err := demo.Load(ctx, db.pool, demo.Options{Feedback: 1_000}, quiet); err != nil {
		return err
	}
	csvPath := filepath.Join(dir, "feedback.csv")
	size, err := writeBenchCSV(csvPath, *rows)
	if err != nil {
		return err
	}
	profile, err := ingest.LoadProfile("palautejarjestelma")
	if err != nil {
		return err
	}
	run := func() (*ingest.Report, time.Duration, error) {
		f, err := os.Open(csvPath)
		if err != nil {
			return nil, 0, err
		}
		defer f.Close()
		start := time.Now()
		r, err := profile.Read(f, csvPath)
		if err != nil {
			return nil, 0, err
		}
		report, err := ingest.Feedback(ctx, db.pool, r, profile, ingest.Options{})
		return report, time.Since(start), err
	}
	first, took1, err := run()
	if err != nil {
		return fmt.Errorf("first import: %w", err)
	}
	again, took2, err := run()
	if err != nil {
		return fmt.Errorf("second import: %w", err)
	}
	res := benchResults{
		Machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		When:    time.Now().UTC().Format(time.RFC3339),
		Import: importBench{
			Rows: *rows, FileMB: float64(size) / (1 << 20),
			FirstSeconds: took1.Seconds(), FirstInserted: first.Inserted, RowsPerSecond: float64(*rows) / took1.Seconds(),
			AgainSeconds: took2.Seconds(), AgainUnchanged: again.Unchanged,
			PeakRSSMB: peakRSS(), TargetSeconds: 30,
		},
	}
	tw := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "import\trows\tfile MB\tseconds\trows/s\tpeak RSS MB\t\n")
	fmt.Fprintf(tw, "first (all new)\t%d\t%.0f\t%.1f\t%.0f\t%.0f\t\n", *rows, res.Import.FileMB, took1.Seconds(), res.Import.RowsPerSecond, res.Import.PeakRSSMB)
	fmt.Fprintf(tw, "again (unchanged)\t%d\t%.0f\t%.1f\t%.0f\t\t\n", *rows, res.Import.FileMB, took2.Seconds(), float64(*rows)/took2.Seconds())
	tw.Flush()
	fmt.Fprintf(stdout, "target: %d rows in ≤ 30 s; %s\n", *rows, res.Machine)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	data, _ := json.MarshalIndent(res, "", "  ")
	return os.WriteFile(*out, append(data, '\n'), 0o644)
}

type benchResults struct {
	Machine string      `json:"machine"`
	When    string      `json:"when"`
	Import  importBench `json:"import"`
}

type importBench struct {
	Rows           int     `json:"rows"`
	FileMB         float64 `json:"file_mb"`
	FirstSeconds   float64 `json:"first_seconds"`
	FirstInserted  int     `json:"first_inserted"`
	RowsPerSecond  float64 `json:"rows_per_second"`
	AgainSeconds   float64 `json:"again_seconds"`
	AgainUnchanged int     `json:"again_unchanged"`
	PeakRSSMB      float64 `json:"peak_rss_mb"`
	TargetSeconds  float64 `json:"target_seconds"`
}

// peakRSS is this process's high-water resident set, from /proc.
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// writeBenchCSV writes n rows of feedback as a feedback system exports
// them: a third of the texts carry personal data to scrub.
func writeBenchCSV(path string, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	channels := []string{"Puhelin", "Sähköposti", "Verkkolomake", "Asiointipiste", "Chat", "Sähköinen asiointi"}
	units := []string{"puistot", "katujen_kunnossapito", "paakirjasto", "rakennusvalvonta", "joukkoliikenne"}
	kinds := []string{"Moite", "Kysymys", "Ehdotus", "Kiitos"}
	texts := []string{
		"Katu on liukas eikä sitä ole hiekoitettu.", "Puiston roskikset ovat täynnä, soittakaa 040 123 4567.",
		"Varför är biblioteket stängt på söndagar?", "Kiitos hyvästä palvelusta kirjastossa!",
		"Bussi myöhästyi taas pysäkiltä, hetu 131052-308T.", "Katuvalo ei pala kotini edessä.",
		"Rakennuslupahakemuksen käsittely kestää liian kauan, vastatkaa osoitteeseen matti@example.fi.",
		"Leikkipaikan keinu on rikki.", "Auto ABC-123 pysäköi jalkakäytävälle joka aamu.",
	}
	fmt.Fprintln(w, "Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste")
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * 90 * time.Second)
		fmt.Fprintf(w, "B-%d;%s;%s;%s;;;Avoin;%s;;%s;%.4f;%.4f\n", i,
			channels[r.IntN(len(channels))], units[r.IntN(len(units))], at.Format("2.1.2006 15:04"),
			kinds[r.IntN(len(kinds))], texts[r.IntN(len(texts))], 60.1+r.Float64()*0.2, 24.8+r.Float64()*0.3)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
