package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrDuplicateUsername is returned when a user with that name already exists.
var ErrDuplicateUsername = errors.New("db: username already taken")

// User is a person who can sign in.
type User struct {
	ID           int64
	Username     string
	PasswordHash string
	Role         string
	Disabled     bool
	CreatedAt    time.Time
	LastLoginAt  time.Time
}

const userColumns = `id, username, password_hash, role, disabled, created_at, COALESCE(last_login_at, 0)`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, lastLogin int64
	err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Role, &u.Disabled, &created, &lastLogin)
	u.CreatedAt = timeOrZero(created)
	u.LastLoginAt = timeOrZero(lastLogin)
	return u, err
}

// CreateUser adds a user and returns its id.
func (s *Store) CreateUser(ctx context.Context, username, passwordHash, role string) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx,
		`INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		username, passwordHash, role, s.now().Unix()).Scan(&id)
	if err != nil {
		if isUniqueViolation(err) {
			return 0, ErrDuplicateUsername
		}
		return 0, fmt.Errorf("db: unable to create user: %w", err)
	}
	return id, nil
}

// UserByUsername finds a user by name, ignoring case.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
	return u, notFound(err, "user")
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "user")
}

// Users lists every user, by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list users: %w", err)
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("db: unable to read user: %w", err)
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// CountUsers counts every user, disabled ones included.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("db: unable to count users: %w", err)
	}
	return n, nil
}

// ErrLastAdmin is returned when a change would leave no enabled admin.
var ErrLastAdmin = errors.New("db: the last enabled admin cannot be demoted or disabled")

// UpdateUserAccess sets a user's role and whether it is disabled, refusing to leave the app without an enabled admin.
func (s *Store) UpdateUserAccess(ctx context.Context, id int64, role string, disabled bool) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: unable to begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, disabled = ? WHERE id = ?`, role, disabled, id)
	if err != nil {
		return fmt.Errorf("db: unable to update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoRecord
	}
	var admins int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0`).Scan(&admins); err != nil {
		return fmt.Errorf("db: unable to count admins: %w", err)
	}
	if admins == 0 {
		return ErrLastAdmin
	}
	return tx.Commit()
}

// SetUserPassword replaces a user's password hash.
func (s *Store) SetUserPassword(ctx context.Context, id int64, passwordHash string) error {
	res, err := s.DB.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, id)
	if err != nil {
		return fmt.Errorf("db: unable to set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoRecord
	}
	return nil
}

// TouchLogin records that the user just signed in.
func (s *Store) TouchLogin(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, s.now().Unix(), id)
	if err != nil {
		return fmt.Errorf("db: unable to record login: %w", err)
	}
	return nil
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoRecord
	}
	if err != nil {
		return fmt.Errorf("db: unable to fetch %s: %w", what, err)
	}
	return nil
}
