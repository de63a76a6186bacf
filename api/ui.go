package api

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

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

// uiFile serves one built asset (scripts, styles, map data).
func (s *Server) uiFile(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("file")), "/")
	if name == "" || name == "." {
		s.uiIndex(c)
		return
	}
	if _, err := fs.Stat(uiFiles, name); err != nil {
		problem(c, "not_found", "没有这个文件", "no such file")
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.FileFromFS(name, http.FS(uiFiles))
}
