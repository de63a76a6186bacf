package api

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/gin-gonic/gin"
)

// TransitionRequest moves a project to another stage.
type TransitionRequest struct {
	To         graph.Stage `json:"to"`
	On         graph.Date  `json:"on,omitempty"`
	Note       string      `json:"note,omitempty"`
	Correction bool        `json:"correction,omitempty"`
}

// bindJSON decodes a JSON body strictly (unknown fields are a mistake worth
// reporting), answering 400/413 itself when it cannot.
func bindJSON(c *gin.Context, dst any) bool {
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			problem(c, "too_large", "请求体过大", "the request body is too large")
			return false
		}
		zh, en := jsonProblem(err)
		problem(c, "bad_request", "JSON 无法解析："+zh, "the JSON body cannot be read: "+en)
		return false
	}
	// One value per body: anything after it is a client bug that would otherwise be
	// silently ignored.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		problem(c, "bad_request", fmt.Sprintf("JSON 无法解析：第 %d 字节后还有多余内容", dec.InputOffset()),
			fmt.Sprintf("the JSON body cannot be read: unexpected data after byte %d", dec.InputOffset()))
		return false
	}
	return true
}

// jsonProblem describes a decoding error in the client's terms — the JSON field and
// the JSON type it needs, or the byte offset of a syntax error — rather than echoing
// the decoder, which names Go types and struct fields.
func jsonProblem(err error) (zh, en string) {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("第 %d 字节处语法错误", syntax.Offset), fmt.Sprintf("syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		want := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Slice: "array",
			reflect.Map: "object", reflect.Struct: "object"}[typ.Type.Kind()]
		if want == "" {
			want = "number"
			if k := typ.Type.Kind(); k >= reflect.Int && k <= reflect.Uint64 {
				want = "integer"
			}
		}
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return fmt.Sprintf("字段 %s 应为 %s，而不是 %s", field, want, typ.Value),
			fmt.Sprintf("field %s must be a JSON %s, not %s", field, want, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "请求体为空或不完整", "the body is empty or cut short"
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "未知字段 " + f, "unknown field " + f
	}
	return "不是有效的 JSON", "not valid JSON"
}

// who names the principal for history entries.
func who(c *gin.Context) string {
	if p := auth.PrincipalFrom(c); p != nil {
		return p.User
	}
	return "api"
}

// save imports ds all-or-nothing and reports problems as a 422 with every field.
// Its text is normalised first (graph.Dataset.Normalize; a no-op for what the
// readers already normalised), so the API stores what an import would.
func (s *Server) save(c *gin.Context, ds *graph.Dataset, opts graph.ImportOptions) (graph.ImportResult, bool) {
	ds.Normalize()
	opts.Who = who(c)
	opts.Audit = s.auditRecord(c, ds) // kept in the write's transaction (server.go)
	res, err := s.store.Import(c.Request.Context(), ds, opts)
	if err != nil {
		s.fail(c, err)
		return res, false
	}
	switch {
	case opts.DryRun:
	case onlyProjects(ds):
		// A project write patches the snapshot: no full rebuild for one project.
		s.snaps.patchProjects(ds.Projects)
	default:
		s.snaps.invalidate()
	}
	return res, true
}

func (s *Server) storedProject(c *gin.Context, id string) (graph.StoredProject, bool) {
	stored, err := s.store.StoredProjects(c.Request.Context(), []string{id})
	if err != nil {
		s.fail(c, err)
		return graph.StoredProject{}, false
	}
	sp, ok := stored[id]
	if !ok {
		s.fail(c, notFound("项目 project", id))
		return sp, false
	}
	return sp, true
}

func (s *Server) createProject(c *gin.Context) {
	var p graph.Project
	if !bindJSON(c, &p) {
		return
	}
	p.Normalize() // before the existence check: " P-1" is P-1
	if p.ID != "" {
		if stored, err := s.store.StoredProjects(c.Request.Context(), []string{p.ID}); err != nil {
			s.fail(c, err)
			return
		} else if _, exists := stored[p.ID]; exists {
			problem(c, graph.ECONFLICT, "项目 "+p.ID+" 已存在", "project "+p.ID+" already exists")
			return
		}
	}
	if _, ok := s.save(c, &graph.Dataset{Projects: []graph.Project{p}}, graph.ImportOptions{}); !ok {
		return
	}
	c.Set(auditAfter, p)
	c.JSON(http.StatusCreated, p)
}

