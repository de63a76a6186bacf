package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
)

// lockedBuffer is a bytes.Buffer the serve command writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// selfSigned writes a certificate and key for 127.0.0.1 and returns their paths and
// a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "chainmap test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS runs `chainmap serve --tls-cert --tls-key` for real: it answers over
// HTTPS only, with HSTS, and a sign-in gets a Secure cookie without --secure-cookies.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	db, authDB := filepath.Join(dir, "s.db"), filepath.Join(dir, "auth.db")
	t.Setenv("CHAINMAP_PASSWORD", "a-long-test-password")
	if _, _, err := run(t, "--db", db, "--auth-db", authDB, "users", "add", "ed", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	root := newRoot()
	var out lockedBuffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"--db", db, "--auth-db", authDB, "serve", "--no-demo", "--addr", "127.0.0.1:0",
		"--tls-cert", certFile, "--tls-key", keyFile})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()
	listening := regexp.MustCompile(`listening: (https?)://([0-9.:]+)/`)
	var m []string
	for deadline := time.Now().Add(20 * time.Second); m == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", out.String())
		}
		m = listening.FindStringSubmatch(out.String())
	}
	if m[1] != "https" {
		t.Fatalf("serve announced %s", m[0])
	}
	client := &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Post("https://"+m[2]+"/api/v1/session", "application/json",
		strings.NewReader(`{"user":"ed","password":"a-long-test-password"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(resp.Cookies()) != 1 || !resp.Cookies()[0].Secure {
		t.Errorf("login over TLS: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over TLS")
	}
	// Plain HTTP to the TLS port is refused, not served.
	if plain, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + m[2] + "/healthz"); err == nil {
		plain.Body.Close()
		if plain.StatusCode == 200 {
			t.Error("plain HTTP was served on the TLS port")
		}
	}
}

func TestServeTLSFlagsGoTogether(t *testing.T) {
	dir := t.TempDir()
	_, _, err := run(t, "--db", filepath.Join(dir, "s.db"), "--auth-db", filepath.Join(dir, "a.db"), "serve",
		"--no-demo", "--addr", "127.0.0.1:0", "--tls-cert", filepath.Join(dir, "cert.pem"))
	if err == nil || !strings.Contains(err.Error(), "--tls-key") {
		t.Errorf("a certificate without a key: %v", err)
	}
	_, _, err = run(t, "--db", filepath.Join(dir, "s.db"), "--auth-db", filepath.Join(dir, "a.db"), "serve",
		"--no-demo", "--addr", "127.0.0.1:0", "--tls-cert", filepath.Join(dir, "no.pem"), "--tls-key", filepath.Join(dir, "no.key"))
	if err == nil || !strings.Contains(err.Error(), "--tls-cert") {
		t.Errorf("missing certificate files: %v", err)
	}
}

// serveChildEnv carries the arguments of TestServeChild, as JSON.
const serveChildEnv = "CHAINMAP_SERVE_CHILD_ARGS"

// TestServeChild is the child of tests that need `chainmap serve` in another
// process (to be killed, or to hold the store's lease): it runs the CLI with the
// arguments in the environment until it is stopped.
func TestServeChild(t *testing.T) {
	raw := os.Getenv(serveChildEnv)
	if raw == "" {
		t.Skip("run by the tests that start a server process")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	root.SetOut(os.Stdout)
	root.SetErr(os.Stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(3)
	}
}

// startServe runs `chainmap ARGS…` (a serve command with --addr 127.0.0.1:0) in a
// child process and returns it once it listens, with its address. The child is
// killed at the end of the test if still running.
func startServe(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	raw, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), serveChildEnv+"="+string(raw))
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	addr := make(chan string, 1)
	go func() {
		listening := regexp.MustCompile(`listening: https?://([0-9.:]+)/`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case a := <-addr:
		return cmd, a
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not start: %s", stderr.String())
	}
	return nil, ""
}

// killServe ends a server process with SIGKILL: no shutdown, no deferred code.
func killServe(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the server ended with %v, not SIGKILL", err)
	}
}

// TestRestoreRefusedWhileServing (issue 15): restore while serve ran replaced the
// file under it, and writes it acknowledged afterwards were lost. A server holds
// the store's lease: restore is refused, naming the server's process, and the store
// keeps the write; once the server is gone — even killed, leaving no clean-up —
// restore goes ahead.
func TestRestoreRefusedWhileServing(t *testing.T) {
	dir := t.TempDir()
	db, bk := filepath.Join(dir, "s.db"), filepath.Join(dir, "b.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "--db", db, "backup", "--out", bk); err != nil {
		t.Fatal(err)
	}
	srv, addr := startServe(t, "--db", db, "serve", "--no-demo", "--addr", "127.0.0.1:0")
	// A write the server acknowledges after the backup.
	token := editorToken(t, db)
	if code := post(t, addr, token, "/api/v1/projects",
		`{"id":"P-AFTER-BACKUP","name":"备份后的项目","region_code":"321100","stage":"negotiating"}`); code != 201 {
		t.Fatalf("create: %d", code)
	}

	_, _, err := run(t, "--db", db, "restore", bk)
	if err == nil {
		t.Fatal("restore succeeded while the server was running")
	}
	t.Logf("refused: %v", err)
	pid := strconv.Itoa(srv.Process.Pid)
	if graphCode(err) != graph.ECONFLICT || !strings.Contains(err.Error(), "pid "+pid) || !strings.Contains(err.Error(), "serve") {
		t.Errorf("the refusal should name the server (pid %s): %s %v", pid, graphCode(err), err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "s.db.before-restore-*")); len(m) > 0 {
		t.Errorf("a refused restore moved the store aside: %v", m)
	}
	killServe(t, srv)
	out, _, err := run(t, "--db", db, "projects", "list")
	if err != nil || !strings.Contains(out, "P-AFTER-BACKUP") {
		t.Errorf("the acknowledged write is not in the store: %v\n%s", err, out)
	}
	// The killed server's lease died with it.
	if out, _, err := run(t, "--db", db, "restore", bk); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore after the server was killed: %v %s", err, out)
	}
}

