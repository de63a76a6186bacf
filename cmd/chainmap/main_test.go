package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
