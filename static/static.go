// Package static serves the embedded CSS, JavaScript and the vendored
// ECharts under content-hashed URLs that browsers may cache forever.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed app.css app.js present.js vendor/echarts.min.js
var embedded embed.FS

type file struct {
	body, gz []byte
	hash     string
	ctype    string
}

// Assets are the embedded files, hashed and compressed once at start.
type Assets struct {
	files map[string]*file
	build string
}

// Load reads, hashes and gzips every embedded file.
func Load() (*Assets, error) {
	a := &Assets{files: map[string]*file{}}
	err := fs.WalkDir(embedded, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := embedded.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		var gz bytes.Buffer
		zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[name] = &file{body: body, gz: gz.Bytes(), hash: hex.EncodeToString(sum[:6]), ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	names := slices.Sorted(maps.Keys(a.files))
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(a.files[n].hash))
	}
	a.build = hex.EncodeToString(h.Sum(nil)[:6])
	return a, nil
}

// Build names this set of files: it changes when any file does, so that a
// page left open for days can tell that the server now has new ones.
func (a *Assets) Build() string { return a.build }

// URL returns the content-hashed URL of an embedded file.
func (a *Assets) URL(name string) string {
	f, ok := a.files[name]
	if !ok {
		return "/static/missing/" + name
	}
	return "/static/" + f.hash + "/" + name
}

// ServeHTTP answers GET /static/{hash}/{path...}. A current hash is cached
// for a year; a stale one (a page from before a deploy) still gets the file,
// but uncached.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[r.PathValue("path")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.PathValue("hash") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	// The two encodings are different bytes, so they get different tags.
	body, etag := f.body, `"`+f.hash+`"`
	if AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body, etag = f.gz, `"`+f.hash+`-gz"`
	}
	h.Set("ETag", etag)
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// matchesETag reports whether an If-None-Match header lists etag, weakly
// compared as RFC 9110 asks.
func matchesETag(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// AcceptsGzip reports whether an Accept-Encoding header allows gzip, that
// is, names it without q=0.
func AcceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		q, found := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !found {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
