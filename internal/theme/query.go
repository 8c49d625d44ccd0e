package theme

import (
	"bytes"
	"fmt"
	"slices"
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

// stem is word's stem in lang.
func (c *stemCache) stem(lang, word string) string {
	m := c.of(lang)
	if s, ok := m.m.Load(word); ok {
		return s.(string)
	}
	s := stem(lang, word)
	if m.n.Load() < maxStems {
		m.n.Add(1)
		m.m.Store(word, s)
	}
	return s
}

// vocabulary is the words of a set's rules in one language, each numbered
// once, their stems in a trie: each word of a text walks it once, and the
// rules then ask only which numbers were found. (A binary search among a
// text's stems for each word of each rule was most of converting a row.)
type vocabulary struct {
	root  trie
	infix []infixWord
	count int
}

// trie is a node of a vocabulary's stems; exact and prefix number the
// word and the word:* that end here, from 1 (0 is none).
type trie struct {
	next          []byte // the first byte of each of kids
	kids          []*trie
	exact, prefix int
}

// infixWord is a *word, matched against the words as they are.
type infixWord struct {
	word string
	n    int
}

// number gives each word of n its number in v.
func (v *vocabulary) number(n *node) {
	if n.op != 'w' {
		for _, k := range n.kids {
			v.number(k)
		}
		return
	}
	if n.infix {
		i := slices.IndexFunc(v.infix, func(w infixWord) bool { return w.word == n.word })
		if i < 0 {
			i = len(v.infix)
			v.infix = append(v.infix, infixWord{n.word, v.count})
			v.count++
		}
		n.term = v.infix[i].n
		return
	}
	t := &v.root
	for i := range len(n.word) {
		j := bytes.IndexByte(t.next, n.word[i])
		if j < 0 {
			j = len(t.kids)
			t.next, t.kids = append(t.next, n.word[i]), append(t.kids, &trie{})
		}
		t = t.kids[j]
	}
	end := &t.exact
	if n.prefix {
		end = &t.prefix
	}
	if *end == 0 {
		v.count++
		*end = v.count
	}
	n.term = *end - 1
}

// found says, by number, which of v's words the text's words ws meet,
// stemmed in lang.
func (v *vocabulary) found(c *stemCache, lang string, ws []string) []bool {
	found := make([]bool, v.count)
	for _, w := range ws {
		s := c.stem(lang, w)
		t := &v.root
		for i := 0; t != nil && i < len(s); i++ {
			j := bytes.IndexByte(t.next, s[i])
			if j < 0 {
				t = nil
				break
			}
			t = t.kids[j]
			if t.prefix > 0 {
				found[t.prefix-1] = true
			}
		}
		if t != nil && t.exact > 0 {
			found[t.exact-1] = true
		}
	}
	for _, in := range v.infix {
		found[in.n] = slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, in.word) })
	}
	return found
}

// node is a parsed query.
type node struct {
	op     byte // 'w' word, '&', '|', '!'
	word   string
	prefix bool // word:*
	infix  bool // *word, matched against the words as they are
	term   int  // a word's number in its language's vocabulary
	kids   []*node
}

// match says whether the query holds for a text that has the words
// found, by their numbers in the vocabulary.
func (n *node) match(found []bool) bool {
	switch n.op {
	case 'w':
		return found[n.term]
	case '!':
		return !n.kids[0].match(found)
	case '&':
		for _, k := range n.kids {
			if !k.match(found) {
				return false
			}
		}
		return true
	}
	for _, k := range n.kids {
		if k.match(found) {
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
