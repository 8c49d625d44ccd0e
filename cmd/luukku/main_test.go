package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The commands as a new user runs them: load the demo city into a private
// cluster, serve it, stop with a signal; the cluster stops with luukku.
func TestDemoServeStop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	t.Setenv("DATABASE_URL", "")
	t.Setenv("LUUKKU_ADMIN_PASSWORD", adminPassword)
	// Under the system temp dir: as root, the postgres user must reach it.
	data, err := os.MkdirTemp("", "luukku-cmd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(data) })
	if err := os.Chmod(data, 0o755); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	var out strings.Builder
	if err := run(ctx, []string{"demo", "--data", data, "--feedback", "3000"}, &out, log); err != nil {
		t.Fatalf("demo: %v", err)
	}
	if !strings.Contains(out.String(), "3000 feedback") {
		t.Errorf("demo printed %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"check", "--data", data}, &out, log); err != nil || !strings.HasPrefix(out.String(), "ok: ") {
		t.Errorf("check: %v, printed %q", err, out.String())
	}
	// The development actions go out to a spreadsheet and back.
	out.Reset()
	if err := run(ctx, []string{"actions", "export", "--data", data}, &out, log); err != nil || !strings.Contains(out.String(), "demo-talvikunnossapito") {
		t.Fatalf("actions export: %v\n%s", err, out.String())
	}
	sheet := filepath.Join(t.TempDir(), "actions.csv")
	os.WriteFile(sheet, []byte(out.String()), 0o644)
	out.Reset()
	if err := run(ctx, []string{"actions", "import", "--data", data, sheet}, &out, log); err != nil || !strings.Contains(out.String(), "0 new, 5 updated") {
		t.Errorf("actions import: %v, printed %q", err, out.String())
	}

	// An installation's own query that PostgreSQL cannot plan fails the check
	// at its file and line.
	defs := t.TempDir()
	broken := filepath.Join(defs, "queries", "top_themes.sql")
	os.MkdirAll(filepath.Dir(broken), 0o755)
	os.WriteFile(broken, []byte("-- column: theme theme\n-- column: feedback int\n\nSELECT code AS theme,\n  count(*) AS feedback\nFROM no_such_table\nGROUP BY 1\n"), 0o644)
	err = run(ctx, []string{"check", "--data", data, "--definitions", defs}, io.Discard, log)
	if want := broken + `:6: relation "no_such_table" does not exist`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("check with a broken override: %v, want %q", err, want)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(serveCtx, []string{"serve", "--data", data, "--addr", addr}, io.Discard, log) }()
	t.Cleanup(stop)

	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server not ready within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Nobody signed in: the sign-in page.
	if page := fetch(t, http.DefaultClient, base+"/"); !strings.Contains(page, `action="/login"`) {
		t.Fatalf("GET / without signing in:\n%.500s", page)
	}
	// The first admin, with the password from the environment, sees the city.
	admin := signIn(t, base, "admin", adminPassword)
	if page := fetch(t, admin, base+"/"); !strings.Contains(page, "Yleiskatsaus") || !strings.Contains(page, `value="sivistys"`) {
		t.Fatalf("GET / as admin:\n%.500s", page)
	}
	// A unit head added on the command line sees her toimiala and nothing else.
	out.Reset()
	if err := run(ctx, []string{"users", "add", "tekla", "--role", "unit_head", "--unit", "kaupunkiymparisto", "--data", data}, &out, log); err != nil {
		t.Fatal(err)
	}
	_, password, ok := strings.Cut(out.String(), "password (shown only now): ")
	if !ok {
		t.Fatalf("users add printed %q", out.String())
	}
	head := signIn(t, base, "tekla", strings.TrimSpace(password))
	if page := fetch(t, head, base+"/"); !strings.Contains(page, `value="kaupunkiymparisto"`) || strings.Contains(page, `value="sivistys"`) {
		t.Errorf("GET / as a unit head of kaupunkiymparisto offers other units:\n%.800s", page)
	}
	out.Reset()
	if err := run(ctx, []string{"users", "list", "--data", data}, &out, log); err != nil || !strings.Contains(out.String(), "tekla") {
		t.Errorf("users list: %v\n%s", err, out.String())
	}
	// A file that cannot be read is an error, not a crash.
	empty := filepath.Join(t.TempDir(), "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	if err := run(ctx, []string{"import", "feedback", "--data", data, empty}, &out, log); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("import of an empty file: %v", err)
	}

	// A one-shot command beside the server shares its database and leaves
	// it running.
	out.Reset()
	if err := run(ctx, []string{"check", "--data", data}, &out, log); err != nil || !strings.Contains(out.String(), "forecast backtest") && !strings.Contains(out.String(), "no backtest") {
		t.Errorf("check beside serve: %v, printed %q", err, out.String())
	}
	if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("after check beside it, the server is not ready: %v %v", resp, err)
	}

	// Stopping lets requests under way finish: an upload still arriving
	// when the stop comes is imported whole, and answered.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	answered := make(chan string, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, base+"/admin/import", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := admin.Do(req)
		if err != nil {
			answered <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- fmt.Sprintf("%d %s", resp.StatusCode, body)
	}()
	mw.WriteField("kind", "feedback")
	mw.WriteField("profile", "palautejarjestelma")
	fw, _ := mw.CreateFormFile("file", "myohassa.csv")
	io.WriteString(fw, "Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste\n"+
		"LATE-1;Puhelin;puistot;20.5.2026 10:00;;;Avoin;Moite;;Penkki rikki;;\n")
	time.Sleep(300 * time.Millisecond) // the upload is under way
	stop()                             // what SIGINT or SIGTERM does
	time.Sleep(500 * time.Millisecond) // and the server is shutting down
	io.WriteString(fw, "LATE-2;Sähköposti;puistot;21.5.2026 10:00;;;Avoin;Kysymys;;Milloin auraus?;;\n")
	mw.Close()
	pw.Close()
	if got := <-answered; !strings.HasPrefix(got, "200 ") || !strings.Contains(got, "2 uutta") {
		t.Errorf("an upload under way at the stop: %.300s", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s")
	}
	if _, err := os.Stat(filepath.Join(data, "pg", "data", "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("PostgreSQL still running after luukku stopped (postmaster.pid: %v)", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	err := run(context.Background(), []string{"frobnicate"}, io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) || !strings.Contains(err.Error(), "Usage:") {
		t.Errorf("err = %v", err)
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"help"}, &out, slog.New(slog.DiscardHandler)); err != nil || !strings.Contains(out.String(), "luukku serve") {
		t.Errorf("help: %v, %q", err, out.String())
	}
	if err := run(context.Background(), []string{"demo", "--feedback", "-5"}, io.Discard, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("a negative --feedback was accepted")
	}
}

const adminPassword = "the first admin's password"

// signIn returns a client signed in as name.
func signIn(t *testing.T, base, name, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/" {
		t.Fatalf("sign in as %s: %d at %s", name, resp.StatusCode, resp.Request.URL)
	}
	return c
}

func fetch(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d\n%.500s", u, resp.StatusCode, body)
	}
	return string(body)
}
