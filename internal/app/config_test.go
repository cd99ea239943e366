package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfigDefaultsToSandbox(t *testing.T) {
	c, err := LoadConfig(envFrom(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Sandbox || c.Addr != ":8080" || c.DataDir != "./data" || c.APIBase != DefaultAPIBase || c.SecureCookies() || len(c.TrustedProxies) != 0 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestLoadConfigLiveAccountAndFlags(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secretFile, []byte("s3cret\n"), 0o600)
	c, err := LoadConfig(envFrom(map[string]string{
		"WX_APPID": "wx1234567890abcdef", "WX_SECRET_FILE": secretFile, "PUBLIC_URL": "https://shop.example.com/",
		"WX_API_BASE": "https://api.example.com/", "TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.2",
		"DATABASE_URL": "postgres://shop:pw@db.internal/shop",
	}), []string{"-addr", "127.0.0.1:9000"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Sandbox || c.Secret != "s3cret" || c.Addr != "127.0.0.1:9000" || c.PublicURL != "https://shop.example.com" ||
		c.APIBase != "https://api.example.com" || !c.SecureCookies() || strings.Join(c.TrustedProxies, " ") != "10.0.0.0/8 192.168.1.2" ||
		c.DatabaseURL != "postgres://shop:pw@db.internal/shop" {
		t.Errorf("config = %+v", c)
	}
}

func TestLoadConfigRefusesBadValues(t *testing.T) {
	const appID = "wx1234567890abcdef"
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"ADDR": "8080"}, nil, "ADDR"},
		{map[string]string{"WX_APPID": "wx123"}, nil, "WX_APPID"},
		{map[string]string{"WX_APPID": appID}, nil, "WX_SECRET"},
		{map[string]string{"WX_SECRET": "s"}, nil, "WX_APPID"},
		{map[string]string{"WX_API_BASE": "ftp://x"}, nil, "WX_API_BASE"},
		{map[string]string{"PUBLIC_URL": "shop.example.com"}, nil, "PUBLIC_URL"},
		{map[string]string{"WX_ENCODING_AES_KEY": "short", "WX_CALLBACK_TOKEN": "t"}, nil, "WX_ENCODING_AES_KEY"},
		{map[string]string{"WX_ENCODING_AES_KEY": strings.Repeat("a", 43)}, nil, "WX_CALLBACK_TOKEN"},
		{map[string]string{"ADMIN_PASSWORD": "short"}, nil, "ADMIN_PASSWORD"},
		{map[string]string{"WX_SECRET": "a", "WX_SECRET_FILE": "/x"}, nil, "WX_SECRET"},
		{map[string]string{"WX_SECRET_FILE": "/does/not/exist"}, nil, "WX_SECRET_FILE"},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.1,proxy.example"}, nil, "TRUSTED_PROXIES"},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, nil, "TRUSTED_PROXIES"},
		{map[string]string{"DATABASE_URL": "mysql://shop@db/shop"}, nil, "DATABASE_URL"},
		{map[string]string{"DATABASE_URL": "data/wxshop.db"}, nil, "DATABASE_URL"},
		{nil, []string{"-nope"}, "flags"},
		{nil, []string{"extra"}, "unexpected argument"},
		{map[string]string{"SANDBOX_KIND": "shop"}, nil, "SANDBOX_KIND"},
		{map[string]string{"SANDBOX_PUSH_FORMAT": "yaml"}, nil, "SANDBOX_PUSH_FORMAT"},
	} {
		_, err := LoadConfig(envFrom(tc.env), tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("env %v args %v: err = %v, want one line naming %s", tc.env, tc.args, err, tc.want)
		}
	}
}

func TestLoadConfigSyncEvery(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want time.Duration
		bad  bool
	}{{"", DefaultSyncEvery, false}, {"0", 0, false}, {"90s", 90 * time.Second, false}, {"10ms", 0, true}, {"soon", 0, true}} {
		c, err := LoadConfig(envFrom(map[string]string{"SYNC_EVERY": tc.env}), nil)
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "SYNC_EVERY") {
				t.Errorf("SYNC_EVERY=%q: err %v, want one naming SYNC_EVERY", tc.env, err)
			}
			continue
		}
		if err != nil || c.SyncEvery != tc.want {
			t.Errorf("SYNC_EVERY=%q: %v, %v; want %v", tc.env, c.SyncEvery, err, tc.want)
		}
	}
}
