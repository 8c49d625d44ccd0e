package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/ingest"
)

// maxUpload bounds an uploaded export; larger files go through luukku
// import on the server.
const maxUpload = 512 << 20

func (s *Server) importPage(r *http.Request, kind, profile string) components.ImportPage {
	lang, suffix := adminLang(r)
	p := components.ImportPage{Admin: s.adminShell(r, "admin.import"), Action: "/admin/import" + suffix}
	if profile == "" {
		profile = map[string]string{"open311": "open311"}[kind]
		if profile == "" {
			profile = "palautejarjestelma"
		}
	}
	for _, k := range []string{"feedback", "open311", "contacts", "finance", "hr", "survey"} {
		p.Kinds = append(p.Kinds, components.Option{Value: k, Label: lang.T("import.kind." + k), Selected: k == kind})
	}
	for _, name := range ingest.Profiles() {
		p.Profiles = append(p.Profiles, components.Option{Value: name, Label: name, Selected: name == profile})
	}
	return p
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, components.Import(s.importPage(r, "feedback", "")))
}

// handleImport imports an uploaded file as it streams in: the form's
// fields come first and the file last, so nothing is held whole in memory
// (but a workbook, which must be).
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	lang, _ := adminLang(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, r, lang, &paramError{"file", err.Error()})
		return
	}
	fields := map[string]string{}
	var page components.ImportPage
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.fail(w, r, lang, &paramError{"file", err.Error()})
			return
		}
		if part.FormName() != "file" {
			v, _ := io.ReadAll(io.LimitReader(part, 1024))
			fields[part.FormName()] = string(v)
			continue
		}
		page = s.importPage(r, fields["kind"], fields["profile"])
		page.DryRun, page.Skip = fields["dry_run"] != "", fields["skip_invalid"] != ""
		status := s.importFile(r, &page, fields, part)
		s.render(w, r, status, components.Import(page))
		return
	}
	s.fail(w, r, lang, &paramError{"file", lang.Pick("valitse tiedosto", "välj en fil", "choose a file")})
}

// cutShort remembers why a read of the upload failed: a file over
// maxUpload fails wherever it is being read, even inside a workbook
// library that says only that the file is not a workbook.
type cutShort struct {
	r   io.Reader
	err error
}

func (c *cutShort) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return n, err
}

// importFile imports one uploaded file and says on the page, in its
// language, what came of it.
func (s *Server) importFile(r *http.Request, page *components.ImportPage, fields map[string]string, upload io.Reader) int {
	lang := page.Lang
	name, kind := fields["profile"], fields["kind"]
	filename := "upload"
	if f, ok := upload.(interface{ FileName() string }); ok {
		filename = f.FileName()
	}
	file := &cutShort{r: upload}
	var profile *ingest.Profile
	var err error
	if _, isTable := ingest.Tables[kind]; !isTable {
		if slices.Contains(ingest.Profiles(), name) { // a built-in one: never a path from a form
			profile, err = ingest.LoadProfile(name)
		} else {
			err = &ingest.Problem{Reason: i18n.Msg("ingest.profile", name)}
		}
	}
	var rows ingest.Rows
	if err == nil {
		rows, err = ingest.Open(kind, profile, file, filename)
	}
	var report *ingest.Report
	if err == nil {
		report, err = ingest.Import(r.Context(), s.cfg.Pool, kind, profile, rows,
			ingest.Options{DryRun: page.DryRun, SkipInvalid: page.Skip, Themes: s.cfg.Themes})
	}
	var p *ingest.Problem
	var tooLarge *http.MaxBytesError
	switch {
	case err != nil && errors.As(file.err, &tooLarge):
		s.cfg.Metrics.CountImport(kind, "invalid")
		page.Problems = []string{lang.Reason("ingest.toolarge", maxUpload>>20)}
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ingest.ErrInvalid):
		s.cfg.Metrics.CountImport(kind, "invalid")
		page.Done, page.Summary = true, fmt.Sprintf(lang.T("import.invalid"), filename)
	case errors.As(err, &p):
		s.cfg.Metrics.CountImport(kind, "invalid")
		page.Problems = []string{p.Text(lang)}
		return http.StatusBadRequest
	case err != nil:
		s.cfg.Metrics.CountImport(kind, "error")
		s.log.ErrorContext(r.Context(), "import", "err", err)
		page.Problems = []string{lang.Explain(err)}
		return http.StatusInternalServerError
	case page.DryRun:
		s.cfg.Metrics.CountImport(kind, "dry_run")
		page.Done, page.Summary = true, fmt.Sprintf(lang.T("import.checked"), filename, report.Rows, report.Rows-report.Rejected, report.Rejected)
	default:
		s.cfg.Metrics.CountImport(kind, "ok")
		page.Done, page.Summary = true, fmt.Sprintf(lang.T("import.done"), filename, report.Rows, report.Inserted, report.Updated, report.Unchanged, report.Rejected)
		s.record(r, audit.Import, kind, fmt.Sprintf("%s: %d new, %d updated, %d unchanged, %d rejected",
			filename, report.Inserted, report.Updated, report.Unchanged, report.Rejected))
	}
	for _, pr := range report.Problems {
		page.Problems = append(page.Problems, pr.Text(lang))
	}
	if report.MoreProblems > 0 {
		page.Problems = append(page.Problems, lang.Reason("ingest.more", report.MoreProblems))
	}
	if errors.Is(err, ingest.ErrInvalid) {
		return http.StatusBadRequest
	}
	return http.StatusOK
}
