package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// serveUI runs uiFile for one request of /ui/<file> with the given headers.
func serveUI(t *testing.T, method, file string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(method, "/ui/"+file, nil)
	for k, v := range header {
		c.Request.Header.Set(k, v)
	}
	c.Params = gin.Params{{Key: "file", Value: "/" + file}}
	(&Server{}).uiFile(c)
	return w
}

func TestUIFileGzipHeadAndETag(t *testing.T) {
	plain, err := fs.ReadFile(uiFiles, "app.js")
	if err != nil {
		t.Fatal(err)
	}
	// compressed for a client that accepts gzip, within the 300 KB budget, and the same bytes once inflated
	w := serveUI(t, http.MethodGet, "app.js", map[string]string{"Accept-Encoding": "gzip, deflate"})
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip: %d %v", w.Code, w.Header())
	}
	if n := w.Body.Len(); n > 300<<10 {
		t.Errorf("app.js is %d bytes gzipped, over the 300 KB budget", n)
	}
	zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, plain) {
		t.Error("app.js.gz is not app.js compressed: rebuild (npm --prefix api/web run build)")
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	gzTag := w.Header().Get("ETag")
	// identity for a client that does not
	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		w = serveUI(t, http.MethodGet, "app.js", map[string]string{"Accept-Encoding": ae})
		if w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), plain) {
			t.Errorf("Accept-Encoding %q: got %q encoding, %d bytes", ae, w.Header().Get("Content-Encoding"), w.Body.Len())
		}
	}
	tag := w.Header().Get("ETag")
	if tag == "" || tag == gzTag {
		t.Errorf("ETags %q (identity) and %q (gzip) must differ and exist", tag, gzTag)
	}
	// HEAD: the headers of a GET, no body
	w = serveUI(t, http.MethodHead, "app.js", map[string]string{"Accept-Encoding": "gzip"})
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" || w.Header().Get("ETag") != gzTag {
		t.Errorf("HEAD: %d, %d body bytes, %v", w.Code, w.Body.Len(), w.Header())
	}
	// revalidation: the same content answers 304
	w = serveUI(t, http.MethodGet, "app.js", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": gzTag})
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match %s: %d with %d bytes", gzTag, w.Code, w.Body.Len())
	}
	if w = serveUI(t, http.MethodGet, "no-such.js", nil); w.Code != 404 {
		t.Errorf("no-such.js: %d", w.Code)
	}
}

// TestHeadUIThroughTheRouter: HEAD /ui/app.js is routed (it answered 404).
func TestHeadUIThroughTheRouter(t *testing.T) {
	e := newEnv(t, true)
	if w := e.do(t, "", http.MethodHead, "/ui/app.js", nil); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD /ui/app.js: %d with %d bytes", w.Code, w.Body.Len())
	}
}
