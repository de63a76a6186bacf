package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

// Problem is an RFC 9457 problem document, the body of every error response, in
// Chinese or English by Accept-Language; validation problems list every field.
type Problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Code   string         `json:"code"`
	Errors []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem is one located validation problem.
type FieldProblem struct {
	Table   string `json:"table,omitempty"`
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field,omitempty"`
	Value   string `json:"value,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// lang picks the response language the same way the auth package does: Chinese
// by default, English when the client asks for another language.
func lang(c *gin.Context) string { return auth.Lang(c) }

var statusOf = map[string]int{
	graph.EINVALID: http.StatusUnprocessableEntity, graph.ENOTFOUND: http.StatusNotFound,
	graph.ECONFLICT: http.StatusConflict, "unauthorized": http.StatusUnauthorized, "forbidden": http.StatusForbidden,
	"bad_request": http.StatusBadRequest, "too_large": http.StatusRequestEntityTooLarge,
	"timeout": http.StatusGatewayTimeout, graph.EINTERNAL: http.StatusInternalServerError,
	"too_many_requests": http.StatusTooManyRequests,
}

var titles = map[string][2]string{
	graph.EINVALID: {"数据有误", "Invalid input"}, graph.ENOTFOUND: {"未找到", "Not found"},
	graph.ECONFLICT: {"冲突", "Conflict"}, "unauthorized": {"需要登录", "Authentication required"},
	"forbidden": {"无权操作", "Forbidden"}, "bad_request": {"请求格式错误", "Bad request"},
	"too_large": {"请求过大", "Request too large"}, "timeout": {"请求超时", "Request timed out"},
	graph.EINTERNAL: {"服务器内部错误", "Internal error"}, "too_many_requests": {"请求过于频繁", "Too many requests"},
}

// problem writes an error response with code and detail in the client's language.
func problem(c *gin.Context, code, zh, en string) {
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	l := lang(c)
	p := Problem{Type: "https://chainmap.dev/problems/" + code, Title: titles[code][0], Status: status, Detail: zh, Code: code}
	if l == "en" {
		p.Title, p.Detail = titles[code][1], en
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, p)
}

// fail maps an error from the store or an analysis to a problem response. Internal
// errors are logged by the caller's logger and shown without detail.
func (s *Server) fail(c *gin.Context, err error) {
	var verr *graph.ValidationError
	var gerr *graph.Error
	switch {
	case errors.As(err, &verr):
		l := lang(c)
		p := Problem{Type: "https://chainmap.dev/problems/invalid", Title: titles[graph.EINVALID][0], Status: http.StatusUnprocessableEntity,
			Code: graph.EINVALID}
		if l == "en" {
			p.Title = titles[graph.EINVALID][1]
		}
		listed, total := listProblems(verr.Problems)
		for _, x := range listed {
			p.Errors = append(p.Errors, FieldProblem{Table: x.File, Row: x.Row, Field: x.Column, Value: truncateValue(x.Value),
				Code: x.Code, Message: x.Message(l)})
			if x.File == "" {
				p.Errors[len(p.Errors)-1].Table = string(x.Table)
			}
		}
		p.Detail = "共 " + strconv.Itoa(total) + " 处错误，未写入任何数据"
		if l == "en" {
			p.Detail = strconv.Itoa(total) + " problem(s); nothing was written"
		}
		if len(listed) < total {
			p.Detail += "（列出 " + strconv.Itoa(len(listed)) + " 处，其余按列计数）"
			if l == "en" {
				p.Detail += " (" + strconv.Itoa(len(listed)) + " listed, the rest counted per column)"
			}
		}
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(p.Status, p)
	case errors.As(err, &gerr) && gerr.Code != graph.EINTERNAL:
		zh, en := splitBilingual(gerr.Message)
		problem(c, gerr.Code, zh, en)
	case errors.Is(err, context.DeadlineExceeded):
		problem(c, "timeout", "请求处理超时", "the request took too long")
	case errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil:
		// The client hung up: nothing to answer and no server fault, so it must not
		// count as a 500 in the logs and metrics. 499 is nginx's "client closed".
		s.opts.Logger.Info("client went away", "path", c.FullPath())
		c.AbortWithStatus(499)
	default:
		s.opts.Logger.Error("request failed", "path", c.FullPath(), "err", err)
		problem(c, graph.EINTERNAL, "服务器内部错误，已记录", "internal error; it has been logged")
	}
}

// splitBilingual splits our "中文 / English" messages; a message without the
// separator is used for both.
func splitBilingual(m string) (string, string) {
	if zh, en, ok := strings.Cut(m, " / "); ok {
		return zh, en
	}
	return m, m
}

// Bounds on a validation report (issue 15 #10: a 5 MB zip gave a 269 MB body): the
// first maxListedPerColumn problems of each kind per file and column, at most
// maxListedProblems in all, and a more_problems entry counting the rest of each.
const (
	maxListedPerColumn = 20
	maxListedProblems  = 1000
	maxValueLen        = 200
)

// listProblems returns the problems to list, with counts in place of the rest, and
// how many problems there are in all (the readers' own more_problems counts
// included).
func listProblems(ps []graph.Problem) ([]graph.Problem, int) {
	type key struct{ file, table, column, code string }
	seen := map[key]int{}
	rest := map[key]*graph.Problem{}
	var order []key
	var out []graph.Problem
	total := 0
	for _, p := range ps {
		n := 1
		if p.Code == graph.PMoreProblems && len(p.Args) > 0 {
			n, _ = strconv.Atoi(p.Args[0])
		}
		total += n
		code := p.Code
		if p.Code == graph.PMoreProblems && len(p.Args) > 1 {
			code = p.Args[1]
		}
		k := key{p.File, string(p.Table), p.Column, code}
		if p.Code != graph.PMoreProblems && seen[k] < maxListedPerColumn && len(out) < maxListedProblems {
			seen[k]++
			out = append(out, p)
			continue
		}
		if r, ok := rest[k]; ok {
			c, _ := strconv.Atoi(r.Args[0])
			r.Args[0] = strconv.Itoa(c + n)
			continue
		}
		r := p
		r.Code, r.Value, r.Args = graph.PMoreProblems, "", []string{strconv.Itoa(n), code}
		rest[k] = &r
		order = append(order, k)
	}
	for _, k := range order {
		out = append(out, *rest[k])
	}
	return out, total
}

// truncateValue shortens a value echoed in a report to maxValueLen characters.
func truncateValue(v string) string {
	if len(v) <= maxValueLen {
		return v
	}
	r := []rune(v)
	if len(r) <= maxValueLen {
		return v
	}
	return string(r[:maxValueLen]) + "…"
}
