package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// Session is a signed-in browser session. ID is the secret the session cookie
// carries (only its SHA-256 hash is stored); CSRF is the token the browser must send
// back in the X-CSRF-Token header on unsafe requests.
type Session struct {
	ID      string    `json:"-"`
	CSRF    string    `json:"csrf_token"`
	User    string    `json:"user"`
	Role    Role      `json:"role"`
	Expires time.Time `json:"expires"` // absolute end; it ends sooner after Policy.SessionIdle without use
}

const (
	errBadLogin   = "用户名或密码错误 / wrong user name or password"
	errBadSession = "会话无效或已过期，请重新登录 / the session is invalid or has expired; please sign in again"
)

type throttleKey struct{ kind, key string }

// Login checks a user's password and starts a session. Every failure — unknown
// user, wrong password, disabled user — is the same EUNAUTHORIZED error and takes
// about as long. After Policy.MaxFailures failures for the user name, or
// Policy.MaxIPFailures for the clientIP, within Policy.FailureWindow, attempts for that name or IP are refused with
// ETOOMANY (wrapping a *LockedError) for Policy.LockoutDuration, without checking the
// password. A success clears the user name's failures (not the IP's: one account's
// success must not let its owner keep guessing other accounts' passwords).
func (s *Store) Login(ctx context.Context, user, password, clientIP string) (Session, error) {
	name := NormalizeName(user)
	keys := []throttleKey{{"user", name}}
	if clientIP != "" {
		keys = append(keys, throttleKey{"ip", clientIP})
	}
	// 1. Refuse locked names and IPs; otherwise record this attempt as a failure up
	// front, so that concurrent attempts count against the limit while the password
	// is being checked.
	var pending []int64
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			until, err := s.lockEnd(ctx, tx, k, now)
			if err != nil {
				return err
			}
			if !until.IsZero() {
				return lockedErr(now, until)
			}
		}
		for _, k := range keys {
			res, err := tx.ExecContext(ctx, "INSERT INTO login_failures (kind, key, at) VALUES (?, ?, ?)", k.kind, k.key, now.UnixMilli())
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			pending = append(pending, id)
		}
		return nil
	})
	if err != nil {
		return Session{}, err
	}

	// 2. Check the password, hashing even when the user does not exist.
	ok, stale, err := s.checkLogin(ctx, name, password)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, s.loginFailed(ctx, keys)
	}

	// 3. Success: start the session, clear the name's failures and this attempt's.
	var newHash string
	if stale {
		if newHash, err = hashPassword(ctx, password); err != nil {
			return Session{}, err
		}
	}
	id, err := newSecret()
	if err != nil {
		return Session{}, err
	}
	csrf, err := newSecret()
	if err != nil {
		return Session{}, err
	}
	now = s.now()
	sess := Session{ID: id, CSRF: csrf, User: name, Expires: fromMS(now.Add(s.policy.SessionMax).UnixMilli())}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		role, disabled, err := userRole(ctx, tx, name)
		if err != nil || disabled { // disabled or deleted since step 2
			return errUnauthorized(errBadLogin)
		}
		sess.Role = role
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE (kind = 'user' AND key = ?) OR id IN (?, ?)",
			name, pending[0], pending[len(pending)-1]); err != nil {
			return err
		}
		if newHash != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE name = ?", newHash, name); err != nil {
				return err
			}
		}
		if err := s.prune(ctx, tx, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO sessions (hash, user_name, csrf, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			secretHash(id), name, csrf, now.UnixMilli(), now.UnixMilli(), sess.Expires.UnixMilli())
		return err
	})
	if err != nil {
		return Session{}, err
	}
	return sess, nil
}

// checkLogin reports whether name is an enabled user with password, and whether the
// stored hash should be upgraded.
func (s *Store) checkLogin(ctx context.Context, name, password string) (ok, stale bool, err error) {
	var hash string
	var disabled bool
	err = s.db.QueryRowContext(ctx, "SELECT password_hash, disabled FROM users WHERE name = ?", name).Scan(&hash, &disabled)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, false, fmt.Errorf("checking a sign-in: %w", err)
	}
	if len(password) > maxPasswordLen || password == "" {
		return false, false, nil // no hashing: the same for every user
	}
	if !found {
		hash = dummyHash()
	}
	ok, stale, err = verifyPassword(ctx, hash, password)
	if err != nil {
		if ctx.Err() != nil {
			return false, false, ctx.Err()
		}
		return false, false, fmt.Errorf("checking a sign-in: stored password hash: %w", err)
	}
	return ok && found && !disabled, stale, nil
}

