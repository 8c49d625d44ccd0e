// Package overlay lays a directory of files over an embedded default set:
// a file in the directory replaces the default of the same name, and new
// files add to the set. Dashboards and queries are loaded through it, so an
// installation can change them without rebuilding the binary.
package overlay

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FS is the embedded files with the directory's laid over them. It lists
// one flat directory, which is all that definitions need.
type FS struct {
	base fs.FS
	dir  string // "" = no overrides
	top  fs.FS
}

// New lays dir over base. An empty dir, or one that does not exist, adds
// nothing: an installation that overrides only dashboards need not create
// a queries directory.
func New(base fs.FS, dir string) *FS {
	o := &FS{base: base}
	if dir != "" {
		o.dir, o.top = dir, os.DirFS(dir)
	}
	return o
}

// Open opens name from the directory if it has it, else from the defaults.
func (o *FS) Open(name string) (fs.File, error) {
	if o.top != nil {
		f, err := o.top.Open(name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return o.base.Open(name)
}

// ReadDir lists both layers, one entry per name, sorted.
func (o *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.base, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if o.top != nil {
		top, err := fs.ReadDir(o.top, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range top {
			i := slices.IndexFunc(entries, func(b fs.DirEntry) bool { return b.Name() == e.Name() })
			if i >= 0 {
				entries[i] = e
			} else {
				entries = append(entries, e)
			}
		}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// Path names a file for messages: its path on disk when the directory
// supplies it, else its embedded name.
func (o *FS) Path(name string) string {
	if o.top != nil {
		if _, err := fs.Stat(o.top, name); err == nil {
			return filepath.Join(o.dir, filepath.FromSlash(name))
		}
	}
	return name
}

// Path names the file name of fsys for messages, as FS.Path does; for
// other file systems the name itself.
func Path(fsys fs.FS, name string) string {
	if p, ok := fsys.(interface{ Path(string) string }); ok {
		return p.Path(name)
	}
	return name
}

// Fingerprint hashes the names and contents of the directory's files, so
// that a watcher can tell when they change. Definition files are small;
// hashing them is cheaper than trusting modification times that an editor
// or a git checkout may preserve. It is "" when there is no directory.
func Fingerprint(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("scan %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
