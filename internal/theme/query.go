package theme

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/swedish"
)

// A rule is a full-text query in PostgreSQL's to_tsquery syntax: words
// joined by & (and), | (or) and ! (not), with parentheses, and word:* for
// any word that begins so. As in PostgreSQL's finnish, swedish and english
// configurations, both the text and the query's words are reduced to
// their Snowball stems, so that "katuvalot", "katuvalo" and
// "katuvalaistus" all meet "katuval:*". One addition for Finnish and
// Swedish compounds, which PostgreSQL does not split: *word matches any
// word that contains it ("*puisto" finds Keskuspuistossa and koirapuisto).

// stemmers are the Snowball stemmers PostgreSQL's configurations use.
var stemmers = map[string]func(*snowball.Env) bool{
	"fi": finnish.Stem, "sv": swedish.Stem, "en": english.Stem,
}

func stem(lang, word string) string {
	env := snowball.NewEnv(word)
	stemmers[lang](env)
	return env.Current()
}

// words splits text into lower-case words as PostgreSQL's parser does for
// plain words: runs of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// lexemes are a text's stems in one language, sorted for prefix search,
// and its words as they are, for compounds.
type lexemes struct {
	stems []string
	words []string
}

// stemCache remembers stems: feedback repeats a small vocabulary, and
// stemming is most of classifying. It is safe for concurrent use and
// stops growing at maxStems words per language.
type stemCache struct {
	fi, sv, en stemMap
}

type stemMap struct {
	m sync.Map // word → stem
	n atomic.Int64
}

const maxStems = 100_000

func (c *stemCache) of(lang string) *stemMap {
	switch lang {
	case "sv":
		return &c.sv
	case "en":
		return &c.en
	}
	return &c.fi
}

func (c *stemCache) lexemes(lang string, ws []string) lexemes {
	m := c.of(lang)
	l := lexemes{words: ws, stems: make([]string, 0, len(ws))}
	for _, w := range ws {
		s, ok := m.m.Load(w)
		if !ok {
			s = stem(lang, w)
			if m.n.Load() < maxStems {
				m.n.Add(1)
				m.m.Store(w, s)
			}
		}
		l.stems = append(l.stems, s.(string))
	}
	sort.Strings(l.stems)
	l.stems = slices.Compact(l.stems)
	return l
}

func (l lexemes) has(n *node) bool {
	if n.infix {
		return slices.ContainsFunc(l.words, func(w string) bool { return strings.Contains(w, n.word) })
	}
	i := sort.SearchStrings(l.stems, n.word)
	if i == len(l.stems) {
		return false
	}
	if n.prefix {
		return strings.HasPrefix(l.stems[i], n.word)
	}
	return l.stems[i] == n.word
}

// node is a parsed query.
type node struct {
	op     byte // 'w' word, '&', '|', '!'
	word   string
	prefix bool // word:*
	infix  bool // *word, matched against the words as they are
	kids   []*node
}

func (n *node) match(l lexemes) bool {
	switch n.op {
	case 'w':
		return l.has(n)
	case '!':
		return !n.kids[0].match(l)
	case '&':
		for _, k := range n.kids {
			if !k.match(l) {
				return false
			}
		}
		return true
	}
	for _, k := range n.kids {
		if k.match(l) {
			return true
		}
	}
	return false
}

// parseQuery parses a rule for lang, stemming its words.
func parseQuery(lang, q string) (*node, error) {
	p := &queryParser{lang: lang, src: []rune(q)}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("unexpected %q at %d", string(p.src[p.pos]), p.pos+1)
	}
	return n, nil
}

type queryParser struct {
	lang string
	src  []rune
	pos  int
}

func (p *queryParser) space() {
	for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *queryParser) peek() rune {
	p.space()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *queryParser) or() (*node, error) {
	return p.list('|', p.and)
}

func (p *queryParser) and() (*node, error) {
	return p.list('&', p.not)
}

func (p *queryParser) list(op rune, next func() (*node, error)) (*node, error) {
	first, err := next()
	if err != nil {
		return nil, err
	}
	n := &node{op: byte(op), kids: []*node{first}}
	for p.peek() == op {
		p.pos++
		k, err := next()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	if len(n.kids) == 1 {
		return first, nil
	}
	return n, nil
}

func (p *queryParser) not() (*node, error) {
	switch p.peek() {
	case '!':
		p.pos++
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		return &node{op: '!', kids: []*node{k}}, nil
	case '(':
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ) at %d", p.pos+1)
		}
		p.pos++
		return n, nil
	}
	return p.word()
}

func (p *queryParser) word() (*node, error) {
	p.space()
	infix := p.pos < len(p.src) && p.src[p.pos] == '*'
	if infix {
		p.pos++
	}
	start := p.pos
	for p.pos < len(p.src) && (unicode.IsLetter(p.src[p.pos]) || unicode.IsDigit(p.src[p.pos])) {
		p.pos++
	}
	if p.pos == start {
		if p.pos == len(p.src) {
			return nil, fmt.Errorf("a word is missing at the end")
		}
		return nil, fmt.Errorf("a word is missing at %d", p.pos+1)
	}
	w := strings.ToLower(string(p.src[start:p.pos]))
	if infix {
		return &node{op: 'w', word: w, infix: true}, nil
	}
	n := &node{op: 'w', word: stem(p.lang, w)}
	if strings.HasPrefix(string(p.src[p.pos:]), ":*") {
		p.pos += 2
		n.prefix = true
	}
	return n, nil
}
