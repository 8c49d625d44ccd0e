package static

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{
		"":                    false,
		"gzip":                true,
		"br, gzip, deflate":   true,
		"gzip;q=0":            false,
		"gzip; q=0.5":         true,
		"deflate, gzip;q=0.0": false,
		"identity":            false,
		"x-gzip":              false,
	}
	for header, want := range tests {
		if got := AcceptsGzip(header); got != want {
			t.Errorf("AcceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestServe(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/{hash}/{path...}", a)
	url := a.URL("app.js")
	if !strings.HasPrefix(url, "/static/") || !strings.HasSuffix(url, "/app.js") {
		t.Fatalf("URL = %q", url)
	}
	tests := []struct {
		path, cache string
		status      int
	}{
		{url, "immutable", 200},
		{"/static/0123456789ab/app.js", "no-cache", 200},
		{"/static/x/nothing.js", "", 404},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		if rec.Code != tt.status || !strings.Contains(rec.Header().Get("Cache-Control"), tt.cache) {
			t.Errorf("GET %s = %d, Cache-Control %q", tt.path, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	hash := strings.Split(url, "/")[2]
	for _, tt := range []struct {
		ifNoneMatch, encoding string
		want                  int
	}{
		{`"` + hash + `"`, "", http.StatusNotModified},
		{`"other", W/"` + hash + `"`, "", http.StatusNotModified},
		{`"` + hash + `"`, "gzip", http.StatusOK}, // the gzip bytes have their own tag
		{`"` + hash + `-gz"`, "gzip", http.StatusNotModified},
	} {
		req := httptest.NewRequest("GET", url, nil)
		req.Header.Set("If-None-Match", tt.ifNoneMatch)
		req.Header.Set("Accept-Encoding", tt.encoding)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("If-None-Match %s, Accept-Encoding %q = %d, want %d", tt.ifNoneMatch, tt.encoding, rec.Code, tt.want)
		}
	}
}
