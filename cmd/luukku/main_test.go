package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
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
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Yleiskatsaus") {
		t.Fatalf("GET / = %d\n%.500s", resp.StatusCode, body)
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

	stop() // what SIGINT or SIGTERM does
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
