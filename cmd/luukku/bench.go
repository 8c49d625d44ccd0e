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

// benchCommand measures, on a private cluster of its own, importing
// feedback from CSV and every dashboard's pages at each data size.
func benchCommand(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	rows := fs.Int("rows", 1_000_000, "feedback rows in the imported CSV file")
	// The targets are set at ten million rows: a run without them measures
	// nothing they are set for. Loading them takes 5–11 minutes.
	sizes := fs.String("sizes", "100k,1m,10m", "feedback rows of the datasets the pages are measured at, e.g. 100k,1m; none measures no pages")
	doImport := fs.Bool("import", true, "measure the CSV import")
	out := fs.String("out", "bench/results.json", "where to write the results as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var ns []int
	for f := range strings.SplitSeq(*sizes, ",") {
		if f == "" || f == "none" {
			continue
		}
		n, err := parseCount(f)
		if err != nil {
			return fmt.Errorf("--sizes: %w", err)
		}
		ns = append(ns, n)
	}
	dir, err := os.MkdirTemp("", "luukku-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755) // the postgres user runs the cluster when we are root
	quiet := slog.New(slog.DiscardHandler)
	db, err := openDatabase(ctx, &dataDir{path: dir, chosen: true}, "", quiet)
	if err != nil {
		return err
	}
	defer db.close(quiet)
	res := benchResults{
		Machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		When:    time.Now().UTC().Format(time.RFC3339),
	}
	if *doImport {
		if res.Import, err = benchImport(ctx, db, dir, *rows, quiet); err != nil {
			return err
		}
		printImport(stdout, res.Import)
	}
	for _, n := range ns {
		fmt.Fprintf(stdout, "\nloading %d feedback rows and measuring every dashboard…\n", n)
		pb, err := benchPages(ctx, db, n, quiet)
		if err != nil {
			return fmt.Errorf("pages at %d rows: %w", n, err)
		}
		printPages(stdout, pb)
		res.Pages = append(res.Pages, *pb)
	}
	if len(res.Pages) > 1 {
		printScaling(stdout, res.Pages)
	}
	fmt.Fprintf(stdout, "\n%s\n", res.Machine)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	data, _ := json.MarshalIndent(res, "", "  ")
	return os.WriteFile(*out, append(data, '\n'), 0o644)
}

// parseCount reads 100k, 1m, 10m or a plain number.
func parseCount(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1_000, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "m"):
		mult, s = 1_000_000, strings.TrimSuffix(s, "m")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a count like 100k or 1m", s)
	}
	return n * mult, nil
}

// benchImport imports rows of feedback from CSV twice: all new, then all
// unchanged.
func benchImport(ctx context.Context, db *database, dir string, rows int, log *slog.Logger) (*importBench, error) {
	if _, err := demo.Load(ctx, db.pool, demo.Options{Feedback: 1_000}, log); err != nil {
		return nil, err
	}
	csvPath := filepath.Join(dir, "feedback.csv")
	size, err := writeBenchCSV(csvPath, rows)
	if err != nil {
		return nil, err
	}
	profile, err := ingest.LoadProfile("palautejarjestelma")
	if err != nil {
		return nil, err
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
		return nil, fmt.Errorf("first import: %w", err)
	}
	again, took2, err := run()
	if err != nil {
		return nil, fmt.Errorf("second import: %w", err)
	}
	return &importBench{
		Rows: rows, FileMB: float64(size) / (1 << 20),
		FirstSeconds: took1.Seconds(), FirstRead: first.Read.Seconds(), FirstMerge: first.Merge.Seconds(), FirstInserted: first.Inserted, RowsPerSecond: float64(rows) / took1.Seconds(),
		AgainSeconds: took2.Seconds(), AgainUnchanged: again.Unchanged,
		PeakRSSMB: peakRSS(), TargetSeconds: 30,
	}, nil
}

func printImport(w io.Writer, im *importBench) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "import\trows\tfile MB\tseconds\trows/s\tpeak RSS MB\t\n")
	fmt.Fprintf(tw, "first (all new)\t%d\t%.0f\t%.1f\t%.0f\t%.0f\t\n", im.Rows, im.FileMB, im.FirstSeconds, im.RowsPerSecond, im.PeakRSSMB)
	fmt.Fprintf(tw, "again (unchanged)\t%d\t%.0f\t%.1f\t%.0f\t\t\n", im.Rows, im.FileMB, im.AgainSeconds, float64(im.Rows)/im.AgainSeconds)
	tw.Flush()
	fmt.Fprintf(w, "first import: %.1f s reading, checking and copying, %.1f s merging; target: %d rows in ≤ 30 s\n", im.FirstRead, im.FirstMerge, im.Rows)
}

func printPages(w io.Writer, pb *pagesBench) {
	fmt.Fprintf(w, "pages at %d feedback rows (loaded in %.0f s); server peak RSS %.0f MB\n", pb.Feedback, pb.LoadSeconds, pb.ServerPeakRSSMB)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "dashboard\tcold p50/p95/p99 ms\twarm p50/p95/p99\twarm ×16 p50/p95/p99\tpages/s ×16\traw SQL p50\tcold/raw\tfirst load KB\t\n")
	trio := func(l latency) string { return fmt.Sprintf("%.1f / %.1f / %.1f", l.P50, l.P95, l.P99) }
	for _, d := range pb.Dashboards {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f\t%.1f\t%.2f\t%.0f\t\n", d.Slug, trio(d.Cold), trio(d.Warm1), trio(d.Warm16), d.PerSec, d.SQLP50, d.Overhead, d.FirstKB)
	}
	tw.Flush()
	fmt.Fprintln(w, "targets at 10 M rows: warm p50 ≤ 5 ms; cold p50 ≤ 30 ms, p95 ≤ 80 ms; cold/raw ≤ 1,2; ≥ 500 pages/s ×16; first load ≤ 400 KB; RSS ≤ 100 MB")
}

// printScaling shows how each dashboard's cold page grows with the data.
func printScaling(w io.Writer, pbs []pagesBench) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\ncold p50 ms\t")
	for _, pb := range pbs {
		fmt.Fprintf(tw, "%d rows\t", pb.Feedback)
	}
	fmt.Fprintf(tw, "\n")
	for i, d := range pbs[0].Dashboards {
		fmt.Fprintf(tw, "%s\t", d.Slug)
		for _, pb := range pbs {
			fmt.Fprintf(tw, "%.1f\t", pb.Dashboards[i].Cold.P50)
		}
		fmt.Fprintf(tw, "\n")
	}
	tw.Flush()
}

type benchResults struct {
	Machine string       `json:"machine"`
	When    string       `json:"when"`
	Import  *importBench `json:"import,omitempty"`
	Pages   []pagesBench `json:"pages,omitempty"`
}

type importBench struct {
	Rows           int     `json:"rows"`
	FileMB         float64 `json:"file_mb"`
	FirstSeconds   float64 `json:"first_seconds"`
	FirstRead      float64 `json:"first_read_seconds"`  // reading, checking, scrubbing, classifying, COPY
	FirstMerge     float64 `json:"first_merge_seconds"` // writing into feedback
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
	return vmHWM(string(data))
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
