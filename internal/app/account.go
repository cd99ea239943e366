package app

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/web/templates"
)

// Passwords from the browser: everyone changes their own on /account (the current one first), and an admin
// sets a new one for someone who has forgotten theirs (/users). Either way every other session of that person
// ends: a session remembers a mark of the password it signed in with (passwordMark), and requireUser signs it
// out when the mark no longer matches.

// passwordMark identifies a password hash without holding it: enough to tell that it changed.
func passwordMark(hash string) string {
	sum := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(sum[:8])
}

// checkNewPassword says, beside the field, why a new password cannot be used.
func checkNewPassword(p i18n.Printer, password, again string) templates.FieldErrors {
	errs := templates.FieldErrors{}
	if msg := passwordProblem(p, password); msg != "" {
		errs["new_password"] = msg
	} else if again != password {
		errs["new_password_again"] = p.T("account.err.again")
	}
	return errs
}

// passwordProblem says why a password cannot be used, for the page; "" when it can. CheckPassword says the same
// for the command line.
func passwordProblem(p i18n.Printer, password string) string {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return p.T("users.err.password")
	case len(password) > MaxPasswordBytes:
		return p.T("users.err.password.long", MaxPasswordBytes)
	}
	return ""
}

func (a *App) showAccount(c *gin.Context) {
	a.renderAccount(c, http.StatusOK, templates.PasswordForm{})
}

func (a *App) renderAccount(c *gin.Context, status int, form templates.PasswordForm) {
	u := currentUser(c)
	v := templates.AccountView{Username: u.Username, Role: u.Role, LastLogin: templates.FormatTime(u.LastLoginAt), Form: form}
	a.render(c, status, templates.AccountPage(a.page(c, "title.account", ""), v))
}

// changeOwnPassword takes the current password and the new one twice. A wrong current password counts as a
// failed sign-in, so the form cannot be used to guess it.
func (a *App) changeOwnPassword(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	user := currentUser(c)
	current, password, again := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("new_password_again")
	form := templates.PasswordForm{Errors: checkNewPassword(p, password, again)}
	addr := c.ClientIP()
	if current == "" {
		form.Errors["current_password"] = p.T("account.err.current.empty")
	} else if try, err := a.throttle.reserve(ctx, user.Username, addr); err != nil {
		msg, ok := throttledMessage(p, err)
		if !ok {
			a.serverError(c, err)
			return
		}
		form.Errors["current_password"] = msg
	} else if bcrypt.CompareHashAndPassword([]byte(user.PasswordHash), []byte(current)) != nil {
		form.Errors["current_password"] = p.T("account.err.current") // the reserved attempt stays a failure
	} else {
		a.releaseAttempt(ctx, try, true)
	}
	if len(form.Errors) > 0 {
		a.renderAccount(c, http.StatusUnprocessableEntity, form)
		return
	}
	hash, err := a.setPassword(c, user, user, password)
	if err != nil {
		a.serverError(c, err)
		return
	}
	// This session goes on with the new password; every other one of this person ends.
	if err := a.sessions.RenewToken(ctx); err != nil {
		a.serverError(c, err)
		return
	}
	a.sessions.Put(ctx, sessionPassword, passwordMark(hash))
	a.flash(c, "ok", p.T("account.changed"))
	a.redirect(c, "/account")
}

// resetPassword lets an admin give someone a new password (a forgotten one); their sessions end.
func (a *App) resetPassword(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	target, ok := loadByID(a, c, a.store.UserByID)
	if !ok {
		return
	}
	password := c.PostForm("new_password")
	if errs := checkNewPassword(p, password, password); len(errs) > 0 {
		a.flash(c, "error", p.T("users.reset.refused", target.Username, errs["new_password"]))
		a.redirect(c, "/users")
		return
	}
	me := currentUser(c)
	hash, err := a.setPassword(c, me, target, password)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if target.ID == me.ID { // an admin resetting their own: this session stays
		a.sessions.Put(ctx, sessionPassword, passwordMark(hash))
	}
	a.flash(c, "ok", p.T("users.reset.done", target.Username))
	a.redirect(c, "/users")
}

// setPassword stores a new password for target, done by who, and audits it; it returns the new hash.
func (a *App) setPassword(c *gin.Context, who, target db.User, password string) (string, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := a.store.SetUserPassword(c.Request.Context(), target.ID, hash); err != nil {
		return "", err
	}
	a.audit(c, who, db.AuditEntry{Action: "user.passwd", ObjectType: "user", ObjectID: target.Username})
	return hash, nil
}
