// Package sandbox is a stateful stand-in for api.weixin.qq.com. The app talks to it when no real shop is
// configured, and tests use it as their WeChat: it issues and checks access tokens the way WeChat does, keeps the
// shop's state in memory, answers with WeChat's error codes and can be told to be slow or to fail.
//
// Adding an API area: a file with its state and its handlers, func(*call) (any, error), its lines in routes.go
// and a _test.go beside it. A handler runs with s.mu held and after the access token and the injected faults
// were checked; it returns an answer struct embedding status, or an *apiError.
package sandbox

import (
	"bytes"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configures a Server. The zero value is a usable sandbox.
type Options struct {
	AppID    string           // default "wxsandbox00000001"
	Secret   string           // default "sandbox-secret"
	ShopName string           // default "沙箱小店"
	TokenTTL time.Duration    // lifetime of access tokens, default 2h
	Latency  time.Duration    // added to every request; a client that gives up meanwhile is dropped
	FailRate float64          // 0..1: fraction of API calls (not token calls) answered with -1 "system error"
	LoseRate float64          // 0..1: fraction of API calls that run but whose answer is lost (SetLoseRate)
	Seed     int64            // seeds fail-rate draws, generated tokens and product ids so runs can be repeated; 0: time-based
	Now      func() time.Time // the clock tokens expire by, default time.Now; tests move it instead of sleeping
	Logger   *slog.Logger     // nil: discard
	// Empty starts the shop without the demo products and their images (see demo.go), and without the demo
	// postage templates, groups and shelves (demo_storefront.go). The category tree is WeChat's, not the
	// shop's, and is there either way. An Empty shop has no demo orders either.
	Empty bool

	// Orders is how many demo orders the shop starts with (demo_orders.go), spread over the 60 days before Now
	// and over the four sources; 0 means 400, a negative number none. They are stored compactly and built into
	// answers when asked for, so 100 000 cost some twenty megabytes and a tenth of a second to make.
	Orders int
	// ChannelsWindowLimit is how many orders /channels/ec/order/list/get may find for one request before it
	// answers 31042 (narrow the time range); 0 means 2000. Tests lower it.
	ChannelsWindowLimit int
	// OrderUpdateLimit is how many times shipping calls may change one Channels order within 10 s before the
	// next answers 100003 (updated too often, try again); 0 means 3. Tests lower it.
	OrderUpdateLimit int
	// OrderSources says, per source (SourceMerchant, SourceShop, SourceChannels, SourcePartner), whether the
	// account may use its order calls; a source mapped to false answers 48001 "api unauthorized" on every one
	// of them, as WeChat does for an interface the account has not been granted. A source left out is
	// available; a name that is none of the four panics. SetOrderSource changes it later.
	OrderSources map[string]bool
	// PermissionState is where the shopping-order product permission starts (permission.go): the zero value
	// PermissionClosed lets the first open succeed; the others make it answer their code.
	PermissionState PermissionState
	// Kind is which catalog API the shop has (store.go): KindStore, a 微信小店 whose catalog is /channels/ec/*,
	// or KindMerchant, the V1.13 merchant API (/merchant/*) that the demo and the tests were first written
	// against. The zero value is KindMerchant, so existing callers keep the V1.13 shop; the web command and
	// SANDBOX_KIND default to KindStore. The other kind's catalog calls answer 48001.
	Kind Kind
	// AuditDelay is how long a 微信小店 product stays in audit before the sandbox decides (store_products.go);
	// 0 means 8 s, a negative value never (only the sandbox's audit button decides).
	AuditDelay time.Duration
	// PushTimeout is how long PushOrderEvent waits for the callback to answer before it tries again, as
	// WeChat waits 5 s (the default).
	PushTimeout time.Duration
	// PushFormat is the form of the pushes PushOrderEvent sends: PushFormatNative (the default) sends each
	// event as WeChat does, the V1.13 merchant_order as XML and the 微信小店 and partner-store events as
	// JSON; PushFormatXML and PushFormatJSON send every event in that form, as a third-party platform (XML)
	// or a shop's own app (JSON) receives them.
	PushFormat string
}

// Values of Options.PushFormat.
const (
	PushFormatNative = ""
	PushFormatXML    = "xml"
	PushFormatJSON   = "json"
)

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	appID, secret, shopName string
	tokenTTL                time.Duration
	now                     func() time.Time
	log                     *slog.Logger

	routes map[string]route // by path; see routes.go
	files  *http.ServeMux   // what the sandbox serves for itself, outside WeChat's API (images)

	// mu guards everything below. ServeHTTP holds it while a handler runs, so handlers read and change state
	// without locking; the wait for Latency and the reading of the body happen before, outside the lock.
	mu       sync.Mutex
	rng      *rand.Rand
	latency  time.Duration
	failRate float64
	loseRate float64
	losses   map[string]int // LoseNext: answers still to lose, by path
	failures []failure
	calls    map[string]int
	tokens   tokenStore
	ids      *rand.Rand   // product ids, apart from rng so that creating products does not shift fail-rate draws
	products productStore // products.go
	images   imageStore   // images.go
	// templates, groups and shelves are the storefront. Their ids come from counters of their own, so they
	// shift no draws of rng or ids.
	templates templateStore // express.go
	groups    groupStore    // groups.go
	shelves   shelfStore    // shelves.go
	// orders holds the orders of every source (orders.go), the catalog their lines refer to, and the order
	// settings (sources available, the permission, the list limit). Its draws come from a generator of its
	// own, so orders shift no draws of rng or ids.
	orders orderStore
	// aftersales holds the 微信小店 after-sales on Channels orders and the merchant's addresses
	// (aftersale.go, address.go).
	aftersales  aftersaleStore
	pushTimeout time.Duration // push.go
	pushFormat  string        // push.go
	// kind and store are the 微信小店 catalog (store.go); store's ids come from a counter of its own.
	kind  Kind
	store storeCatalog
	// lastBase is scheme://host of the latest API call, what Product and ImageURLs write in front of image
	// paths, having no request of their own.
	lastBase string
}

