package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
	"golang.org/x/crypto/argon2"
)

// Password rules.
const (
	MinPasswordLen = 10   // characters
	maxPasswordLen = 1024 // bytes: bounds hashing work on hostile input
)

// argonParams are argon2id's cost parameters, stored with each hash (PHC string
// format) so that they can be raised later: a hash with older parameters is
// rehashed at the user's next sign-in.
type argonParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// hashParams follow OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
var hashParams = argonParams{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// hashSlots bounds concurrent hashing so that a burst of sign-ins cannot take
// 19 MiB each without limit.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func acquireHashSlot(ctx context.Context) error {
	select {
	case hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func releaseHashSlot() { <-hashSlots }

// hashPassword returns the PHC-format argon2id hash of password.
func hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, hashParams.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := acquireHashSlot(ctx); err != nil {
		return "", err
	}
	defer releaseHashSlot()
	p := hashParams
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether password matches the PHC-format hash, and whether
// the hash uses other parameters than hashParams (and should be replaced).
func verifyPassword(ctx context.Context, hash, password string) (ok, stale bool, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false, fmt.Errorf("unrecognised password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, false, fmt.Errorf("unsupported argon2 version")
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, false, fmt.Errorf("bad argon2 parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, false, fmt.Errorf("bad argon2 salt")
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, false, fmt.Errorf("bad argon2 key")
	}
	if p.Memory == 0 || p.Memory > 1<<21 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return false, false, fmt.Errorf("argon2 parameters out of range")
	}
	if err := acquireHashSlot(ctx); err != nil {
		return false, false, err
	}
	defer releaseHashSlot()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	stale = p.Memory != hashParams.Memory || p.Time != hashParams.Time || p.Threads != hashParams.Threads ||
		uint32(len(want)) != hashParams.KeyLen || len(salt) != hashParams.SaltLen
	return ok, stale, nil
}

// dummyHash is verified against when a user does not exist, so that a sign-in for
// an unknown name takes as long as one for a known name.
var dummyHash = sync.OnceValue(func() string {
	b := make([]byte, 16)
	rand.Read(b)
	h, err := hashPassword(context.Background(), base64.RawStdEncoding.EncodeToString(b))
	if err != nil {
		return ""
	}
	return h
})

// commonPasswords are refused outright; the length rule already excludes most
// others of the usual lists.
var commonPasswords = map[string]bool{
	"1234567890": true, "12345678910": true, "0123456789": true, "123456789a": true,
	"a123456789": true, "abc1234567": true, "abcd123456": true, "password12": true,
	"password123": true, "password1234": true, "qwertyuiop": true, "1qaz2wsx3edc": true,
	"1q2w3e4r5t": true, "admin12345": true, "admin123456": true, "chainmap123": true,
	"iloveyou12": true, "qwerty1234": true, "woaini1314": true, "5201314520": true,
	"aaaaaaaaaa": true, "1111111111": true, "0000000000": true, "8888888888": true,
}

// checkPassword applies the password rules; user is the (normalised) user name.
func checkPassword(user, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return graph.Errorf(graph.EINVALID, "密码含无效字符 / the password is not valid UTF-8")
	case n < MinPasswordLen:
		return graph.Errorf(graph.EINVALID, "密码至少需要 %d 个字符 / the password must have at least %d characters", MinPasswordLen, MinPasswordLen)
	case len(password) > maxPasswordLen:
		return graph.Errorf(graph.EINVALID, "密码过长（最多 %d 字节）/ the password is too long (at most %d bytes)", maxPasswordLen, maxPasswordLen)
	case strings.EqualFold(password, user):
		return graph.Errorf(graph.EINVALID, "密码不能与用户名相同 / the password must differ from the user name")
	case commonPasswords[strings.ToLower(password)] || oneRune(password):
		return graph.Errorf(graph.EINVALID, "密码过于常见，请换一个 / the password is too common; choose another")
	}
	return nil
}

func oneRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(r)) == ""
}
