package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// paramError is a request parameter that is unknown or malformed; the
// message names it.
type paramError struct {
	param   string
	message string
}

func (e *paramError) Error() string { return e.param + ": " + e.message }

// forbiddenError is a request for data outside the user's scope.
type forbiddenError struct{ message string }

func (e *forbiddenError) Error() string { return e.message }

// unavailable reports whether err means the database cannot answer now
// (down, restarting, overloaded) rather than that the query is wrong.
func unavailable(err error) bool {
	var connErr *pgconn.ConnectError
	var netErr net.Error
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exceptions; 53: out of resources; 57P0x:
		// shutdown, crash recovery, cannot connect now; 57014: statement timeout.
		return pgErr.Code[:2] == "08" || pgErr.Code[:2] == "53" || pgErr.Code == "57P01" ||
			pgErr.Code == "57P02" || pgErr.Code == "57P03" || pgErr.Code == "57014"
	}
	var closed interface{ SafeToRetry() bool }
	return errors.As(err, &closed) && closed.SafeToRetry()
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, lang i18n.Lang, status int, message string) {
	p := components.ErrorPage{Lang: lang, Assets: s.assets(), Status: status}
	switch status {
	case http.StatusBadRequest:
		p.Title = lang.T("error.badrequest")
	case http.StatusNotFound:
		p.Title = lang.T("error.notfound")
	case http.StatusForbidden:
		p.Title = lang.T("error.forbidden")
	case http.StatusUnauthorized:
		p.Title = lang.T("error.unauthorized")
	case http.StatusServiceUnavailable:
		p.Title = lang.T("error.unavailable")
		p.Message = lang.T("error.unavailable.hint")
		w.Header().Set("Retry-After", "10")
	default:
		p.Title = lang.T("error.internal")
	}
	if message != "" {
		p.Message = message
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, components.Error(p))
}

// fail answers a request whose handling returned err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang i18n.Lang, err error) {
	if r.Context().Err() != nil {
		// The client went away; nobody is left to read an error page.
		s.log.DebugContext(r.Context(), "request abandoned", "path", r.URL.Path, "err", err)
		return
	}
	var pe *paramError
	var fe *forbiddenError
	switch {
	case errors.As(err, &pe):
		s.renderError(w, r, lang, http.StatusBadRequest, pe.Error())
	case errors.As(err, &fe):
		s.renderError(w, r, lang, http.StatusForbidden, fe.message)
	case errors.Is(err, errNoData):
		s.renderError(w, r, lang, http.StatusServiceUnavailable, lang.T("error.nodata"))
	case unavailable(err):
		s.log.WarnContext(r.Context(), "database unavailable", "path", r.URL.Path, "err", err)
		s.renderError(w, r, lang, http.StatusServiceUnavailable, "")
	default:
		s.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
		s.renderError(w, r, lang, http.StatusInternalServerError, "")
	}
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, langOf(r), http.StatusNotFound, "")
}
