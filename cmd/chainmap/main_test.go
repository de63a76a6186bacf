package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
)

func graphCode(err error) string { return graph.ErrorCode(err) }

// run executes the CLI in-process and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func TestSeedExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{filepath.Join(dir, "demo.xlsx"), filepath.Join(dir, "demo-csv")} {
		if _, _, err := run(t, "--db", db, "export", "--out", out); err != nil {
			t.Fatalf("export %s: %v", out, err)
		}
		db2 := filepath.Join(dir, filepath.Base(out)+".db")
		stdout, _, err := run(t, "--db", db2, "import", out)
		if err != nil {
			t.Fatalf("import %s: %v", out, err)
		}
		if !strings.Contains(stdout, "Import complete") {
			t.Errorf("import output: %s", stdout)
		}
		// The demo imported from its own export is unchanged.
		stdout, _, err = run(t, "--db", db, "import", out)
		if err != nil || !strings.Contains(stdout, "写入 0 条") {
			t.Errorf("re-import into the source store should write nothing: %v\n%s", err, stdout)
		}
	}
}

func TestImportReportsEveryProblemAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "in")
	os.Mkdir(csv, 0o755)
	os.WriteFile(filepath.Join(csv, "regions.csv"), []byte("code,name,kind\n321100,镇江市,city\n"), 0o644)
	os.WriteFile(filepath.Join(csv, "companies.csv"), []byte("id,name,region_code\nA,甲,321100\nB,,999\n"), 0o644)
	db := filepath.Join(dir, "x.db")
	_, stderr, err := run(t, "--db", db, "import", csv)
	if !errors.Is(err, errReported) {
		t.Fatalf("want errReported, got %v", err)
	}
	for _, want := range []string{"companies.csv 第3行 列 name", "companies.csv 第3行 列 region_code \"999\"", "共 2 处错误"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	stdout, _, err := run(t, "--db", db, "import", "--dry-run", filepath.Join(csv, "..", "in"))
	if !errors.Is(err, errReported) || stdout != "" {
		t.Errorf("dry run of invalid data: %v %q", err, stdout)
	}
	os.WriteFile(filepath.Join(csv, "companies.csv"), []byte("id,name,region_code\nA,甲,321100\n"), 0o644)
	stdout, _, err = run(t, "--db", db, "import", "--dry-run", csv)
	if err != nil || !strings.Contains(stdout, "--dry-run") {
		t.Fatalf("dry run: %v %s", err, stdout)
	}
	stdout, _, _ = run(t, "--db", db, "import", csv)
	if !strings.Contains(stdout, "写入 2 条") {
		t.Errorf("after a dry run nothing should be stored yet, so 2 records are new:\n%s", stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"import"}, {"export"}, {"serve", "--bogus"}} {
		if _, _, err := run(t, append([]string{"--db", filepath.Join(t.TempDir(), "u.db")}, args...)...); !errors.As(err, new(usageError)) {
			t.Errorf("%v: want a usage error, got %v", args, err)
		}
	}
}

func TestTemplateAndVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.xlsx")
	if _, _, err := run(t, "template", "--out", path); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Errorf("template not written: %v", err)
	}
	out, _, err := run(t, "version")
	if err != nil || !strings.HasPrefix(out, "chainmap ") {
		t.Errorf("version: %q %v", out, err)
	}
}

func TestGenerateIsImportable(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "g")
	if _, _, err := run(t, "generate", "--companies", "500", "--supplies", "3000", "--out", out); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", filepath.Join(dir, "g.db"), "import", out); err != nil {
		t.Fatalf("generated data does not import: %v", err)
	}
}

func TestProjectLifecycleCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		ok   bool
		out  string
	}{
		{[]string{"projects", "add", "--id", "T-1", "--name", "测试", "--district", "321181", "--investment", "2.5",
			"--stage", "signed", "--signed-on", "2025-09-01", "--who", "张三"}, true, "new  → signed"},
		{[]string{"projects", "advance", "T-1", "--to", "producing", "--on", "2025-10-01"}, false, ""},
		{[]string{"projects", "advance", "T-1", "--to", "started", "--on", "2025-10-01"}, true, "advanced signed → started"},
		{[]string{"projects", "advance", "T-1", "--to", "signed", "--on", "2025-09-01"}, false, ""},
		{[]string{"projects", "drop", "T-1", "--note", "撤资"}, true, "dropped started → dropped"},
	}
	for _, st := range steps {
		out, _, err := run(t, append([]string{"--db", db}, st.args...)...)
		if (err == nil) != st.ok || !strings.Contains(out, st.out) {
			t.Errorf("%v: err %v, out %q", st.args, err, out)
		}
	}
	out, _, err := run(t, "--db", db, "projects", "history", "T-1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var events []map[string]any
	if err := json.Unmarshal([]byte(out), &events); err != nil || len(events) != 3 || events[0]["who"] != "张三" || events[2]["note"] != "撤资" {
		t.Errorf("history %s (%v)", out, err)
	}
}