// editorToken adds the user ed (editor) to the users database next to db and
// returns an API token for them.
func editorToken(t *testing.T, db string) string {
	t.Helper()
	t.Setenv("CHAINMAP_PASSWORD", "a-long-test-password")
	if _, _, err := run(t, "--db", db, "users", "add", "ed", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "--db", db, "users", "token", "ed")
	tok := regexp.MustCompile(`cm_[A-Za-z0-9_-]+`).FindString(out)
	if err != nil || tok == "" {
		t.Fatalf("token: %v %s", err, out)
	}
	return tok
}

// post sends a JSON body with a bearer token and returns the status (0 when the
// request failed, e.g. the server was killed).
func post(t *testing.T, addr, token, path, body string) int {
	req, err := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeSeesCLIImport (issue 15): a CLI import into the database of a running
// server (another process) is served without a restart.
func TestServeSeesCLIImport(t *testing.T) {
	dir := t.TempDir()
	db, csv := filepath.Join(dir, "s.db"), filepath.Join(dir, "in")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	_, addr := startServe(t, "--db", db, "serve", "--no-demo", "--addr", "127.0.0.1:0")
	get := func() int {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/api/v1/companies/CLI-NEW")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(); code != 404 {
		t.Fatalf("before the import: %d", code)
	}
	os.Mkdir(csv, 0o755)
	os.WriteFile(filepath.Join(csv, "companies.csv"), []byte("id,name,region_code\nCLI-NEW,命令行导入的企业,321181\n"), 0o644)
	if _, _, err := run(t, "--db", db, "import", csv); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); get() != 200; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the running server never served the company the CLI imported")
		}
	}
}

// TestAuditSurvivesSIGKILL (issue 15): after SIGKILLs of serve under write load,
// committed transitions had no audit entry — the entry went to the users database
// after the write committed in the graph store. Writers create projects and move
// them on while the server is killed at random points, again and again; after a
// restart every stored history event of those projects (one per create and per
// transition) has its successful audit entry, and there is no successful entry
// without its event.
func TestAuditSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test in -short")
	}
	const kills, writers = 10, 6
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	token := editorToken(t, db)
	rng := mrand.New(mrand.NewPCG(15, 6))
	var acked atomic.Int64
	for k := range kills {
		srv, addr := startServe(t, "--db", db, "serve", "--no-demo", "--addr", "127.0.0.1:0")
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("K-%d-%d-%d", k, w, i)
					if post(t, addr, token, "/api/v1/projects", `{"id":"`+id+`","name":"压测项目","region_code":"321181","stage":"negotiating"}`) != 201 {
						return
					}
					acked.Add(1)
					if post(t, addr, token, "/api/v1/projects/"+id+"/transitions", `{"to":"signed","on":"2025-03-01"}`) != 200 {
						return
					}
					acked.Add(1)
				}
			}()
		}
		time.Sleep(time.Duration(150+rng.IntN(450)) * time.Millisecond)
		killServe(t, srv)
		close(stop)
		wg.Wait()
	}
	// A restart delivers what the killed servers left behind.
	srv, _ := startServe(t, "--db", db, "serve", "--no-demo", "--addr", "127.0.0.1:0")
	killServe(t, srv)

	events := map[string]int{}
	ctx := context.Background()
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for e, err := range store.ProjectEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.ProjectID, "K-") {
			events[e.ProjectID]++
		}
	}
	store.Close()
	users, err := auth.Open(ctx, strings.TrimSuffix(db, ".db")+"-auth.db")
	if err != nil {
		t.Fatal(err)
	}
	defer users.Close()
	audited := map[string]int{}
	for before := int64(0); ; {
		page, err := users.AuditLog(ctx, auth.AuditFilter{BeforeID: before, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			before = e.ID
			if e.Status < 200 || e.Status > 299 {
				continue
			}
			id := e.Target
			if id == "" {
				var p struct {
					ID string `json:"id"`
				}
				json.Unmarshal([]byte(e.After), &p)
				id = p.ID
			}
			if strings.HasPrefix(id, "K-") {
				audited[id]++
			}
		}
	}
	missing, total := 0, 0
	for id, n := range events {
		total += n
		if audited[id] != n {
			missing++
			if missing <= 5 {
				t.Errorf("%s: %d history events, %d successful audit entries", id, n, audited[id])
			}
		}
	}
	for id, n := range audited {
		if events[id] == 0 {
			t.Errorf("%s: %d audit entries for a project that is not stored", id, n)
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d projects have history without its audit entry", missing, len(events))
	}
	t.Logf("%d kills: %d acknowledged writes, %d stored events of %d projects", kills, acked.Load(), total, len(events))
	if total < int(acked.Load()) {
		t.Errorf("%d acknowledged writes but only %d stored", acked.Load(), total)
	}
}
