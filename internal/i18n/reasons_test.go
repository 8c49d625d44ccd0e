package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// verbs maps each argument a format uses (by its index) to the verbs that
// use it, as fmt counts them: %[n]v sets the argument, a * width or
// precision takes one.
func verbs(format string) (map[int]string, error) {
	out := map[int]string{}
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		index := func() error {
			if i >= len(format) || format[i] != '[' {
				return nil
			}
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return fmt.Errorf("unclosed [ in %q", format)
			}
			n, err := strconv.Atoi(format[i+1 : i+end])
			if err != nil || n < 1 {
				return fmt.Errorf("bad argument index in %q", format)
			}
			arg, i = n-1, i+end+1
			return nil
		}
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		for _, part := range []string{"width", "precision"} {
			if part == "precision" {
				if i >= len(format) || format[i] != '.' {
					break
				}
				i++
			}
			if err := index(); err != nil {
				return nil, err
			}
			if i < len(format) && format[i] == '*' {
				out[arg] += "*"
				arg++
				i++
				continue
			}
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
		}
		if err := index(); err != nil {
			return nil, err
		}
		if i >= len(format) {
			return nil, fmt.Errorf("%q ends inside a verb", format)
		}
		out[arg] += string(format[i])
		arg++
	}
	return out, nil
}

func TestVerbs(t *testing.T) {
	tests := []struct {
		format string
		want   map[int]string
	}{
		{"no verbs, 100 %%", map[int]string{}},
		{"row %d, column %s: %s", map[int]string{0: "d", 1: "s", 2: "s"}},
		{"%.4f, %.4f", map[int]string{0: "f", 1: "f"}},
		{"%[2]s before %[1]q, then %[3]q", map[int]string{0: "q", 1: "s", 2: "q"}},
		{"%[2]s then %s", map[int]string{1: "s", 2: "s"}},
		{"%*d", map[int]string{0: "*", 1: "d"}},
	}
	for _, tt := range tests {
		got, err := verbs(tt.format)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("verbs(%q) = %v, %v; want %v", tt.format, got, err, tt.want)
		}
	}
}

// Every reason is there in the three languages, and each language's format
// uses the same arguments with the same verbs: a translation can reorder
// them but never drop, add or misread one.
func TestEveryReasonHasAllLanguagesAndTheSameVerbs(t *testing.T) {
	for key, f := range reasons {
		langs := []struct {
			lang   Lang
			format string
		}{{Finnish, f.fi}, {Swedish, f.sv}, {English, f.en}}
		en, err := verbs(f.en)
		if err != nil {
			t.Errorf("%s en: %v", key, err)
			continue
		}
		for _, l := range langs {
			if strings.TrimSpace(l.format) == "" {
				t.Errorf("%s has no %s text", key, l.lang)
				continue
			}
			got, err := verbs(l.format)
			if err != nil {
				t.Errorf("%s %s: %v", key, l.lang, err)
				continue
			}
			if fmt.Sprint(got) != fmt.Sprint(en) {
				t.Errorf("%s: %s uses the arguments as %v, English as %v", key, l.lang, got, en)
			}
		}
		if f.fi == f.en || f.sv == f.en {
			t.Errorf("%s: a text is left in English", key)
		}
	}
}

// Every key the code names has texts, and every text is named somewhere:
// a typo would show a bare key to the user, and a text nobody uses would
// be left untranslated the next time it is needed. Keys are written out
// whole in the code, never pieced together, so that this test sees them.
func TestEveryKeyUsedHasTextsAndEveryTextIsUsed(t *testing.T) {
	prefixes := map[string]bool{}
	for key := range reasons {
		prefix, _, _ := strings.Cut(key, ".")
		prefixes[prefix] = true
	}
	var alternatives []string
	for p := range prefixes {
		alternatives = append(alternatives, regexp.QuoteMeta(p))
	}
	slices.Sort(alternatives)
	literal := regexp.MustCompile(`"((?:` + strings.Join(alternatives, "|") + `)\.[a-z0-9_.]+)"`)
	root := filepath.Join("..", "..")
	used := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if filepath.Base(path) == "reasons.go" && filepath.Base(filepath.Dir(path)) == "i18n" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
			if _, ok := reasons[m[1]]; !ok {
				t.Errorf("%s: %q has no texts", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range reasons {
		if !used[key] {
			t.Errorf("%q is not used anywhere", key)
		}
	}
}

func TestMessage(t *testing.T) {
	place := Msg("ingest.cell", 12, "vastaanotettu", Msg("ingest.time", "31.2.2026"))
	tests := []struct {
		m    Message
		lang Lang
		want string
	}{
		{place, Finnish, `rivi 12, sarake vastaanotettu: "31.2.2026" ei ole aika (23.11.2026 14.05 tai 2026-11-23T14:05:00+02:00)`},
		{place, Swedish, `rad 12, kolumn vastaanotettu: "31.2.2026" är ingen tidpunkt (23.11.2026 14.05 eller 2026-11-23T14:05:00+02:00)`},
		{place, English, `row 12, column vastaanotettu: "31.2.2026" is not a time (23.11.2026 14:05 or 2026-11-23T14:05:00+02:00)`},
		{Msg("ingest.columns.profile", []string{"Kanava"}, "p", []string{"a", "b"}), Finnish,
			`tiedostosta puuttuu sarakkeita, jotka profiili p nimeää: ["Kanava"] (tiedoston sarakkeet: ["a" "b"])`},
		{Msg("ingest.csv", Verbatim(`bare " in non-quoted-field`)), Swedish, `ogiltig CSV: bare " in non-quoted-field`},
		{Msg("no.such.key", 1, "x"), Finnish, "no.such.key[1 x]"},
	}
	for _, tt := range tests {
		if got := tt.m.In(tt.lang); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.m.Key, tt.lang, got, tt.want)
		}
	}
	if got := place.String(); got != place.In(English) {
		t.Errorf("String() = %q", got)
	}
	if got := Swedish.Reason("auth.password", 12); got != "lösenordet måste ha minst 12 tecken" {
		t.Errorf("Reason = %q", got)
	}
}

func TestError(t *testing.T) {
	sentinel := errors.New("sentinel")
	err := fmt.Errorf("context: %w", &Error{Msg: Msg("auth.taken.name", "maija"), Err: sentinel})
	if !errors.Is(err, sentinel) {
		t.Error("the sentinel is lost")
	}
	if err.Error() != "context: username is taken: maija" {
		t.Errorf("Error() = %q", err)
	}
	if got := Finnish.Explain(err); got != "käyttäjätunnus maija on jo käytössä" {
		t.Errorf("Finnish.Explain = %q", got)
	}
	if got := Swedish.Explain(errors.New("plain")); got != "plain" {
		t.Errorf("an error without a message: %q", got)
	}
	if _, ok := MessageOf(nil); ok {
		t.Error("nil has a message")
	}
}
