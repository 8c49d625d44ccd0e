package overlay

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestOverlay(t *testing.T) {
	base := fstest.MapFS{"a.sql": {Data: []byte("base a")}, "b.sql": {Data: []byte("base b")}}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "b.sql"), []byte("top b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.sql"), []byte("top c"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		fsys     fs.FS
		wantData map[string]string
		wantPath map[string]string
	}{
		{"no directory", New(base, ""),
			map[string]string{"a.sql": "base a", "b.sql": "base b"},
			map[string]string{"a.sql": "a.sql", "b.sql": "b.sql"}},
		{"missing directory", New(base, filepath.Join(dir, "nope")),
			map[string]string{"a.sql": "base a", "b.sql": "base b"},
			map[string]string{"b.sql": "b.sql"}},
		{"directory", New(base, dir),
			map[string]string{"a.sql": "base a", "b.sql": "top b", "c.sql": "top c"},
			map[string]string{"a.sql": "a.sql", "b.sql": filepath.Join(dir, "b.sql"), "c.sql": filepath.Join(dir, "c.sql")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			names, err := fs.Glob(tc.fsys, "*.sql")
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != len(tc.wantData) {
				t.Errorf("files %v, want %d", names, len(tc.wantData))
			}
			for _, n := range names {
				data, err := fs.ReadFile(tc.fsys, n)
				if err != nil || string(data) != tc.wantData[n] {
					t.Errorf("%s = %q, %v; want %q", n, data, err, tc.wantData[n])
				}
			}
			for n, want := range tc.wantPath {
				if got := Path(tc.fsys, n); got != want {
					t.Errorf("Path(%s) = %q, want %q", n, got, want)
				}
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	fp := func() string {
		t.Helper()
		s, err := Fingerprint(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	empty := fp()
	file := filepath.Join(dir, "q", "a.sql")
	os.MkdirAll(filepath.Dir(file), 0o755)
	os.WriteFile(file, []byte("SELECT 1"), 0o644)
	one := fp()
	if one == empty {
		t.Error("a new file did not change the fingerprint")
	}
	if fp() != one {
		t.Error("the fingerprint changed with nothing changed")
	}
	info, _ := os.Stat(file)
	os.WriteFile(file, []byte("SELECT 2"), 0o644) // same size
	os.Chtimes(file, info.ModTime(), info.ModTime())
	if fp() == one {
		t.Error("an edit that kept size and time did not change the fingerprint")
	}
	if s, err := Fingerprint(filepath.Join(dir, "nope")); err != nil || s == "" {
		t.Errorf("missing directory: %q, %v", s, err)
	}
	if s, err := Fingerprint(""); err != nil || s != "" {
		t.Errorf("no directory: %q, %v", s, err)
	}
}
