package auth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

const pw = "Tr0ub4dor&3-horse"

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newStore opens a store in a temporary directory with a fake clock.
func newStore(t *testing.T) (*Store, *fakeClock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chainmap-auth.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	clk := &fakeClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	s.SetClock(clk.Now)
	return s, clk, path
}

func mustAdd(t *testing.T, s *Store, name string, role Role) {
	t.Helper()
	if err := s.AddUser(context.Background(), name, pw, role); err != nil {
		t.Fatalf("AddUser %s: %v", name, err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := graph.ErrorCode(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

func TestRoleAllows(t *testing.T) {
	roles := []Role{Viewer, Editor, Admin}
	for i, have := range roles {
		for j, need := range roles {
			if got, want := have.Allows(need), i >= j; got != want {
				t.Errorf("%s.Allows(%s) = %v, want %v", have, need, got, want)
			}
		}
		if have.Allows("root") || Role("root").Allows(have) || Role("").Allows(Viewer) {
			t.Errorf("an invalid role allows or is allowed")
		}
	}
}

func TestAddUser(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Admin)
	cases := []struct {
		name, user, password string
		role                 Role
		code                 string // "" for success
	}{
		{"ok", "bob", pw, Editor, ""},
		{"normalised", "  Carol.Li ", pw, Viewer, ""},
		{"duplicate", "alice", pw, Viewer, graph.ECONFLICT},
		{"duplicate other case", "ALICE", pw, Viewer, graph.ECONFLICT},
		{"short password", "dave", "short1234", Viewer, graph.EINVALID},
		{"ten characters ok", "erin", "abcdefgh!9", Viewer, ""},
		{"ten chinese characters ok", "fang", "长城长城长城长城长城", Viewer, ""},
		{"common password", "gus", "password123", Viewer, graph.EINVALID},
		{"one repeated character", "hal", "zzzzzzzzzzzz", Viewer, graph.EINVALID},
		{"password is the name", "ivan.petrov", "Ivan.Petrov", Viewer, graph.EINVALID},
		{"too long", "jon", strings.Repeat("x1", maxPasswordLen), Viewer, graph.EINVALID},
		{"bad role", "kim", pw, "root", graph.EINVALID},
		{"empty name", "", pw, Viewer, graph.EINVALID},
		{"one character", "a", pw, Viewer, graph.EINVALID},
		{"space inside", "a b", pw, Viewer, graph.EINVALID},
		{"leading dot", ".x", pw, Viewer, graph.EINVALID},
		{"too long name", strings.Repeat("n", 33), pw, Viewer, graph.EINVALID},
		{"non-ascii name", "张伟", pw, Viewer, graph.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.AddUser(ctx, c.user, c.password, c.role)
			wantCode(t, "AddUser", err, c.code)
			if err != nil && strings.Contains(err.Error(), c.password) && len(c.password) > 0 {
				t.Errorf("the error quotes the password: %v", err)
			}
		})
	}
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name+":"+string(u.Role))
	}
	if got, want := strings.Join(names, " "), "alice:admin bob:editor carol.li:viewer erin:viewer fang:viewer"; got != want {
		t.Errorf("users: %s, want %s", got, want)
	}
}

