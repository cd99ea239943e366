package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// apiError is a WeChat error answer. Handlers return it as their error; ServeHTTP writes it as the body.
type apiError struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

func (e *apiError) Error() string { return fmt.Sprintf("wechat error %d: %s", e.Code, e.Msg) }

// The codes and messages WeChat itself answers, so a client can be tested against the real wording.
var (
	errSystem            = &apiError{-1, "system error"}
	errInvalidCredential = &apiError{40001, "invalid credential, access_token is invalid or not latest"}
	errInvalidGrantType  = &apiError{40002, "invalid grant_type"}
	errInvalidAppID      = &apiError{40013, "invalid appid"}
	errInvalidURL        = &apiError{40066, "invalid url"}
	errInvalidSecret     = &apiError{40125, "invalid appsecret"}
	errTokenMissing      = &apiError{41001, "access_token missing"}
	errAppIDMissing      = &apiError{41002, "appid missing"}
	errSecretMissing     = &apiError{41004, "appsecret missing"}
	errTokenExpired      = &apiError{42001, "access_token expired"}
	errRequireGET        = &apiError{43001, "require GET method"}
	errRequirePOST       = &apiError{43002, "require POST method"}
	errDataFormat        = &apiError{47001, "data format error"}
)

// status opens every successful API answer; answer structs embed it.
type status struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// statusOK is the answer of a call that has nothing to say but success.
var statusOK = status{ErrCode: 0, ErrMsg: "ok"}

// call is one request as a handler sees it. The body is read before the lock is taken, so a slow client
// never holds up the others.
type call struct {
	r    *http.Request
	body []byte
	// lost: the call ran, but its answer is to be lost on the way (SetLoseRate).
	lost bool
}

// decode reads the JSON body into v; like WeChat, an empty or malformed body is 47001.
func (c *call) decode(v any) error {
	if len(bytes.TrimSpace(c.body)) == 0 || json.Unmarshal(c.body, v) != nil {
		return errDataFormat
	}
	return nil
}

// asAPIError turns what a handler returned into what the client sees. Anything but an *apiError is a bug in
// the sandbox; the client gets WeChat's generic -1 and the log gets the details.
func (s *Server) asAPIError(path string, err error) *apiError {
	if e, isAPI := errors.AsType[*apiError](err); isAPI {
		return e
	}
	s.log.Error("sandbox: handler failed", "path", path, "error", err)
	return errSystem
}

// writeJSON answers v the way WeChat does: HTTP 200 whatever the errcode, UTF-8 JSON with Chinese and URLs
// left readable (no \u escapes for <, >, &).
func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.log.Error("sandbox: unable to encode answer", "error", err)
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(errSystem)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
