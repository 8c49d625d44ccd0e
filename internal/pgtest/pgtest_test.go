package pgtest

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func databaseExists(t *testing.T, dsn, name string) bool {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var exists bool
	if err := conn.QueryRow(t.Context(), "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}

func TestNewDatabase(t *testing.T) {
	t.Parallel()
	dsnA, dsnB := NewDatabase(t), NewDatabase(t)
	if dsnA == dsnB {
		t.Fatalf("both databases have DSN %q", dsnA)
	}
	a, b := connect(t, dsnA), connect(t, dsnB)

	var nameA, nameB string
	if err := a.QueryRow(t.Context(), "SELECT current_database()").Scan(&nameA); err != nil {
		t.Fatal(err)
	}
	if err := b.QueryRow(t.Context(), "SELECT current_database()").Scan(&nameB); err != nil {
		t.Fatal(err)
	}
	if nameA == nameB {
		t.Fatalf("both DSNs lead to database %q", nameA)
	}
	if _, err := a.Exec(t.Context(), "CREATE TABLE only_in_a (id int)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.QueryRow(t.Context(), "SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("a table created in one database shows in the other")
	}
}

// The database goes away with its test, even with a connection left open.
func TestNewDatabaseDropped(t *testing.T) {
	t.Parallel()
	var dsn, name string
	t.Run("user", func(t *testing.T) {
		// Registered before NewDatabase, so it runs after the drop: the drop
		// must get past a connection that is still open.
		var open *pgx.Conn
		t.Cleanup(func() {
			if open != nil {
				open.Close(context.Background())
			}
		})
		dsn = NewDatabase(t)
		var err error
		if open, err = pgx.Connect(t.Context(), dsn); err != nil {
			t.Fatal(err)
		}
		if err := open.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if name == "" {
		t.Fatal("subtest did not run")
	}
	if databaseExists(t, dsn, name) {
		t.Errorf("database %s still exists after its test", name)
	}
}

func TestNewDatabaseParallel(t *testing.T) {
	t.Parallel()
	for i := range 8 {
		t.Run("db", func(t *testing.T) {
			t.Parallel()
			var one int
			if err := connect(t, NewDatabase(t)).QueryRow(t.Context(), "SELECT 1").Scan(&one); err != nil {
				t.Fatalf("database %d: %v", i, err)
			}
		})
	}
}

func TestNewCluster(t *testing.T) {
	t.Parallel()
	var dir string
	t.Run("own", func(t *testing.T) {
		c := NewCluster(t)
		dir = c.Dir()
		cfg, err := pgx.ParseConfig(NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		if int(cfg.Port) == c.Port() {
			t.Errorf("dedicated cluster shares port %d with the shared one", c.Port())
		}
		var one int
		if err := connect(t, c.DSN("postgres")).QueryRow(t.Context(), "SELECT 1").Scan(&one); err != nil {
			t.Fatal(err)
		}
		// Tests may stop it themselves; the cleanup copes.
		if err := c.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
	if dir == "" {
		t.Fatal("subtest did not run")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s not removed after the test: %v", dir, err)
	}
}

var validName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func TestDBName(t *testing.T) {
	tests := []struct {
		test string
		n    uint64
		want string
	}{
		{"TestFoo", 1, "t_testfoo_1"},
		{"TestFoo/sub case#01", 12, "t_testfoo_sub_case_01_12"},
		{"TestÄäkköset/ä", 3, "t_test_kk_set_3"},
		{strings.Repeat("TestLong", 20), 18446744073709551615, ""},
	}
	for _, tt := range tests {
		got := dbName(tt.test, tt.n)
		if !validName.MatchString(got) {
			t.Errorf("dbName(%q, %d) = %q: not a valid unquoted identifier of at most 63 bytes", tt.test, tt.n, got)
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("dbName(%q, %d) = %q, want %q", tt.test, tt.n, got, tt.want)
		}
	}
}
