package pglocal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// serverAccount is the OS user the server runs as when luukku runs as root:
// initdb and postgres refuse to run as root.
type serverAccount struct {
	name   string
	uid    uint32
	gid    uint32
	groups []uint32 // supplementary groups, so that the server gets them and root's are dropped
}

// serverUser returns the account to run the server as, or nil when the
// current user can run it directly.
func serverUser() (*serverAccount, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	var unknown user.UnknownUserError
	if errors.As(err, &unknown) {
		return nil, errors.New("running as root, but there is no postgres OS user to run PostgreSQL as " +
			"(PostgreSQL refuses to run as root): install Debian's postgresql package, which creates it, " +
			"or run luukku as an ordinary user")
	}
	if err != nil {
		return nil, fmt.Errorf("look up the postgres OS user: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("uid of the postgres OS user: %w", err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("gid of the postgres OS user: %w", err)
	}
	a := &serverAccount{name: u.Username, uid: uint32(uid), gid: uint32(gid)}
	ids, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("groups of the postgres OS user: %w", err)
	}
	for _, s := range ids {
		g, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("groups of the postgres OS user: %w", err)
		}
		a.groups = append(a.groups, uint32(g))
	}
	return a, nil
}

// credential is what the child processes run with; nil keeps our own.
func (a *serverAccount) credential() *syscall.Credential {
	if a == nil {
		return nil
	}
	return &syscall.Credential{Uid: a.uid, Gid: a.gid, Groups: a.groups}
}

// chown hands paths to the account. Without an account everything already
// belongs to the user that runs the server.
func (a *serverAccount) chown(paths ...string) error {
	if a == nil {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, int(a.uid), int(a.gid)); err != nil {
			return fmt.Errorf("hand %s to the %s user: %w", p, a.name, err)
		}
	}
	return nil
}

// ErrUnreachable means the OS user that runs PostgreSQL cannot get to the
// cluster's directory.
var ErrUnreachable = errors.New("data directory out of the server's reach")

// checkReachable makes sure the account can get through every parent of
// dir, which must be absolute; dir itself is handed to the account later.
// Root reaches everything, so a data directory in a clone under
// /root works for luukku itself and only fails later inside initdb with a
// message that does not say what to do.
func (a *serverAccount) checkReachable(dir string) error {
	if a == nil {
		return nil
	}
	var chain []string
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		chain = append(chain, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	slices.Reverse(chain)
	for _, p := range chain {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			// Created later by us, for the account.
			return nil
		}
		if err != nil {
			return fmt.Errorf("check access to %s: %w", p, err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		if !a.canSearch(fi.Mode(), st.Uid, st.Gid) {
			return fmt.Errorf("%w: PostgreSQL runs as the %s user, which cannot reach %s: directory %s (mode %04o, owner uid %d) "+
				"is not searchable by it; pass a data directory elsewhere, e.g. --data /var/lib/luukku or LUUKKU_DATA=/var/tmp/luukku",
				ErrUnreachable, a.name, dir, p, uint32(fi.Mode().Perm()), st.Uid)
		}
	}
	return nil
}

// canSearch applies the permission bits the way the kernel does: only the
// first class that matches (owner, group, other) counts.
func (a *serverAccount) canSearch(mode fs.FileMode, uid, gid uint32) bool {
	if !mode.IsDir() {
		return false
	}
	switch {
	case uid == a.uid:
		return mode&0o100 != 0
	case gid == a.gid || slices.Contains(a.groups, gid):
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}
