package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"wxshop/internal/db"
)

// FirstAdminName is the user created on the first start.
const FirstAdminName = "admin"

// cliActor is who the audit log names for changes made on the command line.
const cliActor = "命令行 (cli)"

// EnsureAdmin creates the first admin when there are no users at all. It uses password when given, otherwise it
// generates one and returns it so it can be shown once; it returns "" when nothing was created or nothing
// needs showing.
func EnsureAdmin(ctx context.Context, store *db.Store, password string) (string, error) {
	n, err := store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	generated := ""
	if password == "" {
		generated = rand.Text()[:16]
		password = generated
	}
	if err := AddUser(ctx, store, FirstAdminName, password, string(RoleAdmin)); err != nil {
		return "", err
	}
	return generated, nil
}

// AddUser creates a user from the command line, and records it.
func AddUser(ctx context.Context, store *db.Store, username, password, role string) error {
	if !ValidRole(role) {
		return fmt.Errorf("unknown role %q", role)
	}
	if err := CheckPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := store.CreateUser(ctx, username, hash, role); err != nil {
		if errors.Is(err, db.ErrDuplicateUsername) {
			return fmt.Errorf("a user named %q already exists", username)
		}
		return err
	}
	return store.AddAudit(ctx, db.AuditEntry{Username: cliActor, Action: "user.create", ObjectType: "user", ObjectID: username, Detail: "role " + role, Outcome: "ok"})
}

// ChangePassword sets a user's password from the command line, and records it.
func ChangePassword(ctx context.Context, store *db.Store, username, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	u, err := store.UserByUsername(ctx, username)
	if errors.Is(err, db.ErrNoRecord) {
		return fmt.Errorf("no user named %q", username)
	} else if err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := store.SetUserPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	return store.AddAudit(ctx, db.AuditEntry{Username: cliActor, Action: "user.passwd", ObjectType: "user", ObjectID: u.Username, Outcome: "ok"})
}
