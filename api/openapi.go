package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// The OpenAPI 3.0 document is generated from the route table: paths, parameters,
// request bodies, response schemas (reflected from the Go types the handlers
// return), error responses and the roles each route needs.

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

// Spec builds the OpenAPI document.
func (s *Server) Spec() map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	problemRef := map[string]any{"$ref": "#/components/schemas/Problem"}
	schemas["Problem"] = schemaOf(reflect.TypeOf(Problem{}), schemas)
	errResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/problem+json": map[string]any{"schema": problemRef}}}
	}
	for _, r := range s.routes {
		p := pathParam.ReplaceAllString(r.Path, "{$1}")
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{"summary": r.Summary, "tags": []string{r.Tag}, "operationId": operationID(r)}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range r.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "required": q.Required, "description": q.Desc,
				"schema": map[string]any{"type": q.Type}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.Body != nil {
			if str, ok := r.Body.(string); ok && strings.HasPrefix(str, "multipart/") {
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
					"schema": map[string]any{"type": "object", "required": []string{"file"},
						"properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}}}}
			} else {
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{
					"schema": schemaOf(reflect.TypeOf(r.Body), schemas)}}}
			}
		}
		status := "200"
		if r.Created {
			status = "201"
		}
		ok := map[string]any{"description": "OK"}
		switch {
		case r.Resp != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.Resp), schemas)}}
		case r.RespType != "":
			ok["content"] = map[string]any{r.RespType: map[string]any{"schema": map[string]any{"type": "string"}}}
		}
		responses := map[string]any{status: ok, "500": errResp("服务器错误 / internal error")}
		if r.Method == http.MethodGet && r.Resp != nil {
			responses["304"] = map[string]any{"description": "未变化（If-None-Match）/ not modified"}
		}
		if r.Role != "" {
			responses["401"] = errResp("需要登录 / authentication required")
			responses["403"] = errResp("权限不足 / role " + string(r.Role) + " required")
			op["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}}
			op["x-chainmap-role"] = string(r.Role)
		}
		if len(r.Query) > 0 || r.Body != nil || strings.Contains(r.Path, ":") {
			responses["400"] = errResp("请求格式错误 / bad request")
			responses["404"] = errResp("未找到 / not found")
			responses["422"] = errResp("数据有误（含逐项错误）/ invalid input, with every field's problem")
		}
		if r.Write {
			responses["409"] = errResp("冲突 / conflict")
		}
		op["responses"] = responses
		paths[p][strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "chainmap API", "version": s.opts.Version,
			"description": "产业链图谱与招商分析接口。错误以 application/problem+json 返回，语言随 Accept-Language（默认中文）。\n\n" +
				"Industrial-chain map and investment-promotion analyses. Errors are application/problem+json in Chinese or English by Accept-Language."},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "API token: chainmap users token NAME"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "chainmap_session", "description": "browser session; unsafe methods also need X-CSRF-Token"},
			},
		},
	}
}

func operationID(r route) string {
	id := strings.ToLower(r.Method) + pathParam.ReplaceAllString(r.Path, "by_$1")
	return strings.NewReplacer("/", "_", "-", "_", ".", "_").Replace(id)
}

var (
	timeType = reflect.TypeOf(time.Time{})
)

// schemaOf reflects a JSON schema for t, registering named structs in schemas.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Interface:
		return map[string]any{}
	case t.Kind() != reflect.Struct:
		return map[string]any{}
	}
	name := schemaName(t)
	ref := map[string]any{"$ref": "#/components/schemas/" + name}
	if _, done := schemas[name]; done {
		return ref
	}
	schemas[name] = map[string]any{} // placeholder against recursion
	props := map[string]any{}
	var required []string
	var addFields func(t reflect.Type)
	addFields = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			jname, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && jname == "" {
				ft := f.Type
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					addFields(ft)
					continue
				}
			}
			if jname == "" {
				jname = f.Name
			}
			props[jname] = schemaOf(f.Type, schemas)
			if !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer {
				required = append(required, jname)
			}
		}
	}
	addFields(t)
	sch := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sch["required"] = required
	}
	schemas[name] = sch
	return ref
}

// schemaName names a struct type by package and type, e.g. diagnose.Result →
// DiagnoseResult; generic instances get their argument's name appended.
func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	name := t.Name()
	if i := strings.Index(name, "["); i >= 0 {
		arg := name[i+1 : len(name)-1]
		if j := strings.LastIndex(arg, "."); j >= 0 {
			arg = arg[j+1:]
		}
		name = name[:i] + arg
	}
	if pkg == "api" || pkg == "" {
		return name
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + name
}

func (s *Server) openapi(c *gin.Context) { c.JSON(http.StatusOK, s.Spec()) }

// docRow is one route on the documentation page.
type docRow struct {
	Method, Path, Summary, Role string
	Query                       []param
}

func (s *Server) docs(c *gin.Context) {
	var rows []docRow
	for _, r := range s.routes {
		role := string(r.Role)
		if role == "" {
			role = "public"
		}
		rows = append(rows, docRow{Method: r.Method, Path: r.Path, Summary: r.Summary, Role: role, Query: r.Query})
	}
	c.HTML(http.StatusOK, "docs.html", gin.H{"Version": s.opts.Version, "Routes": rows})
}
