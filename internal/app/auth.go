package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/web/templates"
)

// MinPasswordLength is the shortest password the app accepts; bcrypt reads at most MaxPasswordBytes.
const (
	MinPasswordLength = 10
	MaxPasswordBytes  = 72
)

// CheckPassword says why a password cannot be used, in a sentence for the command line.
func CheckPassword(password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength {
		return fmt.Errorf("the password must have at least %d characters (it has %d)", MinPasswordLength, n)
	}
	if len(password) > MaxPasswordBytes {
		return fmt.Errorf("the password must fit in %d bytes (a Chinese character takes 3; it has %d)", MaxPasswordBytes, len(password))
	}
	return nil
}

// passwordCost is bcrypt's cost for the passwords stored. Only the tests change it (main_test.go lowers it to
// bcrypt.MinCost, before any hash is made): at the default cost hashing and checking passwords was most of
// their time under -race.
var passwordCost = bcrypt.DefaultCost

// dummyHash is compared against when the username is unknown, so a wrong name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("wxshop-timing-equaliser"), passwordCost)
	return h
})

// HashPassword hashes a password for storage.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), passwordCost)
	return string(h), err
}

func (a *App) showLogin(c *gin.Context) {
	if a.sessions.GetInt64(c.Request.Context(), sessionUserID) != 0 {
		c.Redirect(http.StatusSeeOther, localPath(c.Query("next")))
		return
	}
	a.render(c, http.StatusOK, templates.LoginPage(a.page(c, "title.login", ""), templates.LoginForm{Next: c.Query("next")}))
}

func (a *App) login(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	form := templates.LoginForm{
		Username: strings.TrimSpace(c.PostForm("username")),
		Next:     c.PostForm("next"),
	}
	password := c.PostForm("password")
	fail := func(status int, msg string) {
		form.Error = msg
		a.render(c, status, templates.LoginPage(a.page(c, "title.login", ""), form))
	}
	if form.Username == "" || password == "" {
		fail(http.StatusUnprocessableEntity, p.T("login.required"))
		return
	}
	// A name no account can have is refused before it is looked up, counted or logged: a megabyte of it on
	// every try would otherwise fill the log and the throttle's memory.
	if !ValidUsername(form.Username) {
		form.Username = clip(form.Username, 64)
		fail(http.StatusUnprocessableEntity, p.T("login.invalid"))
		return
	}
	addr := c.ClientIP()
	try, err := a.throttle.reserve(ctx, form.Username, addr)
	if err != nil {
		if msg, ok := throttledMessage(p, err); ok {
			a.log.Warn("login throttled", "username", form.Username, "ip", addr)
			fail(http.StatusTooManyRequests, msg)
			return
		}
		a.serverError(c, err)
		return
	}
	user, err := a.authenticate(ctx, form.Username, password)
	if err != nil {
		if errors.Is(err, errBadCredentials) {
			a.log.Info("login failed", "username", form.Username, "ip", addr)
			fail(http.StatusUnprocessableEntity, p.T("login.invalid"))
			return
		}
		a.releaseAttempt(ctx, try, false)
		a.serverError(c, err)
		return
	}
	a.releaseAttempt(ctx, try, true)
	// A new token at every change of privilege, so a token planted before login is worthless after it.
	if err := a.sessions.RenewToken(ctx); err != nil {
		a.serverError(c, err)
		return
	}
	a.sessions.Put(ctx, sessionUserID, user.ID)
	a.sessions.Put(ctx, sessionPassword, passwordMark(user.PasswordHash))
	if err := a.store.TouchLogin(ctx, user.ID); err != nil {
		a.log.Warn("could not record the login time", "err", err)
	}
	a.audit(c, user, db.AuditEntry{Action: "auth.login", ObjectType: "user", ObjectID: user.Username, Detail: "ip " + addr})
	c.Redirect(http.StatusSeeOther, localPath(form.Next))
}

// throttledMessage says, in the operator's language, how long a throttled attempt must wait.
func throttledMessage(p i18n.Printer, err error) (string, bool) {
	var te *throttledError
	if !errors.As(err, &te) {
		return "", false
	}
	if te.locked {
		return p.T("login.throttled", int(math.Ceil(te.wait.Minutes()))), true
	}
	return p.T("login.slowed", int(math.Ceil(te.wait.Seconds()))), true
}

// releaseAttempt gives a reserved attempt back to the throttle; a failure to do so only costs the user a count.
func (a *App) releaseAttempt(ctx context.Context, try attempt, succeeded bool) {
	if err := a.throttle.release(context.WithoutCancel(ctx), try, succeeded); err != nil {
		a.log.Warn("could not release a sign-in attempt", "err", err)
	}
}

var errBadCredentials = errors.New("app: unknown user or wrong password")

// authenticate checks a username and password; unknown, disabled and wrong are one and the same error.
func (a *App) authenticate(ctx context.Context, username, password string) (db.User, error) {
	user, err := a.store.UserByUsername(ctx, username)
	if errors.Is(err, db.ErrNoRecord) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return db.User{}, errBadCredentials
	}
	if err != nil {
		return db.User{}, err
	}
	if bcrypt.CompareHashAndPassword([]byte(user.PasswordHash), []byte(password)) != nil || user.Disabled {
		return db.User{}, errBadCredentials
	}
	return user, nil
}

func (a *App) logout(c *gin.Context) {
	ctx := c.Request.Context()
	user := currentUser(c)
	p := a.printer(c)
	_, cookieErr := c.Cookie(langCookie)
	a.audit(c, user, db.AuditEntry{Action: "auth.logout", ObjectType: "user", ObjectID: user.Username})
	if err := a.sessions.Destroy(ctx); err != nil {
		a.serverError(c, err)
		return
	}
	// The language is the browser's, not the account's: it stays in its cookie (made now for a session that
	// still held it).
	if cookieErr != nil && p.Lang != i18n.Parse("") {
		a.setLanguage(c, p.Lang)
	}
	a.flash(c, "ok", p.T("auth.loggedout"))
	a.redirect(c, "/login")
}

// switchLanguage remembers the chosen language in its cookie and goes back to where it was chosen. It writes no
// session: a signed-out visitor choosing a language must not cost a row.
func (a *App) switchLanguage(c *gin.Context) {
	a.setLanguage(c, i18n.Parse(c.PostForm("lang")))
	a.redirect(c, localPath(c.PostForm("next")))
}

func (a *App) setLanguage(c *gin.Context, lang i18n.Lang) {
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: a.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode})
	// A session from before the cookie may still say another language; it no longer decides.
	a.sessions.Remove(c.Request.Context(), sessionLang)
}