// New returns a sandbox ready to serve.
func New(opts Options) *Server {
	s := &Server{
		appID:    orDefault(opts.AppID, "wxsandbox00000001"),
		secret:   orDefault(opts.Secret, "sandbox-secret"),
		shopName: orDefault(opts.ShopName, "沙箱小店"),
		tokenTTL: opts.TokenTTL,
		now:      opts.Now,
		log:      opts.Logger,
		routes:   map[string]route{},
		files:    http.NewServeMux(),
		calls:    map[string]int{},
		tokens:   tokenStore{byValue: map[string]*token{}},
	}
	if s.tokenTTL <= 0 {
		s.tokenTTL = 2 * time.Hour
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	seed := uint64(opts.Seed)
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	s.rng = rand.New(rand.NewPCG(seed, seed))
	s.ids = rand.New(rand.NewPCG(seed, ^seed))
	s.SetLatency(opts.Latency)
	s.SetFailRate(opts.FailRate)
	s.SetLoseRate(opts.LoseRate)
	s.kind = opts.Kind.orDefault()
	s.registerRoutes()
	s.initStore(opts)
	if !opts.Empty {
		s.loadDemo()
		s.loadStorefront()
		s.loadStoreDemo()
	}
	s.initOrders(seed, opts)
	// Loading the demo after-sales arms the timer that moves them on; it must wait for the load to end.
	s.mu.Lock()
	s.initAftersales(seed, opts.Empty || opts.Orders < 0)
	s.mu.Unlock()
	return s
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// AppID is the only appid the token endpoints accept.
func (s *Server) AppID() string { return s.appID }

// Secret is the appsecret that goes with AppID.
func (s *Server) Secret() string { return s.secret }

// ShopName is the shop's nickname, as the basics info answers it.
func (s *Server) ShopName() string { return s.shopName }

// maxBody bounds what one request may send; WeChat's largest body is an image upload.
const maxBody = 10 << 20

// ServeHTTP answers like api.weixin.qq.com: HTTP 200 with errcode/errmsg in the JSON body, even for errors.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	s.mu.Lock()
	s.calls[path]++
	latency := s.latency
	s.mu.Unlock()

	// The body is read before the wait: net/http notices a client hanging up only once the body is consumed,
	// and only then cancels the request's context.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.log.Warn("sandbox: unable to read request body", "path", path, "error", err)
		return // the client is gone or broke the request; nobody is there to read an answer
	}
	if !sleep(r, latency) {
		s.log.Debug("sandbox: request cancelled while delayed", "path", path)
		return
	}
	if strings.HasPrefix(path, "/sandbox/") {
		r.Body = io.NopCloser(bytes.NewReader(body)) // read above; the sandbox's own calls may need it
		s.files.ServeHTTP(w, r)
		return
	}

	c := &call{r: r, body: body}
	answer, err := s.dispatch(c)
	if c.lost {
		s.log.Info("sandbox: call whose answer is lost", "method", r.Method, "path", path)
		loseAnswer(w)
		return
	}
	errcode := 0
	if err != nil {
		e := s.asAPIError(path, err)
		answer, errcode = e, e.Code
	}
	s.log.Info("sandbox: call", "method", r.Method, "path", path, "errcode", errcode)
	if f, ok := answer.(fileAnswer); ok {
		w.Header().Set("Content-Type", f.contentType)
		_, _ = w.Write(f.data)
		return
	}
	s.writeJSON(w, answer)
}

// dispatch finds the route and runs it under the lock, after every check that must happen before a handler may
// change state: method, access token, injected faults.
func (s *Server) dispatch(c *call) (any, error) {
	rt, found := s.routes[c.r.URL.Path]
	if !found {
		return nil, errInvalidURL
	}
	if c.r.Method != rt.method {
		if rt.method == http.MethodPost {
			return nil, errRequirePOST
		}
		return nil, errRequireGET
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastBase = requestBase(c.r)
	if rt.needsToken {
		if err := s.tokens.check(c.r.URL.Query().Get("access_token"), s.now()); err != nil {
			return nil, err
		}
	}
	if err := s.injectedFault(c.r.URL.Path, rt.needsToken); err != nil {
		return nil, err
	}
	if rt.kind != "" && rt.kind != s.kind {
		return nil, errAPIUnauthorized.with("this shop's catalog is the %s API", s.kind.apiName())
	}
	answer, err := rt.handle(c)
	c.lost = err == nil && rt.needsToken && (s.loseNext(c.r.URL.Path) || s.loseRate > 0 && s.rng.Float64() < s.loseRate)
	return answer, err
}

// sleep waits d, or less when the client gives up. It reports whether the request is still wanted.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
