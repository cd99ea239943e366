package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"wxshop/internal/db"
)

// Config is everything the server is told from outside. It comes from the environment, flags override it.
type Config struct {
	Addr             string
	DataDir          string
	DatabaseURL      string // postgres://… to share a PostgreSQL database between servers; empty: SQLite in DataDir
	AppID            string
	Secret           string
	APIBase          string
	CallbackToken    string
	EncodingAESKey   string
	AdminPassword    string
	PublicURL        string // how browsers and WeChat reach the app, e.g. https://shop.example.com
	MaxBodyBytes     int64
	Sandbox          bool // set when no AppID is configured: the server runs its own sandbox
	SandboxLatencyMS int
	SandboxFailRate  float64
	// SandboxKind is the kind of shop the built-in sandbox plays (SANDBOX_KIND): "store", a 微信小店 (the
	// default), or "merchant", a shop of the V1.13 merchant API.
	SandboxKind string
	// SandboxPushFormat is the form of the built-in sandbox's pushes (SANDBOX_PUSH_FORMAT): "" each event as
	// WeChat sends it (merchant_order XML, the 微信小店 events JSON), "xml" or "json" every event so.
	SandboxPushFormat string
	// TrustedProxies are the addresses and networks (CIDR) of the proxies in front of the app, e.g. the one that
	// ends TLS: the client address they give in X-Forwarded-For or X-Real-IP is believed, from nobody else.
	// Empty, every client is the address it connects from.
	TrustedProxies []string
	// ShipLease (SHIP_LEASE) is how long a server's claim of a bulk-shipping row outlives it: a row whose server
	// died is taken by another this long after its last renewal. Zero: shop.DefaultShipLease.
	ShipLease time.Duration
	// SyncEvery (SYNC_EVERY, default 5m) is how often the server holding the leader lock runs the incremental
	// order and after-sale syncs, which recover a push whose fetch was lost. Zero: no scheduled sync.
	SyncEvery time.Duration
}

var appIDPattern = regexp.MustCompile(`^wx[0-9A-Za-z]{14,30}$`)

// DefaultSyncEvery is how often the scheduled sync runs when SYNC_EVERY is not set.
const DefaultSyncEvery = 5 * time.Minute

// DefaultAPIBase is the real WeChat API.
const DefaultAPIBase = "https://api.weixin.qq.com"