func TestUserAdministration(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "root", Admin)
	mustAdd(t, s, "ed", Editor)

	wantCode(t, "demote the last admin", s.SetRole(ctx, "root", Editor), graph.ECONFLICT)
	wantCode(t, "disable the last admin", s.DisableUser(ctx, "root"), graph.ECONFLICT)
	wantCode(t, "SetRole unknown", s.SetRole(ctx, "nobody", Editor), graph.ENOTFOUND)
	wantCode(t, "SetRole bad role", s.SetRole(ctx, "ed", "boss"), graph.EINVALID)
	wantCode(t, "DisableUser unknown", s.DisableUser(ctx, "nobody"), graph.ENOTFOUND)
	wantCode(t, "EnableUser unknown", s.EnableUser(ctx, "nobody"), graph.ENOTFOUND)
	wantCode(t, "SetPassword weak", s.SetPassword(ctx, "ed", "123"), graph.EINVALID)
	wantCode(t, "SetPassword unknown", s.SetPassword(ctx, "nobody", pw), graph.ENOTFOUND)

	if err := s.SetRole(ctx, "ed", Admin); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(ctx, "root", Viewer); err != nil { // ed is an admin now
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if err := s.DisableUser(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	users, _ := s.Users(ctx)
	if len(users) != 2 || users[0].Name != "ed" || users[0].Role != Admin || !users[1].Disabled || users[1].Role != Viewer {
		t.Errorf("users after changes: %+v", users)
	}
}

func TestTokens(t *testing.T) {
	s, clk, path := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Editor)
	mustAdd(t, s, "bob", Viewer)

	forever, err := s.CreateToken(ctx, "alice", "import script", 0)
	if err != nil {
		t.Fatal(err)
	}
	hour, err := s.CreateToken(ctx, "alice", "one hour", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	bobs, err := s.CreateToken(ctx, "bob", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(forever, "cm_") || len(forever) != 3+43 || forever == hour {
		t.Fatalf("token %q: want cm_ and 43 random characters", forever)
	}
	wantCode(t, "token for unknown user", errOnly(s.CreateToken(ctx, "nobody", "", 0)), graph.ENOTFOUND)
	wantCode(t, "negative ttl", errOnly(s.CreateToken(ctx, "alice", "", -time.Second)), graph.EINVALID)

	// Only hashes are stored: no file of the database holds a plaintext token.
	if err := s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Err(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(path + "*")
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{forever, hour, bobs} {
			if bytes.Contains(b, []byte(tok)) || bytes.Contains(b, []byte(strings.TrimPrefix(tok, "cm_"))) {
				t.Errorf("%s holds a plaintext token", filepath.Base(f))
			}
		}
	}
	// ... but the hash is there, so the check above looked at the right data.
	var n int
	s.db.QueryRowContext(ctx, "SELECT count(*) FROM tokens WHERE hash = ?", secretHash(forever)).Scan(&n)
	if n != 1 {
		t.Errorf("token hash not found")
	}

	check := func(name, tok string, wantUser string, wantRole Role) {
		t.Helper()
		p, err := s.AuthenticateToken(ctx, tok)
		if wantUser == "" {
			wantCode(t, name, err, EUNAUTHORIZED)
			if err != nil && tok != "" && strings.Contains(err.Error(), tok) {
				t.Errorf("%s: the error quotes the token", name)
			}
			return
		}
		if err != nil || p.User != wantUser || p.Role != wantRole || p.Via != ViaToken {
			t.Errorf("%s: %+v, %v; want %s/%s via token", name, p, err, wantUser, wantRole)
		}
	}
	check("valid", forever, "alice", Editor)
	check("valid with ttl", hour, "alice", Editor)
	check("empty", "", "", "")
	check("no prefix", strings.TrimPrefix(forever, "cm_"), "", "")
	check("wrong length", forever+"x", "", "")
	check("unknown", "cm_"+strings.Repeat("A", 43), "", "")
	check("one character changed", forever[:len(forever)-1]+flip(forever[len(forever)-1]), "", "")

	// Role changes apply at once.
	if err := s.SetRole(ctx, "alice", Admin); err != nil {
		t.Fatal(err)
	}
	check("after promotion", forever, "alice", Admin)

	// Expiry.
	clk.Advance(time.Hour - time.Millisecond)
	check("just before expiry", hour, "alice", Admin)
	clk.Advance(time.Millisecond)
	check("at expiry", hour, "", "")
	check("no expiry", forever, "alice", Admin)

	// Revocation.
	toks, err := s.Tokens(ctx, "alice")
	if err != nil || len(toks) != 2 {
		t.Fatalf("Tokens(alice): %v, %v", toks, err)
	}
	var foreverID string
	for _, tk := range toks {
		if tk.Label == "import script" {
			foreverID = tk.ID
			if !tk.Expires.IsZero() || tk.LastUsed.IsZero() || !tk.Revoked.IsZero() || tk.User != "alice" {
				t.Errorf("metadata: %+v", tk)
			}
		}
	}
	if err := s.RevokeToken(ctx, foreverID); err != nil {
		t.Fatal(err)
	}
	check("revoked", forever, "", "")
	if err := s.RevokeToken(ctx, foreverID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	wantCode(t, "revoke unknown", s.RevokeToken(ctx, "nope"), graph.ENOTFOUND)
	all, _ := s.Tokens(ctx, "")
	if len(all) != 3 {
		t.Errorf("Tokens(\"\"): %d, want 3", len(all))
	}

	// Disabled users' tokens are refused, and work again when re-enabled.
	check("bob", bobs, "bob", Viewer)
	if err := s.DisableUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	check("disabled", bobs, "", "")
	wantCode(t, "token for disabled user", errOnly(s.CreateToken(ctx, "bob", "", 0)), graph.EINVALID)
	if err := s.EnableUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	check("re-enabled", bobs, "bob", Viewer)
}

func errOnly[T any](_ T, err error) error { return err }

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func TestSessions(t *testing.T) {
	s, clk, path := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Editor)
	mustAdd(t, s, "root", Admin)

	login := func() Session {
		t.Helper()
		sess, err := s.Login(ctx, "Alice", pw, "10.0.0.1")
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		return sess
	}
	live := func(name string, sess Session, want bool) {
		t.Helper()
		p, csrf, err := s.SessionPrincipal(ctx, sess.ID)
		if !want {
			wantCode(t, name, err, EUNAUTHORIZED)
			return
		}
		if err != nil || p.User != "alice" || p.Via != ViaSession || csrf != sess.CSRF {
			t.Errorf("%s: %+v %v", name, p, err)
		}
	}

	sess := login()
	if sess.User != "alice" || sess.Role != Editor || len(sess.ID) != 43 || len(sess.CSRF) != 43 || sess.ID == sess.CSRF {
		t.Fatalf("session %+v", sess)
	}
	if want := clk.Now().Add(7 * 24 * time.Hour); !sess.Expires.Equal(want) {
		t.Errorf("expires %v, want %v", sess.Expires, want)
	}
	live("fresh", sess, true)
	wantCode(t, "unknown session", errOnly3(s.SessionPrincipal(ctx, strings.Repeat("A", 43))), EUNAUTHORIZED)
	wantCode(t, "malformed session", errOnly3(s.SessionPrincipal(ctx, "x")), EUNAUTHORIZED)

	// The session id is stored hashed only.
	s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte(sess.ID)) {
			t.Errorf("%s holds a plaintext session id", filepath.Base(f))
		}
	}

	// Idle expiry: each use restarts the 12 h idle clock ...
	clk.Advance(11 * time.Hour)
	live("after 11 h idle", sess, true)
	clk.Advance(11 * time.Hour)
	live("11 h after last use", sess, true)
	clk.Advance(12 * time.Hour)
	live("12 h after last use", sess, false)
	live("stays ended", sess, false)

	// ... and the absolute limit ends it after 7 days however busy it is.
	sess = login()
	for range 15 { // 15 × 11 h = 6 d 21 h
		clk.Advance(11 * time.Hour)
		live("busy session", sess, true)
	}
	clk.Advance(3*time.Hour - time.Millisecond)
	live("just under 7 days", sess, true)
	clk.Advance(time.Millisecond)
	live("7 days", sess, false)

	// Logout ends it; logging out again is fine.
	sess = login()
	other := login()
	if err := s.Logout(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	live("logged out", sess, false)
	live("other session unaffected", other, true)
	if err := s.Logout(ctx, sess.ID); err != nil {
		t.Errorf("second logout: %v", err)
	}

	// Role changes apply to live sessions; disabling or a new password ends them.
	if err := s.SetRole(ctx, "alice", Viewer); err != nil {
		t.Fatal(err)
	}
	if p, _, err := s.SessionPrincipal(ctx, other.ID); err != nil || p.Role != Viewer {
		t.Errorf("after demotion: %+v %v", p, err)
	}
	if err := s.DisableUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	live("disabled", other, false)
	wantCode(t, "disabled user's login", errOnly(s.Login(ctx, "alice", pw, "")), EUNAUTHORIZED)
	if err := s.EnableUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	sess = login()
	if err := s.SetPassword(ctx, "alice", "a new passphrase"); err != nil {
		t.Fatal(err)
	}
	live("after password change", sess, false)
	wantCode(t, "old password", errOnly(s.Login(ctx, "alice", pw, "")), EUNAUTHORIZED)
	if _, err := s.Login(ctx, "alice", "a new passphrase", ""); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func errOnly3[A, B any](_ A, _ B, err error) error { return err }

func TestLoginErrorsAreUniform(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Viewer)
	mustAdd(t, s, "off", Viewer)
	s.DisableUser(ctx, "off")
	var msgs []string
	for _, c := range []struct{ user, password string }{
		{"alice", "wrong password!"}, {"nobody", "wrong password!"}, {"off", pw}, {"alice", ""},
	} {
		_, err := s.Login(ctx, c.user, c.password, "")
		wantCode(t, c.user, err, EUNAUTHORIZED)
		if err != nil {
			msgs = append(msgs, err.Error())
			if c.password != "" && strings.Contains(err.Error(), c.password) {
				t.Errorf("the error quotes the password")
			}
		}
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("messages differ: %q vs %q", m, msgs[0])
		}
	}
}