// loginFailed keeps the failures recorded up front and locks each name or IP that
// reached the limit; it returns the sign-in's error.
func (s *Store) loginFailed(ctx context.Context, keys []throttleKey) error {
	now := s.now()
	p := s.policy
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM login_failures WHERE kind = ? AND key = ? AND at > ?",
				k.kind, k.key, now.Add(-p.FailureWindow).UnixMilli()).Scan(&n); err != nil {
				return err
			}
			if n < p.limit(k) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_locks (kind, key, until) VALUES (?, ?, ?)
				ON CONFLICT (kind, key) DO UPDATE SET until = excluded.until`, k.kind, k.key, now.Add(p.LockoutDuration).UnixMilli()); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE kind = ? AND key = ?", k.kind, k.key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording a failed sign-in: %w", err)
	}
	return errUnauthorized(errBadLogin)
}

// lockEnd returns when k's lockout ends, or zero when k is not locked out. Besides a
// stored lock, the limit's number of attempts within the window (some of them still being
// checked) also refuse the next one until the oldest leaves the window.
func (s *Store) lockEnd(ctx context.Context, q querier, k throttleKey, now time.Time) (time.Time, error) {
	var until int64
	err := q.QueryRowContext(ctx, "SELECT until FROM login_locks WHERE kind = ? AND key = ?", k.kind, k.key).Scan(&until)
	switch {
	case err == nil && until > now.UnixMilli():
		return fromMS(until), nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return time.Time{}, err
	}
	var at int64
	err = q.QueryRowContext(ctx, "SELECT at FROM login_failures WHERE kind = ? AND key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
		k.kind, k.key, now.Add(-s.policy.FailureWindow).UnixMilli(), s.policy.limit(k)-1).Scan(&at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, err
	}
	return fromMS(at).Add(s.policy.FailureWindow), nil
}

func lockedErr(now, until time.Time) error {
	mins := int(math.Ceil(until.Sub(now).Minutes()))
	return &graph.Error{Code: ETOOMANY, Err: &LockedError{Until: until, RetryAfter: until.Sub(now)},
		Message: fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试 / too many failed sign-ins; try again in %d minutes", mins, mins)}
}

// SessionPrincipal returns the principal of a live session and its CSRF token, and
// records the session's use. An unknown, idle-expired or expired session is
// EUNAUTHORIZED (and is deleted).
func (s *Store) SessionPrincipal(ctx context.Context, sessionID string) (*Principal, string, error) {
	if len(sessionID) != secretEncLen {
		return nil, "", errUnauthorized(errBadSession)
	}
	h := secretHash(sessionID)
	var user, csrf string
	var role Role
	var disabled bool
	var lastSeen, expires int64
	row, err := s.queryRowPrepared(ctx, `SELECT s.user_name, u.role, u.disabled, s.csrf, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.hash = ?`, h)
	if err != nil {
		return nil, "", fmt.Errorf("checking a session: %w", err)
	}
	err = row.Scan(&user, &role, &disabled, &csrf, &lastSeen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errUnauthorized(errBadSession)
	}
	if err != nil {
		return nil, "", fmt.Errorf("checking a session: %w", err)
	}
	now := s.nowMS()
	if disabled || now >= expires || now-lastSeen >= s.policy.SessionIdle.Milliseconds() {
		if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE hash = ?", h); err != nil {
			return nil, "", fmt.Errorf("ending a session: %w", err)
		}
		return nil, "", errUnauthorized(errBadSession)
	}
	if now-lastSeen >= touchEvery.Milliseconds() {
		if _, err := s.db.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE hash = ?", now, h); err != nil {
			return nil, "", fmt.Errorf("recording a session's use: %w", err)
		}
	}
	return &Principal{User: user, Role: role, Via: ViaSession}, csrf, nil
}

// Logout ends a session; ending an unknown or ended session is not an error.
func (s *Store) Logout(ctx context.Context, sessionID string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE hash = ?", secretHash(sessionID)); err != nil {
		return fmt.Errorf("ending a session: %w", err)
	}
	return nil
}

// Prune deletes expired sessions, sign-in failures that left the window and ended
// lockouts. Login prunes too; a server may also call it periodically.
func (s *Store) Prune(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.prune(ctx, tx, s.now()) })
}

func (s *Store) prune(ctx context.Context, q querier, now time.Time) error {
	ms := now.UnixMilli()
	for _, stmt := range []struct {
		sql string
		arg int64
	}{
		{"DELETE FROM sessions WHERE expires_at <= ?", ms},
		{"DELETE FROM sessions WHERE last_seen_at <= ?", now.Add(-s.policy.SessionIdle).UnixMilli()},
		{"DELETE FROM login_failures WHERE at <= ?", now.Add(-s.policy.FailureWindow).UnixMilli()},
		{"DELETE FROM login_locks WHERE until <= ?", ms},
	} {
		if _, err := q.ExecContext(ctx, stmt.sql, stmt.arg); err != nil {
			return fmt.Errorf("pruning: %w", err)
		}
	}
	return nil
}