// TestKPIOnDemo: the CLI reproduces the source articles' figures on the demo data.
func TestKPIOnDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "--db", db, "kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Projects       int      `json:"projects"`
		InvestmentYi   float64  `json:"investment_yi"`
		YoYCount       float64  `json:"yoy_count"`
		YoYInvestment  float64  `json:"yoy_investment"`
		OnChainShare   *float64 `json:"on_chain_share_count"`
		BySourceRegion []struct {
			Code            string  `json:"code"`
			ShareCount      float64 `json:"share_count"`
			ShareInvestment float64 `json:"share_investment"`
		} `json:"by_source_region"`
		Lagging []any `json:"lagging"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Projects != 267 || r.InvestmentYi != 1158.8 || r.YoYCount != 0.208 || r.YoYInvestment != 0.059 || r.OnChainShare == nil {
		t.Errorf("H1 2025: %+v", r)
	}
	found := false
	for _, b := range r.BySourceRegion {
		if b.Code == "GBA" {
			found = b.ShareCount == 0.075 && b.ShareInvestment == 0.099
		}
	}
	if !found {
		t.Errorf("大湾区 7.5%% / 9.9%% missing: %+v", r.BySourceRegion)
	}
	out, _, _ = run(t, "--db", db, "kpi", "--from", "2023-07-14", "--to", "2023-07-14", "--min-investment", "0", "--format", "json")
	if !strings.Contains(out, `"projects": 27`) || !strings.Contains(out, `"on_chain_share_count": 0.778`) {
		t.Errorf("2023-07-14 signing day:\n%s", out[:min(len(out), 400)])
	}
}

func TestAnalysisCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"diagnose", "--region", "321100", "--chain", "CH_EV"},
		{"targets", "--region", "321100", "--link", "EV_M3"},
		{"leaders", "--region", "321100", "--chain", "CH_MD"},
		{"chokepoints", "--region", "321100"},
		{"whatif", "--region", "321100", "--link", "EV_M3", "--district", "321112"},
	} {
		out, _, err := run(t, append([]string{"--db", db}, append(args, "--format", "json")...)...)
		if err != nil || !json.Valid([]byte(out)) {
			t.Errorf("%v: %v", args, err)
		}
		xlsx := filepath.Join(t.TempDir(), "out.xlsx")
		if _, _, err := run(t, append([]string{"--db", db}, append(args, "--format", "xlsx", "--out", xlsx)...)...); err != nil {
			t.Errorf("%v xlsx: %v", args, err)
		}
	}
	if _, _, err := run(t, "--db", db, "diagnose", "--region", "999"); graphCode(err) != "not_found" {
		t.Errorf("unknown region: %v", err)
	}
	// --lang en: headings, statuses, tiers and reasons in English (names stay as stored).
	han := regexp.MustCompile(`\p{Han}`)
	for _, args := range [][]string{
		{"diagnose", "--region", "321100", "--chain", "CH_EV"},
		{"leaders", "--region", "321100", "--chain", "CH_MD"},
		{"chokepoints", "--region", "321100", "--chain", "CH_EV"},
		{"communities"},
	} {
		out, _, err := run(t, append([]string{"--db", db}, append(args, "--lang", "en")...)...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		head, _, _ := strings.Cut(out, "\n")
		if han.MatchString(head) || strings.Contains(out, "强链") || strings.Contains(out, "上游") {
			t.Errorf("%v --lang en: %q", args, out[:min(len(out), 300)])
		}
	}
	out, _, _ := run(t, "--db", db, "diagnose", "--region", "321100", "--chain", "CH_EV", "--lang", "en")
	if !strings.Contains(out, "upstream") || !strings.Contains(out, "unknown") {
		t.Errorf("English diagnosis: %q", out[:min(len(out), 500)])
	}
	if _, _, err := run(t, "--db", db, "diagnose", "--region", "321100", "--lang", "fr"); err == nil {
		t.Error("--lang fr accepted")
	}
}

func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db, bk, restored := filepath.Join(dir, "a.db"), filepath.Join(dir, "backup.db"), filepath.Join(dir, "r.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "backup", "--out", bk); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "backup", "--out", bk); err == nil {
		t.Error("a backup must never overwrite an existing file")
	}
	if _, _, err := run(t, "--db", restored, "restore", bk); err != nil {
		t.Fatal(err)
	}
	a, _, _ := run(t, "--db", db, "kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json", "--as-of", "2025-10-31")
	b, _, _ := run(t, "--db", restored, "kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json", "--as-of", "2025-10-31")
	if a == "" || a != b {
		t.Error("the restored store answers differently from the original")
	}
}

// TestDBVerify: `db verify` passes a sound store and names what is wrong in a store
// whose references were broken behind chainmap's back.
func TestDBVerify(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := run(t, "--db", db, "db", "verify"); err != nil || !strings.Contains(out, "intact") {
		t.Fatalf("sound store: %v %s", err, out)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA foreign_keys=OFF; INSERT INTO companies(id, name, region_code) VALUES ('GHOST', '幽灵', '999999')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, _, err := run(t, "--db", db, "db", "verify"); err == nil || !strings.Contains(err.Error(), "companies") {
		t.Errorf("dangling reference not reported: %v", err)
	}
}

// TestUsersAdministration: role, disable/enable, passwd, tokens and revoke from the
// command line, each recorded in the audit log; tokens expire in 90 days by default.
func TestUsersAdministration(t *testing.T) {
	dir := t.TempDir()
	g := []string{"--db", filepath.Join(dir, "u.db")}
	cli := func(args ...string) (string, error) {
		out, _, err := run(t, append(append([]string{}, g...), args...)...)
		return out, err
	}
	t.Setenv("CHAINMAP_PASSWORD", "first-password-long")
	for _, args := range [][]string{{"users", "add", "boss", "--role", "admin"}, {"users", "add", "li", "--role", "viewer"}} {
		if _, err := cli(args...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cli("users", "token", "li", "--label", "script"); err != nil {
		t.Fatal(err)
	}
	out, err := cli("users", "tokens", "li")
	if err != nil || !strings.Contains(out, "script") || strings.Contains(out, "cm_") || strings.Contains(out, "never") {
		t.Fatalf("tokens: %v\n%s", err, out)
	}
	id := strings.Fields(strings.Split(out, "\n")[1])[0]
	t.Setenv("CHAINMAP_PASSWORD", "second-password-long")
	for _, args := range [][]string{{"users", "role", "li", "editor"}, {"users", "disable", "li"}, {"users", "enable", "li"},
		{"users", "passwd", "li"}, {"users", "revoke", id}} {
		if out, err := cli(args...); err != nil || !strings.Contains(out, "done") {
			t.Errorf("%v: %v %s", args, err, out)
		}
	}
	if _, err := cli("users", "role", "boss", "viewer"); err == nil {
		t.Error("the last admin was demoted")
	}
	if _, err := cli("users", "role", "li", "root"); err == nil {
		t.Error("an unknown role was accepted")
	}
	out, _ = cli("users", "list")
	if !strings.Contains(out, "li") || !strings.Contains(out, "editor") || !strings.Contains(out, "enabled") {
		t.Errorf("list:\n%s", out)
	}
	out, _ = cli("users", "tokens")
	if strings.Count(out, "\n") != 2 || strings.HasSuffix(strings.TrimSpace(out), "—") {
		t.Errorf("the token is not shown revoked:\n%s", out)
	}
	s, err := auth.Open(context.Background(), filepath.Join(dir, "u-auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Login(context.Background(), "li", "second-password-long", "127.0.0.1"); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	log, err := s.AuditLog(context.Background(), auth.AuditFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range log {
		actions[e.Action] = true
		if strings.Contains(e.After, "password") {
			t.Errorf("a password reached the audit log: %+v", e)
		}
	}
	for _, a := range []string{"users add", "users token", "users role", "users disable", "users enable", "users passwd", "users revoke"} {
		if !actions[a] {
			t.Errorf("%s is not audited (have %v)", a, actions)
		}
	}
}

// TestRestoreRefusesUsersDatabase (issue 15): `restore chainmap-auth.db` answered
// "restored" and replaced the graph store with the users database. It is refused by
// its tables, named, exit code 1 (input to fix), and the store answers as before.
func TestRestoreRefusesUsersDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "chainmap.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHAINMAP_PASSWORD", "a-long-test-password")
	if _, _, err := run(t, "--db", db, "users", "add", "boss", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	kpi := func() string {
		out, _, err := run(t, "--db", db, "kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json", "--as-of", "2025-10-31")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := kpi()
	out, _, err := run(t, "--db", db, "restore", filepath.Join(dir, "chainmap-auth.db"))
	if err == nil || strings.Contains(out, "restored") {
		t.Fatalf("restore of the users database: %v %s", err, out)
	}
	if graphCode(err) != graph.EINVALID || !strings.Contains(err.Error(), "users database") || !strings.Contains(err.Error(), "用户库") {
		t.Errorf("the refusal should name the users database (code invalid): %s %v", graphCode(err), err)
	}
	if after := kpi(); after != before {
		t.Error("the store answers differently after a refused restore")
	}
	if out, _, err := run(t, "--db", db, "db", "verify"); err != nil || !strings.Contains(out, "intact") {
		t.Errorf("db verify after a refused restore: %v %s", err, out)
	}
	// A good backup restores, and the previous store is kept and named.
	bk := filepath.Join(dir, "b.db")
	if _, _, err := run(t, "--db", db, "backup", "--out", bk); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, "--db", db, "restore", bk)
	if err != nil || !strings.Contains(out, "before-restore-") {
		t.Fatalf("restore: %v %s", err, out)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "chainmap.db.before-restore-*")); len(m) != 1 || !strings.Contains(out, m[0]) {
		t.Errorf("kept files %v; output %s", m, out)
	}
}

// TestBackupWithUsers: `backup --out DIR --with-users` copies the graph store and the
// users database together (one moment), and `restore DIR` brings both back: the
// data answers as before and the users sign in with their passwords.
func TestBackupWithUsers(t *testing.T) {
	dir := t.TempDir()
	db, bk := filepath.Join(dir, "a.db"), filepath.Join(dir, "backup")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHAINMAP_PASSWORD", "a-long-test-password")
	if _, _, err := run(t, "--db", db, "users", "add", "boss", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "--db", db, "backup", "--out", bk, "--with-users")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"chainmap.db", "chainmap-auth.db"} {
		if fi, err := os.Stat(filepath.Join(bk, f)); err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v %v\n%s", f, err, fi, out)
		}
	}
	if _, _, err := run(t, "--db", db, "backup", "--out", bk, "--with-users"); err == nil {
		t.Error("a backup folder was overwritten")
	}
	r, rauth := filepath.Join(dir, "r.db"), filepath.Join(dir, "r-auth.db")
	out, _, err = run(t, "--db", r, "restore", bk)
	if err != nil || strings.Count(out, "verified") != 2 {
		t.Fatalf("restore of the folder: %v\n%s", err, out)
	}
	kpi := func(db string) string {
		out, _, _ := run(t, "--db", db, "kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json", "--as-of", "2025-10-31")
		return out
	}
	if a, b := kpi(db), kpi(r); a == "" || a != b {
		t.Error("the restored store answers differently")
	}
	s, err := auth.Open(context.Background(), rauth)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Login(context.Background(), "boss", "a-long-test-password", "127.0.0.1"); err != nil {
		t.Errorf("the restored users database does not sign boss in: %v", err)
	}
	// A folder with the files swapped is refused before anything is replaced.
	swapped := filepath.Join(dir, "swapped")
	os.Mkdir(swapped, 0o700)
	os.Link(filepath.Join(bk, "chainmap.db"), filepath.Join(swapped, "chainmap-auth.db"))
	os.Link(filepath.Join(bk, "chainmap-auth.db"), filepath.Join(swapped, "chainmap.db"))
	if _, _, err := run(t, "--db", filepath.Join(dir, "n.db"), "restore", swapped); err == nil || !strings.Contains(err.Error(), "users database") {
		t.Errorf("swapped folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "n.db")); err == nil {
		t.Error("a refused folder restore created the store")
	}
}

// TestImportCannotRewriteHistory (issue 15): importing an exported project_history
// with a stored row changed, or with a backdated row claiming the producing project
// was dropped, rewrote the history; now each is refused with file, row and column,
// and nothing is written.
func TestImportCannotRewriteHistory(t *testing.T) {
	dir := t.TempDir()
	db, csv := filepath.Join(dir, "h.db"), filepath.Join(dir, "csv")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "export", "--out", csv); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(csv, "project_history.csv")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(body), "\r\n"), "\n")
	f := strings.Split(strings.TrimRight(lines[1], "\r"), ",") // project_id,seq,at,who,from,to,on,note,correction,provenance
	id, stage := f[0], f[5]
	f[3], f[7] = "市长", "改写"
	lines[1] = strings.Join(f, ",")
	lines = append(lines, id+",,2019-05-01T00:00:00Z,市长,"+stage+",dropped,,倒签,false,")
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	// Only the history: the other tables would import as unchanged.
	only := filepath.Join(dir, "only")
	os.Mkdir(only, 0o755)
	os.Rename(path, filepath.Join(only, "project_history.csv"))

	before, _, _ := run(t, "--db", db, "projects", "history", id)
	_, stderr, err := run(t, "--db", db, "import", only)
	if !errors.Is(err, errReported) {
		t.Fatalf("want the problems reported, got %v\n%s", err, stderr)
	}
	last := strconv.Itoa(len(lines))
	for _, want := range []string{"project_history.csv 第2行 列 who", "project_history.csv 第2行 列 note", "append-only",
		"project_history.csv 第" + last + "行 列 at", "project_history.csv 第" + last + "行 列 to_stage"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if after, _, _ := run(t, "--db", db, "projects", "history", id); after != before {
		t.Errorf("the history changed:\n%s\n→\n%s", before, after)
	}
}
