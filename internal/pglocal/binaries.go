package pglocal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ErrNoServer means no PostgreSQL server binaries were found on this machine.
var ErrNoServer = errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: " +
	"install Debian's postgresql package (apt-get install postgresql) or put initdb, pg_ctl and postgres in PATH")

// debianLibDir is where Debian's postgresql-NN packages install the server,
// one bin directory per major version. Their binaries are not in PATH.
const debianLibDir = "/usr/lib/postgresql"

// serverProgs must all sit in one directory: pg_ctl looks for postgres next
// to itself, so a PATH that has them scattered does not work.
var serverProgs = []string{"initdb", "pg_ctl", "postgres"}

// FindBinaries returns the directory holding initdb, pg_ctl and postgres. It
// looks in PATH first and then in /usr/lib/postgresql/*/bin, highest major
// version first.
func FindBinaries() (binDir string, err error) {
	return findBinaries(os.Getenv("PATH"), debianLibDir)
}

func findBinaries(path, libDir string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		if hasServer(dir) {
			return dir, nil
		}
	}
	dirs, err := versionDirs(libDir)
	if err != nil {
		return "", err
	}
	for _, dir := range dirs {
		if hasServer(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w (looked in PATH and %s)", ErrNoServer, filepath.Join(libDir, "*", "bin"))
}

// versionDirs returns libDir/*/bin ordered by version, highest first. The
// order is numeric so that 15 beats 9.6.
func versionDirs(libDir string) ([]string, error) {
	entries, err := os.ReadDir(libDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look for PostgreSQL versions: %w", err)
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() && parseVersion(e.Name()) != nil {
			versions = append(versions, e.Name())
		}
	}
	slices.SortFunc(versions, func(a, b string) int {
		return slices.Compare(parseVersion(b), parseVersion(a))
	})
	dirs := make([]string, len(versions))
	for i, v := range versions {
		dirs[i] = filepath.Join(libDir, v, "bin")
	}
	return dirs, nil
}

// parseVersion splits "9.6" into [9 6]; nil when s is not a version.
func parseVersion(s string) []int {
	var v []int
	for f := range strings.SplitSeq(s, ".") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil
		}
		v = append(v, n)
	}
	return v
}

func hasServer(dir string) bool {
	for _, p := range serverProgs {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// majorVersion turns the output of "pg_ctl --version" into the major
// version as PG_VERSION in a data directory spells it: "15", or "9.6" for
// the old two-part majors.
func majorVersion(out string) (string, error) {
	m := versionRE.FindStringSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("unrecognised version output %q", strings.TrimSpace(out))
	}
	if n, _ := strconv.Atoi(m[1]); n < 10 && m[2] != "" {
		return m[1] + "." + m[2], nil
	}
	return m[1], nil
}

// binariesFor returns a directory whose server can open the data directory
// of major version want. A data directory only works with the major version
// that created it, and after a Debian upgrade the newest server found first
// may not be that one while the old one is still installed.
func (c *Cluster) binariesFor(ctx context.Context, found, want string) (string, error) {
	out, err := c.command(ctx, found, "pg_ctl", "--version").Output()
	if err != nil {
		return "", fmt.Errorf("run %s: %w", filepath.Join(found, "pg_ctl"), err)
	}
	have, err := majorVersion(string(out))
	if err != nil {
		return "", fmt.Errorf("version of %s: %w", found, err)
	}
	if have == want {
		return found, nil
	}
	if alt := filepath.Join(debianLibDir, want, "bin"); hasServer(alt) {
		c.log.Info("using the PostgreSQL version the cluster was created with", "version", want, "bin", alt)
		return alt, nil
	}
	return "", fmt.Errorf("the cluster in %s was created by PostgreSQL %s, but the server in %s is PostgreSQL %s: "+
		"install postgresql-%s, or upgrade the cluster with pg_upgrade", c.dataDir(), want, found, have, want)
}
