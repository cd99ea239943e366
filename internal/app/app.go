// Package app is the web application: the Gin engine, its middleware, one handler file per area, and the
// services that talk to WeChat and keep the local mirror.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"

	"wxshop/internal/compress"
	"wxshop/internal/db"
	"wxshop/internal/pagecache"
	"wxshop/internal/session"
	"wxshop/internal/shop"
	"wxshop/internal/versioned"
	"wxshop/internal/wx"
	"wxshop/web/static"
)

// App holds what every handler needs.
type App struct {
	cfg   Config
	store *db.Store
	wx    *wx.Client
	shop  *shop.Shop
	// aftersales answers the 微信小店's after-sales and keeps their mirror (internal/shop/aftersale.go).
	aftersales *shop.Aftersales
	sessions   *scs.SessionManager
	assets     *static.Assets
	log        *slog.Logger
	throttle   loginThrottle
	pushRate   *rateLimiter // pushes per address (callback_guard.go)
	origins    *http.CrossOriginProtection
	engine     *gin.Engine
	stop       func()
	figures    *versioned.Memo[figuresKey, figures] // the dashboard's sales figures (insights.go)
	pages      *pagecache.Cache
	users      *versioned.Map[int64, db.User] // the signed-in users, read under one data version
	bgCancel   context.CancelFunc
	bgDone     chan struct{}
	bgLoops    sync.WaitGroup // the background work that goes on as long as the server runs
	// fetches are the order fetches pushes started (callback.go); pushAnswerWithin is how long a push's
	// answer waits for its fetch, under WeChat's 5 s.
	fetches          orderFetches
	pushAnswerWithin time.Duration
	unhandledEvents  sync.Map     // event kinds already logged as not handled
	scheduledRuns    atomic.Int64 // ticks of the scheduled sync this server ran (scheduled_sync.go)
}

// Options are the pieces New cannot make itself.
type Options struct {
	Logger     *slog.Logger
	HTTPClient *http.Client // for WeChat; nil: wx's default
	// SessionCleanup is how often expired sessions are deleted; 0 disables it (tests).
	SessionCleanup time.Duration
}

// New builds the app on an open store. cfg.APIBase (and, in sandbox mode, AppID and Secret) must already point
// at the WeChat to use.
func New(cfg Config, store *db.Store, opts Options) (*App, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	assets, err := static.Load()
	if err != nil {
		return nil, fmt.Errorf("app: static files: %w", err)
	}
	a := &App{
		cfg:              cfg,
		store:            store,
		assets:           assets,
		log:              opts.Logger,
		throttle:         newLoginThrottle(store, time.Now),
		pushRate:         newPushRate(store, time.Now),
		pushAnswerWithin: 4 * time.Second,
		origins:          http.NewCrossOriginProtection(),
		pages:            pagecache.New(pagecache.Options{}),
		users:            versioned.NewMap[int64, db.User](1024),
		figures:          versioned.NewMemo[figuresKey, figures](figuresMaxAge, 16),
	}
	a.wx = wx.NewClient(wx.Config{
		BaseURL:    cfg.APIBase,
		AppID:      cfg.AppID,
		Secret:     cfg.Secret,
		HTTPClient: opts.HTTPClient,
		Tokens:     tokenStore{store},
		Logger:     opts.Logger,
	})
	a.shop = shop.New(store, a.wx, opts.Logger)
	a.shop.SetShipLease(cfg.ShipLease)
	a.aftersales = a.shop.Aftersales()

	a.sessions = scs.New()
	a.sessions.Codec = session.NewDecodeCache(a.sessions.Codec) // gob decodes once per distinct session
	// No write per page view, and no read while the database is unchanged (internal/session).
	sessionStore := session.NewStore(store, a.sessions.Codec, session.Options{TouchEvery: time.Minute, Version: a.requestVersion})
	a.sessions.Store = sessionStore
	if opts.SessionCleanup > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		swept := make(chan struct{})
		go func() {
			defer close(swept)
			sessionStore.Sweep(ctx, opts.SessionCleanup, a.log)
		}()
		a.stop = func() { cancel(); <-swept }
	}
	a.sessions.Lifetime = 7 * 24 * time.Hour
	a.sessions.IdleTimeout = 12 * time.Hour
	a.sessions.Cookie.Name = "wxshop_session"
	a.sessions.Cookie.HttpOnly = true
	a.sessions.Cookie.SameSite = http.SameSiteLaxMode
	a.sessions.Cookie.Secure = cfg.SecureCookies()
	a.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		a.log.Error("session store failed", "err", err, "path", logValue(r.URL.Path))
		http.Error(w, "session error", http.StatusInternalServerError)
	}

	gin.SetMode(gin.ReleaseMode)
	a.engine = gin.New()
	a.engine.ContextWithFallback = true // c.Value reaches the request's context, where scs keeps the session
	a.engine.HandleMethodNotAllowed = true
	// The client's address (sign-in throttling, the audit log, the request log) is the connection's, unless
	// the connection comes from a proxy the configuration trusts: then it is what that proxy says.
	var trusted []string
	if len(cfg.TrustedProxies) > 0 {
		trusted = cfg.TrustedProxies
	}
	if err := a.engine.SetTrustedProxies(trusted); err != nil {
		return nil, fmt.Errorf("app: TRUSTED_PROXIES: %w", err)
	}
	a.engine.RemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}
	a.routes()
	return a, nil
}

