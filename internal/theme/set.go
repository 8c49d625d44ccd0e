package theme

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed themes.yaml
var builtinThemes []byte

// Theme is one theme of feedback with its names and rules.
type Theme struct {
	Code     string
	Names    map[string]string // fi, sv, en
	Priority int
	Rules    map[string]string // language → query
	parsed   []rule            // in the order of languages
}

// rule is a theme's parsed query in one language.
type rule struct {
	lang int // the index in languages
	*node
}

// languages are the languages rules are written in.
var languages = [...]string{"fi", "sv", "en"}

// Set is the themes in use, ready to classify text. It is immutable and
// safe for concurrent use.
type Set struct {
	// Themes by priority, highest first, then by code.
	Themes []Theme
	stems  stemCache
	vocab  [len(languages)]vocabulary // the rules' words, by language
}

// File is where the themes of an installation live, inside its
// definitions directory.
const File = "themes.yaml"

// Load reads dir/themes.yaml when dir is given and has one, else the
// built-in themes.
func Load(dir string) (*Set, error) {
	data, name := builtinThemes, "themes.yaml (built in)"
	if dir != "" {
		path := filepath.Join(dir, File)
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			data, name = b, path
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
	}
	return Parse(name, data)
}

// Parse reads a themes file; name is for error messages.
func Parse(name string, data []byte) (*Set, error) {
	var raw yaml.Node
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(raw.Content) == 0 || raw.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a mapping from theme codes to themes is expected", name)
	}
	top := raw.Content[0]
	set := &Set{}
	var problems []string
	for i := 0; i < len(top.Content); i += 2 {
		key, val := top.Content[i], top.Content[i+1]
		var t struct {
			Names    map[string]string `yaml:"names"`
			Priority int               `yaml:"priority"`
			Fi, Sv   string
			En       string
		}
		if val.Kind == yaml.MappingNode {
			for j := 0; j < len(val.Content); j += 2 {
				if k := val.Content[j]; !slices.Contains([]string{"names", "priority", "fi", "sv", "en"}, k.Value) {
					problems = append(problems, fmt.Sprintf("%s:%d: theme %s: unknown field %q (names, priority, fi, sv, en)", name, k.Line, key.Value, k.Value))
				}
			}
		}
		if err := val.Decode(&t); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", name, val.Line, err))
			continue
		}
		th := Theme{Code: key.Value, Names: t.Names, Priority: t.Priority,
			Rules: map[string]string{"fi": t.Fi, "sv": t.Sv, "en": t.En}}
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s:%d: theme %s: %s", name, key.Line, th.Code, fmt.Sprintf(format, args...)))
		}
		if !validCode(th.Code) {
			bad("the code must be 1–60 characters a–z, 0–9 or _")
		}
		for i, l := range languages {
			if th.Names[l] == "" {
				bad("names.%s is missing", l)
			}
			if th.Rules[l] == "" {
				continue
			}
			n, err := parseQuery(l, th.Rules[l])
			if err != nil {
				bad("%s: %v", l, err)
				continue
			}
			set.vocab[i].number(n)
			th.parsed = append(th.parsed, rule{i, n})
		}
		if len(th.parsed) == 0 && len(problems) == 0 {
			bad("no rule in any language")
		}
		set.Themes = append(set.Themes, th)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	slices.SortStableFunc(set.Themes, func(a, b Theme) int {
		if a.Priority != b.Priority {
			return b.Priority - a.Priority
		}
		return strings.Compare(a.Code, b.Code)
	})
	return set, nil
}

func validCode(s string) bool {
	if len(s) == 0 || len(s) > 60 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// Classify returns the codes of the themes whose rules match text, the
// highest priority first. Each language's rule meets the text as that
// language's stemmer reads it, whatever language the text is in: a
// Swedish word in Finnish feedback still counts. The result is never nil.
func (s *Set) Classify(text string) []string {
	ws := words(text)
	found := []string{}
	if len(ws) == 0 {
		return found
	}
	// Which of each language's words the text has, found when a rule
	// first asks.
	var has [len(languages)][]bool
	for _, t := range s.Themes {
		for _, r := range t.parsed {
			if has[r.lang] == nil {
				has[r.lang] = s.vocab[r.lang].found(&s.stems, languages[r.lang], ws)
			}
			if r.match(has[r.lang]) {
				found = append(found, t.Code)
				break
			}
		}
	}
	return found
}
