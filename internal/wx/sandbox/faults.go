package sandbox

import (
	"net/http"
	"time"
)

// failure is an error queued by FailNext.
type failure struct {
	path  string // "" matches any path that needs an access token
	err   *apiError
	times int
}

// SetLatency delays every later request by d, including token calls and files; a client that gives up while
// waiting gets no answer and changes nothing.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = max(d, 0)
}

// SetFailRate makes the fraction p (clamped to 0..1) of later API calls answer -1 "system error". Token calls
// are spared, so a client can always authenticate and the failures land where retries are tested.
func (s *Server) SetFailRate(p float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRate = min(max(p, 0), 1)
}

// SetLoseRate makes the fraction p (clamped to 0..1) of later API calls that succeed lose their answer: the
// call has done what it does, then the connection closes before a byte is sent, as when a network drops. A
// client cannot tell such a write from one that never arrived; token calls are spared.
func (s *Server) SetLoseRate(p float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loseRate = min(max(p, 0), 1)
}

// LoseNext makes the next `times` successful calls to path lose their answer after they have run, as
// SetLoseRate does at random.
func (s *Server) LoseNext(path string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.losses == nil {
		s.losses = map[string]int{}
	}
	s.losses[path] += max(times, 0)
}

// loseNext uses up one LoseNext of path, if any. The caller holds s.mu.
func (s *Server) loseNext(path string) bool {
	if s.losses[path] == 0 {
		return false
	}
	s.losses[path]--
	return true
}

// loseAnswer closes the connection without answering; the client sees the connection end.
func loseAnswer(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream instead
}

// FailNext makes the next `times` calls to path answer errcode and errmsg, before the endpoint runs, so the
// failure changes no state. path "" matches any API path but not the token endpoints; naming a token endpoint
// explicitly (e.g. "/cgi-bin/stable_token") does make it fail, to test a client's fallback. Calls refused for
// their access token do not use up a failure. Queued failures are used in the order they were queued.
func (s *Server) FailNext(path string, errcode int, errmsg string, times int) {
	if times <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{path: path, err: &apiError{Code: errcode, Msg: errmsg}, times: times})
}

// Calls is how many requests reached path so far, whatever they were answered, counted on arrival.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// injectedFault decides whether this call fails on purpose. The caller holds s.mu.
func (s *Server) injectedFault(path string, isAPI bool) error {
	for i := range s.failures {
		f := &s.failures[i]
		if f.path == path || (f.path == "" && isAPI) {
			err := f.err
			if f.times--; f.times == 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
			return err
		}
	}
	if isAPI && s.failRate > 0 && s.rng.Float64() < s.failRate {
		return errSystem
	}
	return nil
}
