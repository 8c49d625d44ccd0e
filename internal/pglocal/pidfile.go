package pglocal

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// pidFile is what the postmaster writes into the data directory while it
// runs. Its first line is the pid and its fourth the port.
type pidFile struct {
	pid  int
	port int
}

func parsePIDFile(b []byte) (pidFile, error) {
	lines := strings.Split(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return pidFile{}, fmt.Errorf("bad pid line %q", lines[0])
	}
	// A standalone backend writes its pid negated.
	pf := pidFile{pid: max(pid, -pid)}
	if len(lines) > 3 {
		pf.port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	return pf, nil
}

// postmasterOf reports whether pid is a live postmaster serving dataDir. It
// is stricter than "pg_ctl status", which takes any live pid for a running
// server: after a crash and a reboot the pid is often reused by some other
// process, and the postmaster refuses to start while that process lives.
// The reason says what was found instead.
func postmasterOf(pid int, dataDir string) (ok bool, reason string) {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false, fmt.Sprintf("process %d is not running", pid)
	}
	// Only the postmaster keeps its real argv; its children rewrite it
	// into "postgres: ..." titles, and zombies have none.
	argv0, _, _ := bytes.Cut(cmdline, []byte{0})
	if name := filepath.Base(string(argv0)); name != "postgres" && name != "postmaster" {
		return false, fmt.Sprintf("process %d is %q, not a postmaster", pid, string(argv0))
	}
	data, err := os.Stat(dataDir)
	if err != nil {
		return false, fmt.Sprintf("data directory: %v", err)
	}
	// A postmaster runs as the owner of its data directory, and works
	// inside it. Either tells apart the system cluster's postmaster, which
	// may well have got the same pid after a reboot.
	if proc, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil && owner(proc) != owner(data) {
		return false, fmt.Sprintf("process %d is a postmaster of another user", pid)
	}
	cwd, err := os.Stat(fmt.Sprintf("/proc/%d/cwd", pid))
	if err != nil {
		// Not allowed to look, but it is a postgres of the right user: trust
		// it. The postmaster has its own interlock if this guess is wrong.
		return true, ""
	}
	if !os.SameFile(cwd, data) {
		return false, fmt.Sprintf("process %d is a postmaster for another data directory", pid)
	}
	return true, ""
}

func owner(fi os.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Uid)
	}
	return -1
}

// runningServer looks for a server left running on the data directory by
// an earlier run, for example one killed with SIGKILL before it could stop
// the server. It returns the server's pid file when there is one. A stale
// pid file is removed, with the socket lock files that would stop the new
// postmaster just the same.
func (c *Cluster) runningServer() (pf pidFile, running bool, err error) {
	path := filepath.Join(c.dataDir(), "postmaster.pid")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return pidFile{}, false, nil
	}
	if err != nil {
		return pidFile{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	pf, perr := parsePIDFile(b)
	reason := "unreadable"
	if perr == nil {
		var ok bool
		if ok, reason = postmasterOf(pf.pid, c.dataDir()); ok {
			return pf, true, nil
		}
	}
	c.log.Warn("removing stale postmaster.pid", "file", path, "reason", reason)
	if err := os.Remove(path); err != nil {
		return pidFile{}, false, fmt.Errorf("remove stale pid file: %w", err)
	}
	locks, err := filepath.Glob(filepath.Join(c.runDir(), ".s.PGSQL.*"))
	if err != nil {
		return pidFile{}, false, fmt.Errorf("look for stale sockets: %w", err)
	}
	for _, l := range locks {
		if err := os.Remove(l); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return pidFile{}, false, fmt.Errorf("remove stale socket: %w", err)
		}
		c.log.Warn("removed stale socket file", "file", l)
	}
	return pidFile{}, false, nil
}
