package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/chainmap/chainmap/api/web"
	"github.com/gin-gonic/gin"
)

var uiFiles = web.Assets()

// uiIndex serves the single-page UI; every page is a hash route inside it.
func (s *Server) uiIndex(c *gin.Context) {
	body, err := fs.ReadFile(uiFiles, "index.html")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}

// uiFile serves one built asset (scripts, styles, map data) — its gzip copy, built
// beside it by api/web/build.mjs, to a client that accepts gzip. The ETag is the
// content's hash, so a browser revalidates with a 304 instead of fetching the bundle
// again; HEAD answers the same headers without the body.
func (s *Server) uiFile(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("file")), "/")
	if name == "" || name == "." {
		s.uiIndex(c)
		return
	}
	body, err := fs.ReadFile(uiFiles, name)
	if err != nil {
		problem(c, "not_found", "没有这个文件", "no such file")
		return
	}
	tag := assetTag(name, body)
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		if gz, err := fs.ReadFile(uiFiles, name+".gz"); err == nil {
			body, tag = gz, strings.TrimSuffix(tag, `"`)+`-gzip"`
			c.Header("Content-Encoding", "gzip")
		}
	}
	c.Header("Cache-Control", "no-cache")
	c.Header("Vary", "Accept-Encoding")
	c.Header("ETag", tag)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if matchesETag(c.GetHeader("If-None-Match"), tag) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	c.Header("Content-Length", strconv.Itoa(len(body)))
	if c.Request.Method == http.MethodHead {
		c.Header("Content-Type", ctype)
		c.Status(http.StatusOK)
		c.Writer.WriteHeaderNow()
		return
	}
	c.Data(http.StatusOK, ctype, body)
}

var assetTags sync.Map // file name → quoted ETag of its content

// assetTag is the strong ETag of an embedded asset: the first 16 bytes of the
// SHA-256 of its content, hex, quoted. The files never change while the process
// runs, so each is hashed once.
func assetTag(name string, body []byte) string {
	if v, ok := assetTags.Load(name); ok {
		return v.(string)
	}
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	assetTags.Store(name, tag)
	return tag
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip (a q of 0
// refuses it).
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// matchesETag reports whether an If-None-Match header names tag (or is *).
func matchesETag(h, tag string) bool {
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}
