// Command web is the wxshop server, and its few sub-commands:
//
//	web [flags]                               serve the admin (sandbox unless WX_APPID is set)
//	web user add --username U --role R        add a user; the password is read from standard input
//	web user passwd --username U              set a user's password, read from standard input
//	web db copy --from FILE --to URL          copy a SQLite shop into an empty PostgreSQL database
//	web backup FILE                           copy the SQLite database while the server runs
//	web sandbox [--addr A]                    run only the WeChat sandbox, for WX_API_BASE
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"wxshop/internal/app"
	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	args := os.Args[1:]
	var err error
	switch {
	case len(args) > 0 && args[0] == "user":
		err = userCommand(ctx, args[1:], os.Stdin, os.Stdout)
	case len(args) > 0 && args[0] == "db":
		err = dbCommand(ctx, args[1:], os.Stdout)
	case len(args) > 0 && args[0] == "backup":
		err = backupCommand(ctx, args[1:], os.Stdout)
	case len(args) > 0 && args[0] == "sandbox":
		err = sandboxCommand(ctx, args[1:], log)
	case len(args) > 0 && args[0] == "seed":
		err = seedCommand(ctx, args[1:], os.Stdout)
	default:
		err = serve(ctx, args, log)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	cfg, err := app.LoadConfig(os.Getenv, args)
	if err != nil {
		return err
	}
	// Take the port first: a server that cannot listen must not touch the data dir.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("ADDR %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	stopProfiling, err := startProfiling(log)
	if err != nil {
		return err
	}
	defer stopProfiling()
	store, err := db.OpenConfig(ctx, cfg.DataDir, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()

	if password, err := app.EnsureAdmin(ctx, store, cfg.AdminPassword); err != nil {
		return err
	} else if password != "" {
		// Printed once, on the very first start, so the operator can sign in.
		fmt.Fprintf(os.Stderr, "\n  First start: sign in as %q with the password %q and change it on /account (the name at the top right).\n\n", app.FirstAdminName, password)
	}

	if cfg.Sandbox {
		kind, err := sandbox.ParseKind(cfg.SandboxKind)
		if err != nil {
			return err
		}
		sb, err := sandbox.Listen("127.0.0.1:0", sandbox.Options{Kind: kind, PushFormat: cfg.SandboxPushFormat,
			Logger: log.With("component", "sandbox")})
		if err != nil {
			return err
		}
		defer sb.Close(context.Background())
		cfg.APIBase, cfg.AppID, cfg.Secret = sb.URL, sb.AppID(), sb.Secret()
		log.Info("sandbox mode: no WX_APPID configured, talking to a simulated WeChat", "api_base", sb.URL, "kind", kind)
	}

	a, err := app.New(cfg, store, app.Options{Logger: log, SessionCleanup: 30 * time.Minute})
	if err != nil {
		return err
	}
	defer a.Close()
	a.Start(ctx)

	srv := &http.Server{
		Handler:           benchFresh(a.Handler(), log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("wxshop is listening", "addr", cfg.Addr, "database", store.Dialect().String(), "data_dir", cfg.DataDir, "sandbox", cfg.Sandbox)
	select {
	case err := <-errc:
		return fmt.Errorf("ADDR %s: %w", cfg.Addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