// LoadConfig reads the environment through getenv, then the flags in args, and checks the result.
// Secrets may come from a file named by the variable with a _FILE suffix (WX_SECRET_FILE).
// Every error names the setting at fault in one line.
func LoadConfig(getenv func(string) string, args []string) (Config, error) {
	c := Config{
		Addr:              envOr(getenv, "ADDR", ":8080"),
		DataDir:           envOr(getenv, "DATA_DIR", "./data"),
		AppID:             getenv("WX_APPID"),
		APIBase:           envOr(getenv, "WX_API_BASE", DefaultAPIBase),
		PublicURL:         getenv("PUBLIC_URL"),
		MaxBodyBytes:      1 << 20,
		SandboxKind:       envOr(getenv, "SANDBOX_KIND", "store"),
		SandboxPushFormat: getenv("SANDBOX_PUSH_FORMAT"),
	}
	trusted := getenv("TRUSTED_PROXIES")
	var err error
	c.SyncEvery = DefaultSyncEvery
	if v := getenv("SYNC_EVERY"); v != "" {
		if c.SyncEvery, err = time.ParseDuration(v); err != nil || (c.SyncEvery != 0 && c.SyncEvery < time.Second) {
			return c, fmt.Errorf("SYNC_EVERY %q is not 0 or a duration of a second or more, like 5m", v)
		}
	}
	if v := getenv("SHIP_LEASE"); v != "" {
		if c.ShipLease, err = time.ParseDuration(v); err != nil || c.ShipLease < time.Second {
			return c, fmt.Errorf("SHIP_LEASE %q is not a duration of a second or more, like 30s", v)
		}
	}
	for _, s := range []struct {
		name string
		dst  *string
	}{
		{"WX_SECRET", &c.Secret},
		{"WX_CALLBACK_TOKEN", &c.CallbackToken},
		{"WX_ENCODING_AES_KEY", &c.EncodingAESKey},
		{"ADMIN_PASSWORD", &c.AdminPassword},
		{"DATABASE_URL", &c.DatabaseURL},
	} {
		if *s.dst, err = secretFromEnv(getenv, s.name); err != nil {
			return c, err
		}
	}

	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "where the database lives (DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "a PostgreSQL database instead of SQLite (DATABASE_URL)")
	fs.StringVar(&c.AppID, "appid", c.AppID, "WeChat AppID (WX_APPID); empty runs the sandbox")
	fs.StringVar(&c.APIBase, "api-base", c.APIBase, "WeChat API base URL (WX_API_BASE)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "URL the app is reached at (PUBLIC_URL)")
	fs.StringVar(&c.SandboxKind, "sandbox-kind", c.SandboxKind, "kind of shop the sandbox plays: store or merchant (SANDBOX_KIND)")
	fs.StringVar(&c.SandboxPushFormat, "sandbox-push-format", c.SandboxPushFormat, "form of the sandbox's pushes: empty (as WeChat), xml or json (SANDBOX_PUSH_FORMAT)")
	fs.StringVar(&trusted, "trusted-proxies", trusted, "addresses or CIDRs of the proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES)")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.TrustedProxies = strings.FieldsFunc(trusted, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	return c, c.validate()
}

func (c *Config) validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("ADDR %q is not a listen address like :8080 or 127.0.0.1:8080", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("ADDR %q: the port must be a number from 0 to 65535", c.Addr)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return errors.New("DATA_DIR is empty")
	}
	if c.DatabaseURL != "" && !db.IsPostgresURL(c.DatabaseURL) {
		return errors.New("DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for SQLite in DATA_DIR)")
	}
	c.Sandbox = c.AppID == ""
	if c.SandboxPushFormat != "" && c.SandboxPushFormat != "xml" && c.SandboxPushFormat != "json" {
		return fmt.Errorf("SANDBOX_PUSH_FORMAT %q is neither xml nor json (leave it empty for each event's own form)", c.SandboxPushFormat)
	}
	if c.SandboxKind != "store" && c.SandboxKind != "merchant" {
		return fmt.Errorf("SANDBOX_KIND %q is neither store (a 微信小店) nor merchant (the V1.13 merchant API)", c.SandboxKind)
	}
	if !c.Sandbox {
		if !appIDPattern.MatchString(c.AppID) {
			return fmt.Errorf("WX_APPID %q does not look like a WeChat AppID (wx followed by 16 letters or digits)", c.AppID)
		}
		if c.Secret == "" {
			return errors.New("WX_SECRET (or WX_SECRET_FILE) is required when WX_APPID is set")
		}
	} else if c.Secret != "" {
		return errors.New("WX_SECRET is set but WX_APPID is not: set both for a real account, or neither for the sandbox")
	}
	if err := checkHTTPURL("WX_API_BASE", c.APIBase); err != nil {
		return err
	}
	c.APIBase = strings.TrimRight(c.APIBase, "/")
	if c.PublicURL != "" {
		if err := checkHTTPURL("PUBLIC_URL", c.PublicURL); err != nil {
			return err
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if c.EncodingAESKey != "" && len(c.EncodingAESKey) != 43 {
		return fmt.Errorf("WX_ENCODING_AES_KEY must be 43 characters, it has %d", len(c.EncodingAESKey))
	}
	if c.EncodingAESKey != "" && c.CallbackToken == "" {
		return errors.New("WX_ENCODING_AES_KEY is set but WX_CALLBACK_TOKEN is not: safe mode needs both")
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("TRUSTED_PROXIES: %q is neither an address (10.0.0.1) nor a network (10.0.0.0/8)", p)
			}
		}
	}
	if c.AdminPassword != "" {
		if err := CheckPassword(c.AdminPassword); err != nil {
			return fmt.Errorf("ADMIN_PASSWORD: %w", err)
		}
	}
	return nil
}

// SecureCookies reports whether the session cookie must only travel over HTTPS.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

func checkHTTPURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q is not an http(s) URL", name, raw)
	}
	return nil
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

func secretFromEnv(getenv func(string) string, name string) (string, error) {
	v := getenv(name)
	file := getenv(name + "_FILE")
	if file == "" {
		return v, nil
	}
	if v != "" {
		return "", fmt.Errorf("both %s and %s_FILE are set: use one", name, name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}
