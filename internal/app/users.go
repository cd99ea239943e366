package app

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/web/templates"
)

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{2,32}$`)

// ValidUsername reports whether name may be used to sign in.
func ValidUsername(name string) bool { return usernamePattern.MatchString(name) }

func (a *App) showUsers(c *gin.Context) {
	a.renderUsers(c, http.StatusOK, templates.NewUserForm{Role: string(RoleOperator)})
}

func (a *App) renderUsers(c *gin.Context, status int, form templates.NewUserForm) {
	users, err := a.store.Users(c.Request.Context())
	if err != nil {
		a.serverError(c, err)
		return
	}
	me := currentUser(c)
	rows := make([]templates.UserRow, len(users))
	for i, u := range users {
		rows[i] = userRow(u, me)
	}
	a.render(c, status, templates.UsersPage(a.page(c, "title.users", "users"), rows, form))
}

func userRow(u, me db.User) templates.UserRow {
	return templates.UserRow{
		ID: u.ID, Username: u.Username, Role: u.Role, Disabled: u.Disabled,
		LastLogin: templates.FormatTime(u.LastLoginAt), IsSelf: u.ID == me.ID,
	}
}

// newUserInput is the add-user form, parsed.
type newUserInput struct {
	Username, Password, Role string
}

func (in newUserInput) validate(p i18n.Printer) templates.FieldErrors {
	errs := templates.FieldErrors{}
	if !ValidUsername(in.Username) {
		errs["username"] = p.T("users.err.username")
	}
	if msg := passwordProblem(p, in.Password); msg != "" {
		errs["password"] = msg
	}
	if !ValidRole(in.Role) {
		errs["role"] = p.T("users.err.role")
	}
	return errs
}

func (a *App) createUser(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	in := newUserInput{
		Username: strings.TrimSpace(c.PostForm("username")),
		Password: c.PostForm("password"),
		Role:     c.PostForm("role"),
	}
	form := templates.NewUserForm{Username: in.Username, Role: in.Role, Errors: in.validate(p)}
	if len(form.Errors) == 0 {
		hash, err := HashPassword(in.Password)
		if err != nil {
			a.serverError(c, err)
			return
		}
		_, err = a.store.CreateUser(ctx, in.Username, hash, in.Role)
		switch {
		case errors.Is(err, db.ErrDuplicateUsername):
			form.Errors["username"] = p.T("users.err.taken")
		case err != nil:
			a.serverError(c, err)
			return
		}
	}
	if len(form.Errors) > 0 {
		a.renderUsers(c, http.StatusUnprocessableEntity, form)
		return
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "user.create", ObjectType: "user", ObjectID: in.Username, Detail: "role " + in.Role})
	a.flash(c, "ok", p.T("users.added", in.Username))
	a.redirect(c, "/users")
}

// updateUser changes a user's role and whether it may sign in. Through htmx it answers the table row only.
func (a *App) updateUser(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.renderError(c, http.StatusNotFound)
		return
	}
	before, err := a.store.UserByID(ctx, id)
	if errors.Is(err, db.ErrNoRecord) {
		a.renderError(c, http.StatusNotFound)
		return
	} else if err != nil {
		a.serverError(c, err)
		return
	}
	role := c.PostForm("role")
	disabled := c.PostForm("status") == "disabled"
	// The row shows what is saved: the new values on success, the old ones next to a refusal.
	row := userRow(before, currentUser(c))
	status := http.StatusOK

	switch {
	case !ValidRole(role):
		row.Error, status = p.T("users.err.role"), http.StatusUnprocessableEntity
	default:
		err := a.store.UpdateUserAccess(ctx, id, role, disabled)
		switch {
		case errors.Is(err, db.ErrLastAdmin):
			row.Error, status = p.T("users.err.lastadmin"), http.StatusUnprocessableEntity
		case err != nil:
			a.serverError(c, err)
			return
		default:
			row.Saved = true
			row.Role, row.Disabled = role, disabled
			a.audit(c, currentUser(c), db.AuditEntry{
				Action: "user.update", ObjectType: "user", ObjectID: before.Username,
				Detail: fmt.Sprintf("role %s -> %s, disabled %t -> %t", before.Role, role, before.Disabled, disabled),
			})
		}
	}

	if c.GetHeader("HX-Request") == "true" {
		a.render(c, status, templates.UserRowView(row))
		return
	}
	if row.Error != "" {
		a.flash(c, "error", before.Username+": "+row.Error)
	} else {
		a.flash(c, "ok", p.T("common.saved"))
	}
	a.redirect(c, "/users")
}
