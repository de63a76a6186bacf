package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/chainmap/chainmap/graph"
)

// User is a stored user, without the password hash.
type User struct {
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Disabled bool      `json:"disabled"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// User names are 2–32 characters of lower-case ASCII letters, digits, '.', '_' and
// '-', starting with a letter or digit. Input is trimmed and lower-cased first, so
// "Zhang.Wei" and "zhang.wei" are the same user.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NormalizeName returns the canonical form of a user name as typed.
func NormalizeName(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func checkName(name string) error {
	if !nameRE.MatchString(name) {
		return graph.Errorf(graph.EINVALID, "用户名须为 2–32 个小写字母、数字或 . _ -，并以字母或数字开头 / "+
			"a user name is 2–32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	return nil
}

func errNoUser(name string) error {
	return graph.Errorf(graph.ENOTFOUND, "用户 %q 不存在 / user %q not found", name, name)
}

// AddUser adds an enabled user. The name is normalised (see NormalizeName); it is
// ECONFLICT when the name is taken and EINVALID when the name, password or role
// breaks the rules.
func (s *Store) AddUser(ctx context.Context, name, password string, role Role) error {
	// Checked as typed too: strings.ToLower folds look-alikes such as the Kelvin
	// sign (U+212A) into ASCII, so "Plain.User" with one would pass as "plain.user".
	if strings.IndexFunc(name, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
		return checkName(name)
	}
	name = NormalizeName(name)
	if err := checkName(name); err != nil {
		return err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	if err := checkPassword(name, password); err != nil {
		return err
	}
	hash, err := hashPassword(ctx, password)
	if err != nil {
		return err
	}
	now := s.nowMS()
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE name = ?", name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return graph.Errorf(graph.ECONFLICT, "用户 %q 已存在 / user %q already exists", name, name)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO users (name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)",
			name, string(role), hash, now, now)
		return err
	})
}

// SetRole changes a user's role. Demoting the last enabled admin is ECONFLICT.
// Existing sessions and tokens take the new role at their next request.
func (s *Store) SetRole(ctx context.Context, name string, role Role) error {
	name = NormalizeName(name)
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, disabled, err := userRole(ctx, tx, name)
		if err != nil {
			return err
		}
		if old == Admin && role != Admin && !disabled {
			if err := keepAnAdmin(ctx, tx, name); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE users SET role = ?, updated_at = ? WHERE name = ?", string(role), s.nowMS(), name)
		return err
	})
}

// DisableUser disables a user: their sessions end at once and their tokens are
// refused while the user stays disabled. Disabling the last enabled admin is
// ECONFLICT.
func (s *Store) DisableUser(ctx context.Context, name string) error {
	name = NormalizeName(name)
	return s.tx(ctx, func(tx *sql.Tx) error {
		role, disabled, err := userRole(ctx, tx, name)
		if err != nil || disabled {
			return err
		}
		if role == Admin {
			if err := keepAnAdmin(ctx, tx, name); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled = 1, updated_at = ? WHERE name = ?", s.nowMS(), name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_name = ?", name)
		return err
	})
}

// EnableUser enables a disabled user; their unexpired, unrevoked tokens work again.
func (s *Store) EnableUser(ctx context.Context, name string) error {
	name = NormalizeName(name)
	res, err := s.db.ExecContext(ctx, "UPDATE users SET disabled = 0, updated_at = ? WHERE name = ?", s.nowMS(), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNoUser(name)
	}
	return nil
}

// SetPassword replaces a user's password and ends all their sessions.
func (s *Store) SetPassword(ctx context.Context, name, password string) error {
	name = NormalizeName(name)
	if err := checkPassword(name, password); err != nil {
		return err
	}
	hash, err := hashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?", hash, s.nowMS(), name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNoUser(name)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_name = ?", name)
		return err
	})
}

// Users returns every user, by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name, role, disabled, created_at, updated_at FROM users ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("reading users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var created, updated int64
		if err := rows.Scan(&u.Name, &u.Role, &u.Disabled, &created, &updated); err != nil {
			return nil, fmt.Errorf("reading users: %w", err)
		}
		u.Created, u.Updated = fromMS(created), fromMS(updated)
		out = append(out, u)
	}
	return out, rows.Err()
}

func userRole(ctx context.Context, q querier, name string) (Role, bool, error) {
	var role Role
	var disabled bool
	err := q.QueryRowContext(ctx, "SELECT role, disabled FROM users WHERE name = ?", name).Scan(&role, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, errNoUser(name)
	}
	return role, disabled, err
}

// keepAnAdmin fails unless an enabled admin other than name exists.
func keepAnAdmin(ctx context.Context, q querier, name string) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND name <> ?", name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return graph.Errorf(graph.ECONFLICT, "%q 是最后一个可用的管理员 / %q is the last enabled admin", name, name)
	}
	return nil
}

// querier is satisfied by *sql.DB and *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