// Handler is the whole app as an http.Handler. Sessions are loaded for everything but static files, the health
// check and WeChat's pushes, which have no session and must stay cheap. Answers are gzipped for clients that
// accept it (internal/compress).
func (a *App) Handler() http.Handler {
	withSession := a.sessions.LoadAndSave(a.engine)
	return compress.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, static.Prefix) || r.URL.Path == "/healthz" || r.URL.Path == "/wx/callback" {
			a.engine.ServeHTTP(w, r)
			return
		}
		// The session, the user and the page are read under one data version, read once (internal/versioned).
		withSession.ServeHTTP(w, r.WithContext(versioned.WithRequest(r.Context())))
	}))
}

// Start runs the background work of a serving app: it learns the shop's name from WeChat once.
// The returned channel closes when that first fetch has finished, whatever its outcome.
func (a *App) Start(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	ctx, a.bgCancel = context.WithCancel(ctx)
	a.bgDone = done
	// A server sharing the database may stop or die part way through a file: the others look for running
	// files with rows no server holds (a lease run out) and finish them. On SQLite this takes up the rows left
	// for later when WeChat could not tell whether a stopped run had sent them.
	scan := orphanFileScan
	if lease := cmp.Or(a.cfg.ShipLease, shop.DefaultShipLease); lease < scan {
		scan = lease
	}
	a.bgLoops.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(scan):
			}
			a.shop.ResumeShipFiles(ctx)
		}
	})
	if a.cfg.SyncEvery > 0 {
		a.bgLoops.Go(func() { a.scheduledSync(ctx, a.cfg.SyncEvery) })
	}
	go func() {
		defer close(done)
		// Resuming unfinished files and the first sync run once for all servers sharing the database: the
		// server that takes the lock does them, the others leave them to it.
		lead, ok, err := a.store.TryLead(ctx, "start-up work")
		if err != nil {
			a.log.Warn("could not tell whether another server does the start-up work", "err", err)
		}
		defer lead.Release()
		if ok {
			a.shop.ResumeShipFiles(ctx)
		}
		fetchCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if _, err := a.shop.RefreshShopInfo(fetchCtx); err != nil && !errors.Is(err, context.Canceled) && !catalogUnavailableErr(err) {
			a.log.Warn("could not read the shop's details from WeChat", "err", err)
		}
		if kind, err := a.detectCatalogKind(fetchCtx); err != nil && !errors.Is(err, context.Canceled) {
			a.log.Warn("could not tell which catalog API the account has", "err", err)
		} else if err == nil {
			a.log.Info("catalog API", "kind", kind)
		}
		mirrors := a.shop.MerchantMirrors()
		if a.isStore(ctx) {
			mirrors = a.shop.StoreMirrors()
		}
		if ok {
			a.shop.FirstSync(ctx, mirrors)
			a.firstAftersaleSync(ctx)
		}
		a.log.Info("start-up work finished")
	}()
	return done
}

// orphanFileScan is how often (at most: the rows' lease when shorter) a server looks for shipping files with rows
// no server holds.
const orphanFileScan = 30 * time.Second

// Close stops the app's background work (the first sync, the files being shipped) and waits for it.
func (a *App) Close() {
	a.fetches.wait()
	if a.bgCancel != nil {
		a.bgCancel()
		<-a.bgDone
		a.bgLoops.Wait()
	}
	a.shop.Close()
	if a.stop != nil {
		a.stop()
	}
}
