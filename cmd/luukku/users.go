package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
)

const usersUsage = `luukku users list
luukku users add USERNAME --role ROLE [--unit CODE,...] [--name "Full Name"] [--password-stdin]
luukku users set-role USERNAME ROLE
luukku users set-scope USERNAME [UNIT ...]
luukku users disable USERNAME | enable USERNAME
luukku users reset-password USERNAME [--password-stdin]

Roles: admin, executive (all units, read), unit_head and viewer (their units'
subtrees, read), display (screens). Without --password-stdin a random
password is made and printed once. Like serve, every verb takes --config,
--data and --database-url (see luukku serve --help).`

// usersConfig is what users is told, by flag, environment or config file.
type usersConfig struct {
	data                           *dataDir
	databaseURL, role, units, name string
	passwordStdin                  bool
}

// usersFlags registers the flags of users; parseSettings adds the
// environment and the config file.
func usersFlags(fs *flag.FlagSet) *usersConfig {
	c := &usersConfig{data: dataFlag(fs)}
	databaseURLFlag(fs, &c.databaseURL)
	fs.StringVar(&c.role, "role", "", "role of the new user")
	fs.StringVar(&c.units, "unit", "", "unit codes whose subtrees the user sees, separated by commas")
	fs.StringVar(&c.name, "name", "", "display name")
	fs.BoolVar(&c.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	return c
}

// usersCommand manages accounts from the command line; every change is
// audited as made by the operating-system user who ran it.
func usersCommand(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return errors.New("users: say what to do\n\n" + usersUsage)
	}
	verb := args[0]
	fs := flag.NewFlagSet("users "+verb, flag.ContinueOnError)
	c := usersFlags(fs)
	pos, err := parseSettings(fs, args[1:], os.Getenv, parseInterspersed)
	if err != nil {
		return err
	}
	want := map[string]int{"list": 0, "add": 1, "set-role": 2, "disable": 1, "enable": 1, "reset-password": 1}
	if n, ok := want[verb]; ok && len(pos) != n || !ok && verb != "set-scope" || verb == "set-scope" && len(pos) < 1 {
		return fmt.Errorf("users %s: wrong arguments\n\n%s", verb, usersUsage)
	}
	password := ""
	if c.passwordStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	db, err := openDatabase(ctx, c.data, c.databaseURL, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	accounts := &auth.Accounts{DB: db.pool}
	by := cliActor()
	made := func() string {
		if password == "" {
			password = auth.NewPassword()
			return password
		}
		return ""
	}
	switch verb {
	case "list":
		list, err := accounts.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tUNITS\tDISABLED\tNAME")
		for _, u := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\n", u.Username, u.Role, strings.Join(u.Units, ","), u.Disabled, u.DisplayName)
		}
		return tw.Flush()
	case "add":
		r, err := auth.ParseRole(c.role)
		if err != nil {
			return err
		}
		shown := made()
		if err := accounts.Add(ctx, by, auth.NewUser{Username: pos[0], DisplayName: c.name, Password: password, Role: r, Units: splitCodes(c.units)}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", pos[0], r)
		printPassword(stdout, shown)
	case "set-role":
		r, err := auth.ParseRole(pos[1])
		if err != nil {
			return err
		}
		return accounts.SetRole(ctx, by, pos[0], r)
	case "set-scope":
		var codes []string
		for _, p := range pos[1:] {
			codes = append(codes, splitCodes(p)...)
		}
		return accounts.SetScope(ctx, by, pos[0], codes)
	case "disable", "enable":
		return accounts.SetDisabled(ctx, by, pos[0], verb == "disable")
	case "reset-password":
		shown := made()
		if err := accounts.SetPassword(ctx, by, pos[0], password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new password set for %s; their sessions have ended\n", pos[0])
		printPassword(stdout, shown)
	}
	return nil
}

func printPassword(w io.Writer, password string) {
	if password != "" {
		fmt.Fprintf(w, "password (shown only now): %s\n", password)
	}
}

func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// cliActor is who the audit log names for a change made on the command
// line: the operating-system user.
func cliActor() audit.Actor {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return audit.Actor{Username: "cli:" + name}
}
