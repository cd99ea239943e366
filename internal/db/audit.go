package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one thing a person did, and what came of it.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     int64 // 0 for the system or the command line
	Username   string
	Action     string // e.g. "user.create", "product.update"
	ObjectType string
	ObjectID   string
	Detail     string // what changed, in a line a person can read
	Outcome    string // "ok", or WeChat's answer / the error
}

// AddAudit appends an entry to the audit log.
func (s *Store) AddAudit(ctx context.Context, e AuditEntry) error {
	_, err := s.insertAudit(ctx, e)
	return err
}

func (s *Store) insertAudit(ctx context.Context, e AuditEntry) (int64, error) {
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	var userID any
	if e.UserID != 0 {
		userID = e.UserID
	}
	var id int64
	err := s.DB.QueryRowContext(ctx,
		`INSERT INTO audit_log (at, user_id, username, action, object_type, object_id, detail, outcome)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		at.UnixMilli(), userID, e.Username, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.Outcome).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: unable to write audit entry: %w", err)
	}
	return id, nil
}

// AuditPending is the outcome of an entry written before its write: it stays so only when the process
// stopped before the write's outcome was known.
const AuditPending = "pending"

// BeginAudit writes e with the outcome AuditPending before the write it records is attempted, and returns
// its id for FinishAudit. If the process dies part way, the log still says what was being done.
func (s *Store) BeginAudit(ctx context.Context, e AuditEntry) (int64, error) {
	e.Outcome = AuditPending
	return s.insertAudit(ctx, e)
}

// FinishAudit replaces the pending entry id with e, outcome included.
func (s *Store) FinishAudit(ctx context.Context, id int64, e AuditEntry) error {
	_, err := s.DB.ExecContext(ctx,
		`UPDATE audit_log SET action = ?, object_type = ?, object_id = ?, detail = ?, outcome = ? WHERE id = ?`,
		e.Action, e.ObjectType, e.ObjectID, e.Detail, e.Outcome, id)
	if err != nil {
		return fmt.Errorf("db: unable to finish audit entry: %w", err)
	}
	return nil
}

// DropAudit removes a pending entry whose request turned out to write nothing (refused input).
func (s *Store) DropAudit(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM audit_log WHERE id = ? AND outcome = ?`, id, AuditPending)
	if err != nil {
		return fmt.Errorf("db: unable to drop audit entry: %w", err)
	}
	return nil
}

// AuditPage returns up to limit entries, newest first, skipping offset, and the total count.
func (s *Store) AuditPage(ctx context.Context, limit, offset int) ([]AuditEntry, int, error) {
	return s.AuditSearch(ctx, AuditFilter{}, limit, offset)
}

// AuditFilter narrows the audit log: who, what, how it ended, and a piece of the object's id or the detail.
type AuditFilter struct {
	Username string
	Action   string
	Outcome  string // AuditOK, AuditFailed (refused or unreachable), AuditPending (never finished); "" for any
	Query    string
}

// The outcomes AuditFilter can ask for; a failed entry's outcome is the reason itself.
const (
	AuditOK     = "ok"
	AuditFailed = "failed"
)

func (f AuditFilter) where(s *Store) (string, []any) {
	conds := []string{"1=1"}
	var args []any
	if f.Username != "" {
		conds, args = append(conds, "username = ?"), append(args, f.Username)
	}
	if f.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	switch f.Outcome {
	case AuditOK, AuditPending:
		conds, args = append(conds, "outcome = ?"), append(args, f.Outcome)
	case AuditFailed:
		conds, args = append(conds, "outcome NOT IN (?, ?)"), append(args, AuditOK, AuditPending)
	}
	if q := strings.TrimSpace(f.Query); strings.ContainsRune(q, 0) {
		conds = append(conds, "1 = 0") // no entry holds a NUL (PostgreSQL's text cannot)
	} else if q != "" {
		like := "%" + escapeLike(q) + "%"
		conds, args = append(conds, `(object_id `+s.like()+` ? ESCAPE '\' OR detail `+s.like()+` ? ESCAPE '\')`), append(args, like, like)
	}
	return strings.Join(conds, " AND "), args
}

// AuditSearch returns up to limit entries matching f, newest first, skipping offset, and how many match.
func (s *Store) AuditSearch(ctx context.Context, f AuditFilter, limit, offset int) ([]AuditEntry, int, error) {
	cond, args := f.where(s)
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count audit entries: %w", err)
	}
	rows, err := s.DB.QueryContext(ctx,
		`SELECT `+auditColumns+` FROM audit_log WHERE `+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list audit entries: %w", err)
	}
	entries, err := scanAudit(rows)
	return entries, total, err
}

// auditColumns are what scanAudit reads, in its order.
const auditColumns = `id, at, COALESCE(user_id, 0), username, action, object_type, object_id, detail, outcome`

// scanAudit reads the entries rows holds (auditColumns) and closes it.
func scanAudit(rows *sql.Rows) ([]AuditEntry, error) {
	defer rows.Close()
	var entries []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Username, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.Outcome); err != nil {
			return nil, fmt.Errorf("db: unable to read audit entry: %w", err)
		}
		e.At = time.UnixMilli(at)
		entries = append(entries, e)
	}
	return entries, rows.Err()
}

// LastCourier returns the courier id of username's latest successful shipment of an order from source (the
// first word of an order.ship entry's detail), or "" when there is none. courier_choices (migration 00073) holds
// it, kept by triggers as the entries are written.
func (s *Store) LastCourier(ctx context.Context, username, source string) (string, error) {
	var company string
	err := s.queryRow(ctx, `SELECT company FROM courier_choices WHERE username = ? AND source = ?`, username, source).Scan(&company)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("db: unable to read the last courier: %w", err)
	}
	return company, nil
}

// AuditUsernames lists everyone who has an entry in the log (people since removed and the command line
// included), in name order.
func (s *Store) AuditUsernames(ctx context.Context) ([]string, error) {
	// Each name is found with one seek into audit_log_user_idx, past the one before: a DISTINCT would walk
	// every entry of the index (60 ms for 300 000 entries, on every view of the log).
	rows, err := s.DB.QueryContext(ctx, `WITH RECURSIVE names(name) AS (
		SELECT min(username) FROM audit_log
		UNION ALL
		SELECT (SELECT min(username) FROM audit_log WHERE username > name) FROM names WHERE name IS NOT NULL
	) SELECT name FROM names WHERE name IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list audit users: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// AuditForObject lists the entries about one object, oldest first.
func (s *Store) AuditForObject(ctx context.Context, objectType, objectID string) ([]AuditEntry, error) {
	rows, err := s.DB.QueryContext(ctx,
		`SELECT `+auditColumns+` FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id`, objectType, objectID)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list audit entries: %w", err)
	}
	return scanAudit(rows)
}