// ipFailures is n failed sign-ins from ip, each for a different unknown name, so
// only the IP's count grows.
func ipFailures(ip string, n int) []step {
	var out []step
	for i := range n {
		out = append(out, step{0, "guess" + strconv.Itoa(i), ip, "wrong password", EUNAUTHORIZED})
	}
	return out
}

// step is one sign-in attempt of TestLockout, after advancing the clock.
type step struct {
	advance  time.Duration
	user, ip string
	password string
	code     string // "" for success
}

func TestLockout(t *testing.T) {
	const bad = "not the password"
	cases := []struct {
		name  string
		steps []step
	}{
		{"five failures lock the user, even with the right password", []step{
			{0, "alice", "1.1.1.1", bad, EUNAUTHORIZED},
			{0, "alice", "1.1.1.2", bad, EUNAUTHORIZED},
			{0, "alice", "1.1.1.3", bad, EUNAUTHORIZED},
			{0, "alice", "1.1.1.4", bad, EUNAUTHORIZED},
			{0, "alice", "1.1.1.5", bad, EUNAUTHORIZED},
			{0, "alice", "1.1.1.6", pw, ETOOMANY},
			{14 * time.Minute, "alice", "1.1.1.6", pw, ETOOMANY},
			{0, "bob", "1.1.1.6", pw, ""}, // other users are not affected
		}},
		{"lock ends after 15 minutes and success resets the count", []step{
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{15*time.Minute - time.Second, "alice", "", pw, ETOOMANY},
			{time.Second, "alice", "", pw, ""},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", pw, ""}, // 4 failures after the reset: not locked
		}},
		{"success before the limit resets the count", []step{
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", pw, ""},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", pw, ""},
		}},
		{"the lock lasts 15 minutes from the fifth failure", []step{
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{10 * time.Minute, "alice", "", bad, EUNAUTHORIZED},
			{6 * time.Minute, "alice", "", pw, ETOOMANY}, // the first four left the window
			{9*time.Minute - time.Second, "alice", "", pw, ETOOMANY},
			{time.Second, "alice", "", pw, ""},
		}},
		{"failures older than 15 minutes do not count", []step{
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", bad, EUNAUTHORIZED},
			{15 * time.Minute, "alice", "", bad, EUNAUTHORIZED},
			{0, "alice", "", pw, ""},
		}},
		{"twenty failures from one IP lock the IP for every user", append(append(ipFailures("9.9.9.9", 19),
			step{0, "bob", "9.9.9.9", pw, ""}, // 19 failures: an office behind one address still signs in
			step{0, "zed", "9.9.9.9", bad, EUNAUTHORIZED}),
			step{0, "bob", "9.9.9.9", pw, ETOOMANY},
			step{0, "bob", "8.8.8.8", pw, ""}, // bob from elsewhere is fine
			step{15 * time.Minute, "bob", "9.9.9.9", pw, ""},
		)},
		{"unknown users lock like known ones", []step{
			{0, "ghost", "", bad, EUNAUTHORIZED},
			{0, "ghost", "", bad, EUNAUTHORIZED},
			{0, "ghost", "", bad, EUNAUTHORIZED},
			{0, "ghost", "", bad, EUNAUTHORIZED},
			{0, "ghost", "", bad, EUNAUTHORIZED},
			{0, "ghost", "", bad, ETOOMANY},
			{0, "Ghost", "", bad, ETOOMANY}, // names are case-insensitive
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, clk, _ := newStore(t)
			ctx := context.Background()
			mustAdd(t, s, "alice", Viewer)
			mustAdd(t, s, "bob", Viewer)
			for i, st := range c.steps {
				clk.Advance(st.advance)
				_, err := s.Login(ctx, st.user, st.password, st.ip)
				if got := graph.ErrorCode(err); got != st.code {
					t.Fatalf("step %d (%s from %q): %v (code %q), want code %q", i, st.user, st.ip, err, got, st.code)
				}
				if st.code == ETOOMANY {
					var l *LockedError
					if !errors.As(err, &l) || l.RetryAfter <= 0 || l.RetryAfter > 15*time.Minute {
						t.Errorf("step %d: lock error %v has no sensible RetryAfter", i, err)
					}
					if !strings.Contains(err.Error(), "分钟") || !strings.Contains(err.Error(), "minutes") {
						t.Errorf("step %d: message %q does not say when to retry", i, err)
					}
				}
			}
		})
	}
}

