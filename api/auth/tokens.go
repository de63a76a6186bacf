package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
)

// TokenPrefix starts every access token, so that leaked tokens are easy to spot.
const TokenPrefix = "cm_"

// secretLen is the random part of tokens and session ids: 32 bytes, 43 characters
// of unpadded base64url.
const secretLen = 32

var secretEncLen = base64.RawURLEncoding.EncodedLen(secretLen)

// Token is an access token's metadata; the secret itself is shown once, by
// CreateToken, and never stored.
type Token struct {
	ID       string    `json:"id"`
	User     string    `json:"user"`
	Label    string    `json:"label"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires,omitzero"` // zero: never
	LastUsed time.Time `json:"last_used,omitzero"`
	Revoked  time.Time `json:"revoked,omitzero"`
}

// newSecret returns 32 random bytes as unpadded base64url.
func newSecret() (string, error) {
	b := make([]byte, secretLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func secretHash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// CreateToken creates an access token for an enabled user and returns it; only its
// SHA-256 hash is stored, so it cannot be shown again. ttl 0 means no expiry.
func (s *Store) CreateToken(ctx context.Context, user, label string, ttl time.Duration) (string, error) {
	user = NormalizeName(user)
	label = strings.TrimSpace(label)
	if ttl < 0 {
		return "", graph.Errorf(graph.EINVALID, "有效期不能为负 / the lifetime must not be negative")
	}
	if utf8.RuneCountInString(label) > 100 {
		return "", graph.Errorf(graph.EINVALID, "标签最多 100 个字符 / the label has at most 100 characters")
	}
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	plaintext := TokenPrefix + secret
	idb := make([]byte, 8)
	if _, err := rand.Read(idb); err != nil {
		return "", err
	}
	id := hex.EncodeToString(idb)
	now := s.now()
	var expires sql.NullInt64
	if ttl > 0 {
		expires = sql.NullInt64{Int64: now.Add(ttl).UnixMilli(), Valid: true}
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, disabled, err := userRole(ctx, tx, user)
		if err != nil {
			return err
		}
		if disabled {
			return graph.Errorf(graph.EINVALID, "用户 %q 已停用 / user %q is disabled", user, user)
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO tokens (id, user_name, label, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			id, user, label, secretHash(plaintext), now.UnixMilli(), expires)
		return err
	})
	if err != nil {
		return "", err
	}
	return plaintext, nil
}

// RevokeToken revokes the token with id; revoking it again is not an error.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", s.nowMS(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return graph.Errorf(graph.ENOTFOUND, "令牌 %q 不存在 / token %q not found", id, id)
	}
	return nil
}

// Tokens returns the metadata of user's tokens, or of every user's when user is
// empty, newest first.
func (s *Store) Tokens(ctx context.Context, user string) ([]Token, error) {
	q := "SELECT id, user_name, label, created_at, expires_at, last_used_at, revoked_at FROM tokens"
	var args []any
	if user != "" {
		q += " WHERE user_name = ?"
		args = append(args, NormalizeName(user))
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY created_at DESC, id", args...)
	if err != nil {
		return nil, fmt.Errorf("reading tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created int64
		var expires, used, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.User, &t.Label, &created, &expires, &used, &revoked); err != nil {
			return nil, fmt.Errorf("reading tokens: %w", err)
		}
		t.Created, t.Expires, t.LastUsed, t.Revoked = fromMS(created), fromNullMS(expires), fromNullMS(used), fromNullMS(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

const errBadToken = "访问令牌无效、已过期或已撤销 / the access token is invalid, expired or revoked"

// AuthenticateToken returns the principal a token stands for. The token is looked
// up by its SHA-256 hash, so the lookup's timing says nothing about the secret.
// Unknown, malformed, expired and revoked tokens and tokens of disabled users are
// all EUNAUTHORIZED with the same message.
func (s *Store) AuthenticateToken(ctx context.Context, plaintext string) (*Principal, error) {
	if !strings.HasPrefix(plaintext, TokenPrefix) || len(plaintext) != len(TokenPrefix)+secretEncLen {
		return nil, errUnauthorized(errBadToken)
	}
	var id, user string
	var role Role
	var disabled bool
	var expires, used, revoked sql.NullInt64
	row, err := s.queryRowPrepared(ctx, `SELECT t.id, t.user_name, u.role, u.disabled, t.expires_at, t.last_used_at, t.revoked_at
		FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = ?`, secretHash(plaintext))
	if err != nil {
		return nil, fmt.Errorf("checking a token: %w", err)
	}
	err = row.Scan(&id, &user, &role, &disabled, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnauthorized(errBadToken)
	}
	if err != nil {
		return nil, fmt.Errorf("checking a token: %w", err)
	}
	now := s.nowMS()
	if disabled || revoked.Valid || (expires.Valid && now >= expires.Int64) {
		return nil, errUnauthorized(errBadToken)
	}
	if !used.Valid || now-used.Int64 >= touchEvery.Milliseconds() {
		if _, err := s.db.ExecContext(ctx, "UPDATE tokens SET last_used_at = ? WHERE id = ?", now, id); err != nil {
			return nil, fmt.Errorf("recording a token's use: %w", err)
		}
	}
	return &Principal{User: user, Role: role, Via: ViaToken}, nil
}