func (s *Server) updateProject(c *gin.Context) {
	var p graph.Project
	if !bindJSON(c, &p) {
		return
	}
	p.Normalize()
	id := c.Param("id")
	if p.ID == "" {
		p.ID = id
	}
	if p.ID != id {
		problem(c, graph.EINVALID, "请求体中的 id 与地址不符", "the body's id differs from the path's")
		return
	}
	sp, ok := s.storedProject(c, id)
	if !ok {
		return
	}
	if p.Stage != sp.Project.Stage || p.SignedOn != sp.Project.SignedOn || p.StartedOn != sp.Project.StartedOn ||
		p.ProducingOn != sp.Project.ProducingOn || p.AtCapacityOn != sp.Project.AtCapacityOn {
		problem(c, graph.ECONFLICT, "阶段及其日期只能通过 transitions 变更", "the stage and its dates change only through /transitions")
		return
	}
	c.Set(auditBefore, sp.Project)
	if _, ok := s.save(c, &graph.Dataset{Projects: []graph.Project{p}}, graph.ImportOptions{}); !ok {
		return
	}
	c.Set(auditAfter, p)
	c.JSON(http.StatusOK, p)
}

func (s *Server) transition(c *gin.Context) {
	var req TransitionRequest
	if !bindJSON(c, &req) {
		return
	}
	req.To, req.On, req.Note = graph.Stage(graph.NormalizeID(string(req.To))), graph.Date(strings.TrimSpace(string(req.On))),
		graph.NormalizeText(req.Note)
	if !req.On.Valid() {
		// A dropped project keeps no date for its stage, so Validate never sees this
		// one; the history entry must not record garbage.
		s.fail(c, &graph.ValidationError{Problems: []graph.Problem{{Table: graph.TProjectLog, Index: -1,
			Column: "on", Value: strings.ToValidUTF8(string(req.On), "?"), Code: graph.PBadDate}}})
		return
	}
	sp, ok := s.storedProject(c, c.Param("id"))
	if !ok {
		return
	}
	next, ev, err := graph.Advance(sp.Project, graph.Transition{To: req.To, On: req.On, Note: req.Note,
		Correction: req.Correction, Who: who(c)}, time.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(auditBefore, sp.Project)
	if _, ok := s.save(c, &graph.Dataset{Projects: []graph.Project{next}, ProjectEvents: []graph.ProjectEvent{ev}},
		graph.ImportOptions{}); !ok {
		return
	}
	c.Set(auditAfter, next)
	c.JSON(http.StatusOK, next)
}

// importUpload takes one .xlsx, one .csv (with ?table=) or a .zip of .csv files.
func (s *Server) importUpload(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			problem(c, "too_large", "上传文件过大", "the upload is too large")
			return
		}
		problem(c, "bad_request", "需要以 file 字段上传文件", "upload the file in the form field \"file\"")
		return
	}
	// The client's file name picks the reader and nothing else: the file is saved
	// under a fixed name, and its first bytes must agree with its extension.
	name := filepath.Base(fh.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" && ext != ".zip" {
		problem(c, graph.EINVALID, "只接受 .xlsx、.csv 或 .zip", "only .xlsx, .csv or .zip files are accepted")
		return
	}
	if zh, en, ok := checkUploadType(fh, ext); !ok {
		problem(c, graph.EINVALID, zh, en)
		return
	}
	dir, err := os.MkdirTemp("", "chainmap-upload-")
	if err != nil {
		s.fail(c, err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upload"+ext)
	if err := c.SaveUploadedFile(fh, path); err != nil {
		s.fail(c, err)
		return
	}
	if fh.Size > freeAfterUpload {
		defer returnMemory()
	}
	// Limits by what the file unpacks to, its cells and columns, enforced while it
	// streams; the request's deadline bounds the time.
	lim := interchange.UploadLimits(s.opts.MaxUploadBytes)
	var ds *graph.Dataset
	var origin *graph.Origin
	switch ext {
	case ".xlsx":
		ds, origin, err = interchange.ReadXLSXWith(c.Request.Context(), path, lim)
	case ".csv":
		t := graph.Table(c.Query("table"))
		if interchange.FormatOf(t) == nil {
			problem(c, "bad_request", "上传单个 csv 时需要 ?table=表名", "a single .csv needs ?table=NAME")
			return
		}
		folder := filepath.Join(dir, "csv")
		if err = os.Mkdir(folder, 0o700); err == nil {
			err = os.Rename(path, filepath.Join(folder, string(t)+".csv"))
		}
		if err == nil {
			ds, origin, err = interchange.ReadCSVDirWith(c.Request.Context(), folder, lim)
		}
	case ".zip":
		folder := filepath.Join(dir, "csv")
		if err = unzipCSV(path, folder, lim.MaxUnzipped); err == nil {
			ds, origin, err = interchange.ReadCSVDirWith(c.Request.Context(), folder, lim)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	res, ok := s.save(c, ds, graph.ImportOptions{Origin: origin, DryRun: c.Query("dry_run") == "true", Note: "上传 upload " + name})
	if !ok {
		return
	}
	c.Set(auditAfter, res)
	c.JSON(http.StatusOK, res)
}

// freeAfterUpload is the upload size above which the memory its reading took is
// handed back to the operating system afterwards: Go keeps a freed heap for
// reuse, so one big upload would otherwise leave the server's RSS at its peak.
const freeAfterUpload = 4 << 20

var freeing atomic.Bool

// returnMemory hands freed memory back to the OS once the answer is on its way;
// one at a time, as a second run while the first goes on would find nothing more.
func returnMemory() {
	if freeing.CompareAndSwap(false, true) {
		go func() {
			defer freeing.Store(false)
			debug.FreeOSMemory()
		}()
	}
}

// checkUploadType compares an upload's first bytes with its extension: xlsx and zip
// are zip archives; a csv is text (UTF-8, GBK or UTF-16 with its BOM — the reader
// decides which), so a NUL byte without a UTF-16 BOM, or a zip signature, means a
// binary file that was renamed. It answers the problem's zh/en text when it fails.
func checkUploadType(fh *multipart.FileHeader, ext string) (zh, en string, ok bool) {
	f, err := fh.Open()
	if err != nil {
		return "上传文件无法读取", "the upload cannot be read", false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	zipped := bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
	switch ext {
	case ".xlsx":
		if !zipped {
			return "文件扩展名为 .xlsx，但内容不是 Excel 工作簿（旧版 .xls 请在 Excel 中另存为 .xlsx）",
				"the file is named .xlsx but is not an Excel workbook (save an old .xls as .xlsx in Excel)", false
		}
	case ".zip":
		if !zipped {
			return "文件扩展名为 .zip，但内容不是 zip 压缩包", "the file is named .zip but is not a zip archive", false
		}
	case ".csv":
		utf16 := bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
		if zipped || (!utf16 && bytes.IndexByte(head, 0) >= 0) {
			return "文件扩展名为 .csv，但内容不是文本（是否把 Excel 文件改了扩展名？）",
				"the file is named .csv but is not text (an Excel file renamed?)", false
		}
	}
	return "", "", true
}

// maxZipEntries bounds how many csv files a zip upload may hold: there are only a
// dozen tables, and each entry becomes a file on disk.
const maxZipEntries = 64

// unzipCSV extracts the .csv files of a zip (flat, no paths) into dir, refusing
// archives that expand beyond max bytes.
func unzipCSV(path, dir string, max int64) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return graph.Errorf(graph.EINVALID, "zip 文件无法读取 / the zip file cannot be read")
	}
	defer zr.Close()
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	var total int64
	seen := map[string]string{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(filepath.Ext(f.Name), ".csv") {
			continue
		}
		// Folders inside the zip are flattened, so two entries with one base name
		// would overwrite each other silently.
		base := filepath.Base(f.Name)
		if prev, dup := seen[strings.ToLower(base)]; dup {
			return graph.Errorf(graph.EINVALID, "zip 中 %s 与 %s 同名 / %s and %s in the zip have the same name",
				f.Name, prev, f.Name, prev)
		}
		if seen[strings.ToLower(base)] = f.Name; len(seen) > maxZipEntries {
			return graph.Errorf(graph.EINVALID, "zip 中的 csv 文件超过 %d 个 / the zip holds more than %d csv files",
				maxZipEntries, maxZipEntries)
		}
		rc, err := f.Open()
		if err != nil {
			return graph.Errorf(graph.EINVALID, "zip 中的 %s 无法读取 / %s in the zip cannot be read", f.Name, f.Name)
		}
		out, err := os.Create(filepath.Join(dir, base))
		if err != nil {
			rc.Close()
			return err
		}
		n, err := io.Copy(out, io.LimitReader(rc, max-total+1))
		rc.Close()
		out.Close()
		if total += n; total > max {
			return graph.Errorf(graph.EINVALID, "zip 解压后过大 / the zip expands beyond the limit")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// export streams the whole store as a workbook or a zip of csv files.
func (s *Server) export(c *gin.Context) {
	format := c.DefaultQuery("format", "xlsx")
	if format != "xlsx" && format != "csv" {
		problem(c, "bad_request", "format 应为 xlsx 或 csv", "format must be xlsx or csv")
		return
	}
	dir, err := os.MkdirTemp("", "chainmap-export-")
	if err != nil {
		s.fail(c, err)
		return
	}
	defer os.RemoveAll(dir)
	stamp := time.Now().Format("20060102")
	if format == "xlsx" {
		path := filepath.Join(dir, "chainmap.xlsx")
		if err := interchange.WriteXLSX(c.Request.Context(), s.store, path, interchange.WriteOptions{}); err != nil {
			s.fail(c, err)
			return
		}
		c.FileAttachment(path, "chainmap-"+stamp+".xlsx")
		return
	}
	if err := interchange.WriteCSVDir(c.Request.Context(), s.store, dir, interchange.WriteOptions{}); err != nil {
		s.fail(c, err)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range interchange.Formats {
		body, err := os.ReadFile(filepath.Join(dir, string(f.Table)+".csv"))
		if err != nil {
			s.fail(c, err)
			return
		}
		w, _ := zw.Create(string(f.Table) + ".csv")
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="chainmap-`+stamp+`-csv.zip"`)
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
}

// NewUser creates a user.
type NewUser struct {
	Name     string    `json:"name"`
	Password string    `json:"password"`
	Role     auth.Role `json:"role"`
}

// NewToken asks for an API token.
type NewToken struct {
	Label string `json:"label"`
	Days  *int   `json:"days,omitempty"` // absent: DefaultTokenDays; 0: no expiry
}

// DefaultTokenDays is how long a token lives unless asked otherwise: a token left in
// an old script should stop working on its own.
const DefaultTokenDays = 90

// IssuedToken carries a new token's secret, shown once.
type IssuedToken struct {
	User  string `json:"user"`
	Label string `json:"label"`
	Token string `json:"token"`
}

func (s *Server) listUsers(c *gin.Context) {
	users, err := s.opts.Auth.Users(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, nonNil(users))
}

func (s *Server) addUser(c *gin.Context) {
	var u NewUser
	if !bindJSON(c, &u) {
		return
	}
	if err := s.opts.Auth.AddUser(c.Request.Context(), u.Name, u.Password, u.Role); err != nil {
		s.fail(c, err)
		return
	}
	// The user as stored (the name normalised, the timestamps set), not as typed.
	stored, ok := s.findUser(c, auth.NormalizeName(u.Name))
	if !ok {
		return
	}
	c.Set(auditAfter, map[string]any{"name": stored.Name, "role": stored.Role}) // never the password
	c.JSON(http.StatusCreated, stored)
}

// UserChange changes a user; absent fields stay as they are.
type UserChange struct {
	Role     auth.Role `json:"role,omitempty"`
	Disabled *bool     `json:"disabled,omitempty"`
	Password string    `json:"password,omitempty"` // ends the user's sessions
}

// changeUser applies a UserChange. Each part is its own transaction in the auth
// store, so the order puts the refusable checks first: a change that would leave no
// enabled admin is refused before anything else is touched.
func (s *Server) changeUser(c *gin.Context) {
	var ch UserChange
	if !bindJSON(c, &ch) {
		return
	}
	ctx, name := c.Request.Context(), auth.NormalizeName(c.Param("name"))
	before, ok := s.findUser(c, name)
	if !ok {
		return
	}
	c.Set(auditBefore, before)
	var err error
	if ch.Disabled != nil && *ch.Disabled {
		err = s.opts.Auth.DisableUser(ctx, name)
	}
	if err == nil && ch.Role != "" {
		err = s.opts.Auth.SetRole(ctx, name, ch.Role)
	}
	if err == nil && ch.Password != "" {
		err = s.opts.Auth.SetPassword(ctx, name, ch.Password)
	}
	if err == nil && ch.Disabled != nil && !*ch.Disabled {
		err = s.opts.Auth.EnableUser(ctx, name)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	after, ok := s.findUser(c, name)
	if !ok {
		return
	}
	c.Set(auditAfter, map[string]any{"user": after, "password_changed": ch.Password != ""}) // never the password
	c.JSON(http.StatusOK, after)
}

func (s *Server) findUser(c *gin.Context, name string) (auth.User, bool) {
	users, err := s.opts.Auth.Users(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return auth.User{}, false
	}
	for _, u := range users {
		if u.Name == name {
			return u, true
		}
	}
	problem(c, graph.ENOTFOUND, "用户 "+name+" 不存在", "user "+name+" not found")
	return auth.User{}, false
}

func (s *Server) listTokens(c *gin.Context) {
	name := auth.NormalizeName(c.Param("name"))
	if _, ok := s.findUser(c, name); !ok {
		return
	}
	toks, err := s.opts.Auth.Tokens(c.Request.Context(), name)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, nonNil(toks))
}

func (s *Server) revokeToken(c *gin.Context) {
	ctx, id := c.Request.Context(), c.Param("id")
	if err := s.opts.Auth.RevokeToken(ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	toks, err := s.opts.Auth.Tokens(ctx, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, t := range toks {
		if t.ID == id {
			c.Set(auditAfter, t)
			c.JSON(http.StatusOK, t)
			return
		}
	}
	problem(c, graph.ENOTFOUND, "令牌不存在", "no such token")
}

func (s *Server) addToken(c *gin.Context) {
	var t NewToken
	if !bindJSON(c, &t) {
		return
	}
	days := DefaultTokenDays
	if t.Days != nil {
		days = *t.Days
	}
	if days < 0 {
		problem(c, graph.EINVALID, "days 不能为负", "days must not be negative")
		return
	}
	secret, err := s.opts.Auth.CreateToken(c.Request.Context(), c.Param("name"), t.Label, time.Duration(days)*24*time.Hour)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(auditAfter, map[string]any{"user": c.Param("name"), "label": t.Label}) // never the secret
	c.JSON(http.StatusCreated, IssuedToken{User: c.Param("name"), Label: t.Label, Token: secret})
}

func (s *Server) audit(c *gin.Context) {
	f := auth.AuditFilter{User: c.Query("user"), Limit: 200}
	if v := c.Query("limit"); v != "" {
		n, err := parsePositive(v)
		if err != nil {
			problem(c, "bad_request", "limit 应为正整数", "limit must be a positive integer")
			return
		}
		f.Limit = n
	}
	if v := c.Query("before_id"); v != "" {
		n, err := parsePositive(v)
		if err != nil {
			problem(c, "bad_request", "before_id 应为正整数", "before_id must be a positive integer")
			return
		}
		f.BeforeID = int64(n)
	}
	entries, err := s.opts.Auth.AuditLog(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, nonNil(entries))
}

// Keys under which write handlers leave the before/after state for the audit log.
const (
	auditBefore = "audit_before"
	auditAfter  = "audit_after"
)

// audited records every write, successful or not, after the handler ran.
func (s *Server) audited(r route) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if c.Writer.Status() == http.StatusUnauthorized {
			// Nobody signed in: recording these would let anyone fill the log.
			return
		}
		e := auth.AuditEntry{At: time.Now().UTC(), IP: c.ClientIP(), Method: c.Request.Method, Path: c.Request.URL.Path,
			Action: r.Summary, Target: c.Param("id") + c.Param("name"), Status: c.Writer.Status()}
		if p := auth.PrincipalFrom(c); p != nil {
			e.User, e.Role = p.User, p.Role
		}
		if v, ok := c.Get(auditBefore); ok {
			b, _ := json.Marshal(v)
			e.Before = string(b)
		}
		if v, ok := c.Get(auditAfter); ok {
			b, _ := json.Marshal(v)
			e.After = string(b)
		}
		s.recordAudit(c, e) // under the ref of the write's outbox entry, if any (server.go)
	}
}

// onlyProjects reports whether a dataset holds projects and their history only.
func onlyProjects(ds *graph.Dataset) bool {
	for _, t := range graph.Tables {
		if t != graph.TProjects && t != graph.TProjectLog && ds.Len(t) > 0 {
			return false
		}
	}
	return ds.Len(graph.TProjects) > 0
}
