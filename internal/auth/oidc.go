package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.yaml.in/yaml/v3"
	"golang.org/x/oauth2"
)

// OIDCConfig is single sign-on through an OpenID Connect provider, such
// as Microsoft Entra ID: where it is, who Luukku is to it, and how its
// groups or claims become roles and unit scopes.
type OIDCConfig struct {
	Issuer       string `yaml:"issuer"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"` // better from LUUKKU_OIDC_CLIENT_SECRET
	RedirectURL  string `yaml:"redirect_url"`  // https://luukku.example.fi/login/oidc/callback
	// Claims to read; defaults preferred_username, name and groups.
	UsernameClaim string `yaml:"username_claim"`
	NameClaim     string `yaml:"name_claim"`
	GroupsClaim   string `yaml:"groups_claim"`
	// Rules give roles and units. A user gets the most powerful role any
	// matching rule gives and the units of every matching rule; a user no
	// rule matches is refused.
	Rules []OIDCRule `yaml:"rules"`
}

// OIDCRule matches a group (in the groups claim) or a claim's value.
type OIDCRule struct {
	Group string   `yaml:"group"`
	Claim string   `yaml:"claim"`
	Value string   `yaml:"value"`
	Role  Role     `yaml:"role"`
	Units []string `yaml:"units"`
}

// LoadOIDCConfig reads the YAML file at path. The client secret may come
// from the environment instead of the file.
func LoadOIDCConfig(path string) (*OIDCConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("single sign-on configuration: %w", err)
	}
	var c OIDCConfig
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s := os.Getenv("LUUKKU_OIDC_CLIENT_SECRET"); s != "" {
		c.ClientSecret = s
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

func (c *OIDCConfig) validate() error {
	var missing []string
	for name, v := range map[string]string{"issuer": c.Issuer, "client_id": c.ClientID, "redirect_url": c.RedirectURL} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if len(c.Rules) == 0 {
		return errors.New("no rules: nobody could sign in")
	}
	for i, r := range c.Rules {
		if _, err := ParseRole(string(r.Role)); err != nil {
			return fmt.Errorf("rule %d: %w", i+1, err)
		}
		if (r.Group == "") == (r.Claim == "") || (r.Claim != "" && r.Value == "") {
			return fmt.Errorf("rule %d: give either group, or claim and value", i+1)
		}
		if !r.Role.AllUnits() && len(r.Units) == 0 {
			return fmt.Errorf("rule %d: role %s needs units", i+1, r.Role)
		}
	}
	if c.UsernameClaim == "" {
		c.UsernameClaim = "preferred_username"
	}
	if c.NameClaim == "" {
		c.NameClaim = "name"
	}
	if c.GroupsClaim == "" {
		c.GroupsClaim = "groups"
	}
	return nil
}

// claimValues returns a claim as strings: a string, or a list of them.
func claimValues(claims map[string]any, name string) []string {
	switch v := claims[name].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Map gives the role and units for a user's claims; ok is false when no
// rule matches.
func (c *OIDCConfig) Map(claims map[string]any) (role Role, units []string, ok bool) {
	groups := claimValues(claims, c.GroupsClaim)
	rank := func(r Role) int { return slices.Index(Roles, r) }
	for _, r := range c.Rules {
		match := r.Group != "" && slices.Contains(groups, r.Group) ||
			r.Claim != "" && slices.Contains(claimValues(claims, r.Claim), r.Value)
		if !match {
			continue
		}
		if !ok || rank(r.Role) < rank(role) {
			role = r.Role
		}
		ok = true
		units = append(units, r.Units...)
	}
	return role, uniq(units), ok
}

// OIDC signs users in through the provider. The provider's discovery
// document is fetched at the first sign-in, so that a provider that is
// down does not keep Luukku from starting.
type OIDC struct {
	Config   *OIDCConfig
	Accounts *Accounts

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (o *OIDC) setup(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.oauth != nil {
		return o.oauth, o.verifier, nil
	}
	p, err := oidc.NewProvider(ctx, o.Config.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("single sign-on provider %s: %w", o.Config.Issuer, err)
	}
	o.oauth = &oauth2.Config{
		ClientID: o.Config.ClientID, ClientSecret: o.Config.ClientSecret, RedirectURL: o.Config.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"},
	}
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.Config.ClientID})
	return o.oauth, o.verifier, nil
}

// Flow is what a sign-in keeps between leaving for the provider and
// coming back: the state, the nonce and the PKCE verifier.
type Flow struct {
	State, Nonce, Verifier, Next string
}

// NewFlow starts a sign-in.
func NewFlow(next string) Flow {
	return Flow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Next: next}
}

// AuthURL is where the browser goes to sign in at the provider.
func (o *OIDC) AuthURL(ctx context.Context, f Flow) (string, error) {
	oc, _, err := o.setup(ctx)
	if err != nil {
		return "", err
	}
	return oc.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), nil
}

// ErrNoRole means the provider vouched for the user but no rule gives
// the user a role in Luukku.
var ErrNoRole = errors.New("no role in Luukku for this account")

// Finish exchanges the code the provider sent back for an ID token,
// verifies it, and returns the user it names, made or brought up to date
// with the role and units the rules give.
func (o *OIDC) Finish(ctx context.Context, f Flow, code string) (*User, error) {
	oc, verifier, err := o.setup(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := oc.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, fmt.Errorf("single sign-on: exchange code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return nil, errors.New("single sign-on: no id_token in the response")
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: %w", err)
	}
	if idt.Nonce != f.Nonce {
		return nil, errors.New("single sign-on: the token's nonce is not this sign-in's")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("single sign-on: claims: %w", err)
	}
	names := claimValues(claims, o.Config.UsernameClaim)
	if len(names) != 1 {
		return nil, fmt.Errorf("single sign-on: the token has no %s claim", o.Config.UsernameClaim)
	}
	role, units, ok := o.Config.Map(claims)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoRole, names[0])
	}
	display := ""
	if n := claimValues(claims, o.Config.NameClaim); len(n) == 1 {
		display = n[0]
	}
	return o.Accounts.Provision(ctx, names[0], display, role, units)
}
