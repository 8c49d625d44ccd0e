package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// open311Columns are the field names an Open311 request becomes, so that
// the converter reads it like a file with these columns.
var open311Columns = Columns{
	ID: "service_request_id", Unit: "agency_responsible", Received: "requested_datetime",
	FirstResponse: "first_task", Resolved: "resolved", Status: "status", Kind: "service_name",
	Title: "title", Text: "description", Reply: "status_notes", Lat: "lat", Lon: "long",
}

// open311Request is a GeoReport v2 service request with Helsinki's
// extensions. Coordinates arrive as numbers or as strings.
type open311Request struct {
	ID                string          `json:"service_request_id"`
	Status            string          `json:"status"`
	StatusNotes       string          `json:"status_notes"`
	ServiceCode       string          `json:"service_code"`
	ServiceName       string          `json:"service_name"`
	Description       string          `json:"description"`
	Agency            string          `json:"agency_responsible"`
	Requested         string          `json:"requested_datetime"`
	Updated           string          `json:"updated_datetime"`
	Lat               json.RawMessage `json:"lat"`
	Long              json.RawMessage `json:"long"`
	ExtendedAttribute *struct {
		Title          string `json:"title"`
		DetailedStatus string `json:"detailed_status"`
		Tasks          []struct {
			Created  string `json:"task_created"`
			Modified string `json:"task_modified"`
			Owner    string `json:"owner_name"`
			Type     string `json:"task_type"`
			State    string `json:"task_state"`
		} `json:"tasks"`
	} `json:"extended_attributes"`
}

// open311Rows streams the requests of a requests.json array.
type open311Rows struct {
	dec *json.Decoder
	n   int
}

// ReadOpen311 starts reading a GeoReport v2 requests.json: a JSON array of
// service requests, one at a time.
func ReadOpen311(r io.Reader) (Rows, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, &Problem{Reason: i18n.Msg("ingest.open311")}
	}
	return &open311Rows{dec: dec}, nil
}

func (o *open311Rows) Columns() []string {
	c := open311Columns
	return []string{c.ID, c.Unit, c.Received, c.FirstResponse, c.Resolved, c.Status, c.Kind, c.Title, c.Text, c.Reply, c.Lat, c.Lon}
}

func (o *open311Rows) Next() (Record, error) {
	if !o.dec.More() {
		return Record{}, io.EOF
	}
	o.n++
	var req open311Request
	if err := o.dec.Decode(&req); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
			// The array cannot be read past a syntax error.
			return Record{}, &i18n.Error{Msg: i18n.Msg("ingest.json", o.n, i18n.Verbatim(err.Error())), Err: err}
		}
		return Record{Row: o.n}, &Problem{Row: o.n, Reason: i18n.Msg("ingest.request", i18n.Verbatim(err.Error()))}
	}
	c := open311Columns
	f := map[string]string{
		c.ID: req.ID, c.Unit: req.Agency, c.Received: req.Requested, c.Kind: req.ServiceName,
		c.Text: req.Description, c.Reply: req.StatusNotes, c.Lat: number(req.Lat), c.Lon: number(req.Long),
	}
	// Open311 knows open and closed only; closed requests were resolved
	// when last updated. Being handled shows in the extensions.
	switch strings.ToLower(req.Status) {
	case "closed":
		f[c.Status], f[c.Resolved] = "closed", req.Updated
	case "open":
		f[c.Status] = "open"
	default:
		f[c.Status] = req.Status
	}
	if x := req.ExtendedAttribute; x != nil {
		f[c.Title] = x.Title
		if f[c.Status] == "open" && (strings.EqualFold(x.DetailedStatus, "IN_PROCESS") || len(x.Tasks) > 0) {
			f[c.Status] = "in_progress"
		}
		// The first task is the first time the city acted on the request.
		var first time.Time
		for _, t := range x.Tasks {
			if at, err := time.Parse(time.RFC3339, t.Created); err == nil && (first.IsZero() || at.Before(first)) {
				first = at
			}
		}
		if !first.IsZero() {
			f[c.FirstResponse] = first.Format(time.RFC3339)
		}
	}
	return Record{Row: o.n, Fields: f}, nil
}

// number reads a coordinate given as a JSON number or string; the
// converter says what is wrong with one that is not a number.
func number(raw json.RawMessage) string {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "null" {
		return ""
	}
	return s
}

// Open311 servers answer at most 90 days at a time.
const open311Window = 90 * 24 * time.Hour

// polledRows reads the requests of an Open311 server window by window,
// from since to until, with Helsinki's extensions, as one stream.
type polledRows struct {
	ctx         context.Context
	client      *http.Client
	base        *url.URL
	from, until time.Time
	current     *open311Rows
	body        io.Closer
	n           int
}

// PollOpen311 returns the requests an Open311 server has between since and
// until. base is the requests endpoint, e.g.
// https://palautteet.hel.fi/open311/v2/requests.json.
func PollOpen311(ctx context.Context, client *http.Client, base string, since, until time.Time) (Rows, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%q is not an http(s) URL", base)
	}
	if !since.Before(until) {
		return nil, fmt.Errorf("since %s is not before %s", since.Format(time.DateOnly), until.Format(time.DateOnly))
	}
	return &polledRows{ctx: ctx, client: client, base: u, from: since, until: until}, nil
}

func (p *polledRows) Columns() []string { return (&open311Rows{}).Columns() }

func (p *polledRows) Next() (Record, error) {
	for {
		if p.current != nil {
			rec, err := p.current.Next()
			if !errors.Is(err, io.EOF) {
				p.n++
				rec.Row = p.n
				if pr, ok := err.(*Problem); ok {
					pr.Row = p.n
				}
				return rec, err
			}
			p.body.Close()
			p.current = nil
		}
		if !p.from.Before(p.until) {
			return Record{}, io.EOF
		}
		if err := p.fetch(); err != nil {
			return Record{}, err
		}
	}
}

// fetch asks for the next window.
func (p *polledRows) fetch() error {
	to := p.from.Add(open311Window)
	if to.After(p.until) {
		to = p.until
	}
	u := *p.base
	q := u.Query()
	q.Set("start_date", p.from.UTC().Format(time.RFC3339))
	q.Set("end_date", to.UTC().Format(time.RFC3339))
	q.Set("extensions", "true")
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(p.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("fetch %s: %s", u.Redacted(), resp.Status)
	}
	rows, err := ReadOpen311(resp.Body)
	if err != nil {
		resp.Body.Close()
		return fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	p.current, p.body, p.from = rows.(*open311Rows), resp.Body, to
	return nil
}
