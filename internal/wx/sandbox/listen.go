package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Running is a sandbox serving on a real socket.
type Running struct {
	*Server
	URL string // e.g. http://127.0.0.1:41234
	srv *http.Server
}

// Listen starts a sandbox on addr ("127.0.0.1:0" picks a free loopback port) and serves it until Close.
func Listen(addr string, opts Options) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	s := New(opts)
	r := &Running{
		Server: s,
		URL:    "http://" + ln.Addr().String(),
		srv:    &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		if err := r.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("sandbox stopped serving", "err", err)
		}
	}()
	return r, nil
}

// Close stops serving, letting requests in flight finish until ctx ends.
func (r *Running) Close(ctx context.Context) error { return r.srv.Shutdown(ctx) }
