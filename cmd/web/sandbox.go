package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"wxshop/internal/wx/sandbox"
)

// sandboxCommand runs only the WeChat sandbox, so a server (or several) can be pointed at it with WX_API_BASE.
func sandboxCommand(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("web sandbox", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9100", "listen address")
	ttl := fs.Duration("token-ttl", 2*time.Hour, "lifetime of the access tokens it issues")
	latency := fs.Duration("latency", 0, "delay added to every call")
	failRate := fs.Float64("fail-rate", 0, "fraction of API calls answered with errcode -1 (0..1)")
	loseRate := fs.Float64("lose-rate", 0, "fraction of API calls that run but whose answer is lost (0..1)")
	orders := fs.Int("orders", 0, "how many demo orders the shop has (0: a few hundred)")
	kindName := fs.String("kind", "store", "kind of shop: store (a 微信小店, /channels/ec) or merchant (the V1.13 merchant API)")
	auditDelay := fs.Duration("audit-delay", 0, "how long a 微信小店 product stays in audit (0: 8 s; negative: only the audit button decides)")
	pushFormat := fs.String("push-format", "", "form of the pushes: empty (each event as WeChat sends it: merchant_order XML, 微信小店 events JSON), xml or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pushFormat != sandbox.PushFormatNative && *pushFormat != sandbox.PushFormatXML && *pushFormat != sandbox.PushFormatJSON {
		return fmt.Errorf("-push-format %q is neither xml nor json", *pushFormat)
	}
	kind, err := sandbox.ParseKind(*kindName)
	if err != nil {
		return err
	}
	sb, err := sandbox.Listen(*addr, sandbox.Options{Kind: kind, AuditDelay: *auditDelay, TokenTTL: *ttl, Latency: *latency,
		FailRate: *failRate, LoseRate: *loseRate, Orders: *orders, PushFormat: *pushFormat, Logger: log})
	if err != nil {
		return err
	}
	log.Info("sandbox listening: start the server with these settings",
		"kind", kind, "WX_API_BASE", sb.URL, "WX_APPID", sb.AppID(), "WX_SECRET", sb.Secret())
	<-ctx.Done()
	return sb.Close(context.Background())
}
