package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

func TestPasswords(t *testing.T) {
	hash, err := HashPassword("kesä on parasta aikaa")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hash, "$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s is not of OWASP's parameters", hash)
	}
	other, _ := HashPassword("kesä on parasta aikaa")
	if hash == other {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, c := range []struct {
		name, hash, password string
		ok                   bool
		err                  bool
	}{
		{"right", hash, "kesä on parasta aikaa", true, false},
		{"wrong", hash, "kesä on parasta aikaa!", false, false},
		{"empty password", hash, "", false, false},
		{"no hash: SSO only", "", "anything", false, false},
		{"another algorithm", "$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
		{"made with other parameters (64 MiB, two lanes)", olderHash("kesä on parasta aikaa"), "kesä on parasta aikaa", true, false},
		{"bad parameters", strings.Replace(hash, "m=19456", "m=x", 1), "x", false, true},
		{"huge memory", strings.Replace(hash, "m=19456", "m=99999999", 1), "x", false, true},
		{"bad salt", strings.Replace(hash, "$v=19$m=19456,t=2,p=1$", "$v=19$m=19456,t=2,p=1$!!", 1), "x", false, true},
	} {
		ok, err := checkPassword(c.hash, c.password)
		if ok != c.ok || (err != nil) != c.err {
			t.Errorf("%s: ok %v err %v", c.name, ok, err)
		}
	}
	if p := NewPassword(); len(p) < MinPasswordLength || p == NewPassword() {
		t.Errorf("NewPassword %q", p)
	}
}

// olderHash is password's hash as accounts made before OWASP's parameters
// hold it: RFC 9106's 64 MiB, two passes, two lanes.
func olderHash(password string) string {
	salt := []byte("sixteen byte slt")
	key := argon2.IDKey([]byte(password), salt, 2, 64*1024, 2, 32)
	b64 := base64.RawStdEncoding
	return "$argon2id$v=19$m=65536,t=2,p=2$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
}

func FuzzCheckPassword(f *testing.F) {
	hash, _ := HashPassword("salasana123456")
	f.Add(hash, "salasana123456")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA", "")
	f.Add("$$$$$", "x")
	f.Fuzz(func(t *testing.T, hash, password string) {
		ok, err := checkPassword(hash, password)
		if ok && err != nil {
			t.Errorf("ok with an error: %v", err)
		}
	})
}

func TestUsernames(t *testing.T) {
	for in, want := range map[string]string{
		"Maija.Meikalainen":      "maija.meikalainen",
		" kirsi@esimerkkila.fi ": "kirsi@esimerkkila.fi",
		"":                       "",
		"-alku":                  "",
		"väärä":                  "",
		"two words":              "",
		strings.Repeat("a", 101): "",
		"admin' OR '1'='1":       "",
	} {
		got, err := NormalizeUsername(in)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestScope(t *testing.T) {
	for _, c := range []struct {
		u    User
		want string
	}{
		{User{Role: RoleAdmin, Paths: []string{"a.b"}}, "*"},
		{User{Role: RoleExecutive}, "*"},
		{User{Role: RoleUnitHead, Paths: []string{"a.b", "a.c.d"}}, "{a.b,a.c.d}"},
		{User{Role: RoleViewer}, "{}"},
	} {
		if got := c.u.Scope(); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.u.Role, c.u.Paths, got, c.want)
		}
	}
	if _, err := ParseRole("superuser"); err == nil {
		t.Error("ParseRole accepted superuser")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := NewLimiter(3, 15*time.Minute)
	l.Now = func() time.Time { return now }
	for i := range 3 {
		if w := l.Wait("maija"); w != 0 {
			t.Fatalf("after %d failures: wait %v", i, w)
		}
		l.Fail("maija")
		now = now.Add(time.Minute)
	}
	if w := l.Wait("maija"); w != 12*time.Minute {
		t.Errorf("after 3 failures: wait %v, want 12m (until the first one expires)", w)
	}
	if w := l.Wait("kalle"); w != 0 {
		t.Errorf("another key waits %v", w)
	}
	now = now.Add(12 * time.Minute)
	if w := l.Wait("maija"); w != 0 {
		t.Errorf("once the first failure expired: wait %v", w)
	}
	l.Fail("maija")
	l.Reset("maija")
	if w := l.Wait("maija"); w != 0 || len(l.failures) != 0 {
		t.Errorf("after reset: wait %v, %d keys kept", w, len(l.failures))
	}
}

func TestParseSecrets(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	got, err := ParseSecrets(key + ", " + key)
	if err != nil || len(got) != 2 {
		t.Errorf("two keys: %d, %v", len(got), err)
	}
	if got, err := ParseSecrets(""); err != nil || len(got) != 0 {
		t.Errorf("none: %v %v", got, err)
	}
	if _, err := ParseSecrets(base64.StdEncoding.EncodeToString([]byte("short"))); err == nil {
		t.Error("a 5-byte key was accepted")
	}
	if _, err := ParseSecrets("not base64 at all!"); err == nil {
		t.Error("garbage was accepted")
	}
}

func TestLoadOIDCConfig(t *testing.T) {
	t.Setenv("LUUKKU_OIDC_CLIENT_SECRET", "from the environment")
	c, err := LoadOIDCConfig("../../docs/oidc.example.yaml")
	if err != nil {
		t.Fatalf("the documented example: %v", err)
	}
	if c.ClientSecret != "from the environment" || len(c.Rules) != 4 || c.Rules[2].Units[0] != "kaupunkiymparisto" {
		t.Errorf("read %+v", c)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{
		"missing":     "client_id: x\n",
		"unknown":     "issuer: https://x\nclient_id: x\nredirect_url: https://l/cb\nrules: [{group: g, role: admin}]\ncolour: red\n",
		"no rules":    "issuer: https://x\nclient_id: x\nredirect_url: https://l/cb\n",
		"no units":    "issuer: https://x\nclient_id: x\nredirect_url: https://l/cb\nrules: [{group: g, role: viewer}]\n",
		"bad role":    "issuer: https://x\nclient_id: x\nredirect_url: https://l/cb\nrules: [{group: g, role: root}]\n",
		"group+claim": "issuer: https://x\nclient_id: x\nredirect_url: https://l/cb\nrules: [{group: g, claim: c, value: v, role: admin}]\n",
	} {
		p := dir + "/" + strings.ReplaceAll(name, " ", "_") + ".yaml"
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := LoadOIDCConfig(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Whatever is typed into the username field, the result is a valid
// username or an error, and normalising is idempotent.
func FuzzNormalizeUsername(f *testing.F) {
	for _, s := range []string{"Maija", " a@b.fi ", "", "ä", "a\x00b", "admin' --", strings.Repeat("x", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeUsername(in)
		if err != nil {
			return
		}
		if !usernamePattern.MatchString(got) {
			t.Errorf("NormalizeUsername(%q) = %q, not a valid username", in, got)
		}
		if again, err := NormalizeUsername(got); err != nil || again != got {
			t.Errorf("not idempotent: %q → %q → %q, %v", in, got, again, err)
		}
	})
}

func TestSameUnits(t *testing.T) {
	u := &User{Units: []string{"sivistys", "kulttuuri"}} // as stored: by organisation path
	for _, c := range []struct {
		codes []string
		want  bool
	}{
		{[]string{"kulttuuri", "sivistys"}, true},
		{[]string{"sivistys", "kulttuuri", "sivistys"}, true},
		{[]string{"sivistys"}, false},
		{nil, false},
	} {
		if got := u.SameUnits(c.codes); got != c.want {
			t.Errorf("SameUnits(%v) = %v", c.codes, got)
		}
	}
	if (&User{}).SameUnits(nil) != true {
		t.Error("no units is the same as none")
	}
}

// No more passwords are checked at once than there are CPUs: with every
// slot taken, a check waits, and gives up when its context ends; a freed
// slot lets it run.
func TestPasswordChecksTakeTurns(t *testing.T) {
	a := &Accounts{}
	hash, err := HashPassword("kesä on parasta aikaa")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := a.verify(t.Context(), hash, "kesä on parasta aikaa"); !ok || err != nil {
		t.Fatalf("a free check: %v, %v", ok, err)
	}
	for range cap(a.slots) {
		a.slots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if ok, err := a.verify(ctx, hash, "kesä on parasta aikaa"); ok || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("with every slot taken: %v, %v", ok, err)
	}
	<-a.slots
	if ok, err := a.verify(t.Context(), hash, "kesä on parasta aikaa"); !ok || err != nil {
		t.Errorf("after a slot was freed: %v, %v", ok, err)
	}
}
