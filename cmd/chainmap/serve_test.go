package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
