package ingest

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// Profile describes one source system's export: which column holds what,
// and what its names for channels, units, statuses and kinds mean here.
type Profile struct {
	Name string `yaml:"-"`
	// Source keys the rows with their ids: (source, source_id) is unique,
	// so a second import of the same rows updates them.
	Source string `yaml:"source"`
	// Format is csv, xlsx or open311; empty means by the file's extension.
	Format string `yaml:"format"`
	Sheet  string `yaml:"sheet"` // of a workbook; the first when empty
	// Columns name the file's columns. ID, Received and Text are needed;
	// the others may be left out, with defaults below.
	Columns Columns `yaml:"columns"`
	// Defaults for what the file does not say: the channel (Open311 never
	// does), the unit, the status and the kind.
	Channel string `yaml:"channel"`
	Unit    string `yaml:"unit"`
	Status  string `yaml:"status"`
	Kind    string `yaml:"kind"`
	// Aliases map a code to the names the source system uses for it;
	// matching ignores case and surrounding space. A code matches itself.
	Channels map[string][]string `yaml:"channels"`
	Units    map[string][]string `yaml:"units"`
	Statuses map[string][]string `yaml:"statuses"`
	Kinds    map[string][]string `yaml:"kinds"`
}

// Columns are the file's column names for each field.
type Columns struct {
	ID            string `yaml:"id"`
	Channel       string `yaml:"channel"`
	Platform      string `yaml:"platform"`
	Unit          string `yaml:"unit"`
	Received      string `yaml:"received"`
	FirstResponse string `yaml:"first_response"`
	Resolved      string `yaml:"resolved"`
	Status        string `yaml:"status"`
	Kind          string `yaml:"kind"`
	Title         string `yaml:"title"`
	Text          string `yaml:"text"`
	Reply         string `yaml:"reply"`
	Lat           string `yaml:"lat"`
	Lon           string `yaml:"lon"`
}

//go:embed profiles/*.yaml
var builtin embed.FS

// Profiles lists the built-in profiles by name.
func Profiles() []string {
	names, _ := fs.Glob(builtin, "profiles/*.yaml")
	var out []string
	for _, n := range names {
		out = append(out, strings.TrimSuffix(filepath.Base(n), ".yaml"))
	}
	return out
}

// LoadProfile reads a built-in profile by name, or a YAML file by path.
func LoadProfile(nameOrPath string) (*Profile, error) {
	var data []byte
	var err error
	name := nameOrPath
	if slices.Contains(Profiles(), nameOrPath) {
		data, err = builtin.ReadFile("profiles/" + nameOrPath + ".yaml")
	} else {
		data, err = os.ReadFile(nameOrPath)
		name = strings.TrimSuffix(filepath.Base(nameOrPath), filepath.Ext(nameOrPath))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("profile %q: no such file, and no built-in profile of that name (built-in: %s)",
				nameOrPath, strings.Join(Profiles(), ", "))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", nameOrPath, err)
	}
	var p Profile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile %s: %w", nameOrPath, err)
	}
	p.Name = name
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", nameOrPath, err)
	}
	return &p, nil
}

func (p *Profile) validate() error {
	if p.Source == "" || strings.ContainsAny(p.Source, " \t") {
		return errors.New("source: give the source system a name without spaces; it keys the rows")
	}
	if !slices.Contains([]string{"", "csv", "xlsx", "open311"}, p.Format) {
		return fmt.Errorf("format %q: csv, xlsx or open311", p.Format)
	}
	if p.Format == "open311" {
		p.Columns = open311Columns // Open311 names its own fields
		return nil
	}
	var missing []string
	for name, col := range map[string]string{"id": p.Columns.ID, "received": p.Columns.Received, "text": p.Columns.Text} {
		if col == "" {
			missing = append(missing, "columns."+name)
		}
	}
	if p.Columns.Channel == "" && p.Channel == "" {
		missing = append(missing, "columns.channel or channel")
	}
	if p.Columns.Unit == "" && p.Unit == "" {
		missing = append(missing, "columns.unit or unit")
	}
	if p.Columns.Kind == "" && p.Kind == "" {
		missing = append(missing, "columns.kind or kind")
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// aliases turns a code → names map into a lookup from the lower-cased
// name (and the code itself) to the code.
func aliases(m map[string][]string) map[string]string {
	out := map[string]string{}
	for code, names := range m {
		out[strings.ToLower(code)] = code
		for _, n := range names {
			out[strings.ToLower(strings.TrimSpace(n))] = code
		}
	}
	return out
}

// suits says whether the profile is meant for kind: open311 needs an
// Open311 profile, feedback one of the others.
func (p *Profile) suits(kind string) error {
	switch {
	case kind != "feedback" && kind != "open311":
		return &Problem{Reason: i18n.Msg("ingest.kind", kind)}
	case p == nil:
		return &Problem{Reason: i18n.Msg("ingest.kind.profile", kind)}
	case (kind == "open311") != (p.Format == "open311"):
		return &Problem{Reason: i18n.Msg("ingest.profile.kind", p.Name, kind)}
	}
	return nil
}

// Read returns the rows of a file in the profile's format, or, when the
// profile does not say, the format its name's extension says.
func (p *Profile) Read(r io.Reader, name string) (Rows, error) {
	format := p.Format
	if format == "" && strings.EqualFold(filepath.Ext(name), ".json") {
		format = "open311"
	}
	switch format {
	case "open311":
		if p.Format != "open311" {
			return nil, &Problem{Reason: i18n.Msg("ingest.json.profile", name)}
		}
		return ReadOpen311(r)
	case "xlsx":
		return ReadXLSX(r, p.Sheet)
	case "csv":
		return ReadCSV(r)
	}
	return ReadFile(r, name)
}

// ReadFile returns the rows of a CSV file or, when name ends in .xlsx, of
// a workbook's first sheet.
func ReadFile(r io.Reader, name string) (Rows, error) {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return ReadXLSX(r, "")
	}
	return ReadCSV(r)
}