func TestConcurrentGuessesAreBounded(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Viewer)
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked := 0
	for range 20 {
		wg.Go(func() {
			_, err := s.Login(ctx, "alice", "guess number xyz", "")
			if graph.ErrorCode(err) == EUNAUTHORIZED {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if checked > 5 {
		t.Errorf("%d concurrent guesses were checked, want at most 5", checked)
	}
	if _, err := s.Login(ctx, "alice", pw, ""); graph.ErrorCode(err) != ETOOMANY {
		t.Errorf("after a burst: %v, want locked", err)
	}
}

func TestAuditLog(t *testing.T) {
	s, clk, _ := newStore(t)
	ctx := context.Background()
	t0 := clk.Now()
	entries := []AuditEntry{
		{User: "alice", Role: Editor, Method: "POST", Path: "/api/projects", Action: "project.create", Target: "P1", After: `{"id":"P1"}`, Status: 201},
		{User: "alice", Role: Editor, Method: "PATCH", Path: "/api/projects/P1", Action: "project.update", Target: "P1", Before: `{"stage":"lead"}`, After: `{"stage":"signed"}`, Status: 200},
		{User: "root", Role: Admin, Method: "POST", Path: "/api/users", Action: "user.add", Target: "bob", After: `{"name":"bob","role":"viewer"}`, Status: 201},
		{User: "root", Role: Admin, Action: "user.disable", Target: "bob", Status: 200},
	}
	for _, e := range entries {
		clk.Advance(time.Minute)
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "bad JSON", s.Audit(ctx, AuditEntry{Action: "x", Before: "{not json"}), graph.EINVALID)
	wantCode(t, "no action", s.Audit(ctx, AuditEntry{User: "x"}), graph.EINVALID)
	explicit := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Audit(ctx, AuditEntry{At: explicit, Action: "import", User: "cli"}); err != nil {
		t.Fatal(err)
	}

	all, err := s.AuditLog(ctx, AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || all[0].Action != "import" || !all[0].At.Equal(explicit) || all[4].Action != "project.create" {
		t.Fatalf("all: %+v", all)
	}
	first := all[4]
	if first.User != "alice" || first.Role != Editor || first.Method != "POST" || first.Path != "/api/projects" ||
		first.Target != "P1" || first.After != `{"id":"P1"}` || first.Status != 201 || !first.At.Equal(t0.Add(time.Minute)) {
		t.Errorf("round trip: %+v", first)
	}
	cases := []struct {
		name string
		f    AuditFilter
		want string // actions, newest first
	}{
		{"by user", AuditFilter{User: "alice"}, "project.update project.create"},
		{"by action", AuditFilter{Action: "user.add"}, "user.add"},
		{"by action prefix", AuditFilter{Action: "user."}, "user.disable user.add"},
		{"by action wildcard", AuditFilter{Action: "project*"}, "project.update project.create"},
		{"by target", AuditFilter{Target: "bob"}, "user.disable user.add"},
		{"since", AuditFilter{Since: t0.Add(3 * time.Minute)}, "user.disable user.add"},
		{"until", AuditFilter{Since: t0, Until: t0.Add(2 * time.Minute)}, "project.create"},
		{"limit", AuditFilter{Limit: 2}, "import user.disable"},
		{"next page", AuditFilter{Limit: 2, BeforeID: all[1].ID}, "user.add project.update"},
		{"combined", AuditFilter{User: "root", Action: "user.disable"}, "user.disable"},
		{"nothing", AuditFilter{User: "nobody"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.AuditLog(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var acts []string
			for _, e := range got {
				acts = append(acts, e.Action)
			}
			if strings.Join(acts, " ") != c.want {
				t.Errorf("got %q, want %q", strings.Join(acts, " "), c.want)
			}
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	s, _, path := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Admin)
	tok, err := s.CreateToken(ctx, "alice", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if p, err := s2.AuthenticateToken(ctx, tok); err != nil || p.User != "alice" {
		t.Errorf("after reopening: %+v %v", p, err)
	}
	var v int
	s2.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	if v != 2 { // 001_init, 002_audit_ref
		t.Errorf("user_version %d, want 2", v)
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddUser(ctx, "alice", pw, Viewer); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "alice", pw, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
}

func TestStaleHashIsUpgraded(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	old := hashParams
	hashParams.Time = 1
	mustAdd(t, s, "alice", Viewer)
	hashParams = old
	var before, after string
	s.db.QueryRowContext(ctx, "SELECT password_hash FROM users").Scan(&before)
	if _, err := s.Login(ctx, "alice", pw, ""); err != nil {
		t.Fatal(err)
	}
	s.db.QueryRowContext(ctx, "SELECT password_hash FROM users").Scan(&after)
	if !strings.Contains(before, ",t=1,") || !strings.Contains(after, ",t=2,") {
		t.Errorf("hash not upgraded: %s → %s", before, after)
	}
	if _, err := s.Login(ctx, "alice", pw, ""); err != nil {
		t.Errorf("login with the upgraded hash: %v", err)
	}
}
