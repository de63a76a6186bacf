package api

import (
	"net/http"
	"strconv"

	"github.com/chainmap/chainmap/analysis/choke"
	"github.com/chainmap/chainmap/analysis/community"
	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/kpi"
	"github.com/chainmap/chainmap/analysis/leaders"
	"github.com/chainmap/chainmap/analysis/relatedness"
	"github.com/chainmap/chainmap/analysis/targets"
	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

// route is one endpoint: how it is served, who may call it, and how it is
// documented. Body and Resp are sample values whose types give the OpenAPI schemas.
type route struct {
	Method, Path string
	Role         auth.Role // minimum role; "" = public
	Tag          string
	Summary      string // "中文 / English"
	Query        []param
	Body         any
	Resp         any
	RespType     string // content type when not JSON (e.g. a file download)
	Created      bool   // success is 201
	Write        bool   // audited; invalidates the analysis cache
	Audited      bool   // audited although it changes nothing (the whole-database export)
	Handle       gin.HandlerFunc
}

// param documents a query parameter.
type param struct {
	Name, Type, Desc string
	Required         bool
}

var (
	pRegion   = param{"region", "string", "地区编码 / region code", true}
	pChainOpt = param{"chain", "string", "产业链编号 / chain id", false}
	pPage     = param{"page", "integer", "页码（从 1 开始）/ page, from 1", false}
	pSize     = param{"page_size", "integer", "每页条数（≤500）/ page size (≤ 500)", false}
	pAsOf     = param{"as_of", "string", "评估日期 / judge ties as of this date", false}
)

func (s *Server) routeTable() []route {
	return []route{
		{Method: "GET", Path: "/healthz", Tag: "ops", Summary: "存活检查 / liveness", Resp: Health{}, Handle: s.healthz},
		{Method: "GET", Path: "/readyz", Tag: "ops", Summary: "就绪检查（存储可达）/ readiness: store reachable", Resp: Health{}, Handle: s.readyz},
		{Method: "GET", Path: "/metrics", Role: auth.Viewer, Tag: "ops", Summary: "Prometheus 指标 / Prometheus metrics", RespType: "text/plain", Handle: s.serveMetrics},
		{Method: "GET", Path: "/", Tag: "ui", Summary: "网页界面 / the web UI", RespType: "text/html", Handle: s.uiIndex},
		{Method: "GET", Path: "/ui/*file", Tag: "ui", Summary: "网页界面的文件 / web UI files", RespType: "text/html", Handle: s.uiFile},
		{Method: "HEAD", Path: "/ui/*file", Tag: "ui", Summary: "网页界面的文件（仅头部）/ web UI files (headers only)", RespType: "text/html", Handle: s.uiFile},
		{Method: "GET", Path: "/status", Role: auth.Viewer, Tag: "ops", Summary: "状态页 / status page", RespType: "text/html", Handle: s.status},
		{Method: "GET", Path: "/api/openapi.json", Tag: "ops", Summary: "OpenAPI 文档 / this OpenAPI document", Resp: map[string]any{}, Handle: s.openapi},
		{Method: "GET", Path: "/api/docs", Tag: "ops", Summary: "接口文档页面 / browsable API documentation", RespType: "text/html", Handle: s.docs},

		{Method: "POST", Path: "/api/v1/session", Tag: "auth", Summary: "登录 / log in (sets a session cookie)", Body: LoginRequest{}, Resp: LoginResponse{}, Handle: s.opts.Auth.LoginHandler(s.authOptions())},
		{Method: "DELETE", Path: "/api/v1/session", Tag: "auth", Summary: "退出登录 / log out", Handle: s.opts.Auth.LogoutHandler(s.authOptions())},
		{Method: "GET", Path: "/api/v1/me", Role: auth.Viewer, Tag: "auth", Summary: "当前用户（会话含 CSRF 令牌）/ who am I (with the CSRF token of a session)", Resp: Me{}, Handle: s.opts.Auth.MeHandler()},
		{Method: "GET", Path: "/api/v1/users", Role: auth.Admin, Tag: "auth", Summary: "用户列表 / users", Resp: []auth.User{}, Handle: s.listUsers},
		{Method: "POST", Path: "/api/v1/users", Role: auth.Admin, Tag: "auth", Summary: "新建用户 / create a user", Body: NewUser{}, Resp: auth.User{}, Created: true, Write: true, Handle: s.addUser},
		{Method: "PATCH", Path: "/api/v1/users/:name", Role: auth.Admin, Tag: "auth", Summary: "修改角色、停用/启用、重设密码 / change a user's role, disable or enable them, reset their password", Body: UserChange{}, Resp: auth.User{}, Write: true, Handle: s.changeUser},
		{Method: "GET", Path: "/api/v1/users/:name/tokens", Role: auth.Admin, Tag: "auth", Summary: "用户的 API 令牌（不含密钥）/ a user's API tokens (never the secrets)", Resp: []auth.Token{}, Handle: s.listTokens},
		{Method: "DELETE", Path: "/api/v1/tokens/:id", Role: auth.Admin, Tag: "auth", Summary: "吊销 API 令牌 / revoke an API token", Resp: auth.Token{}, Write: true, Handle: s.revokeToken},
		{Method: "POST", Path: "/api/v1/users/:name/tokens", Role: auth.Admin, Tag: "auth", Summary: "签发 API 令牌（仅显示一次）/ issue an API token (shown once)", Body: NewToken{}, Resp: IssuedToken{}, Created: true, Write: true, Handle: s.addToken},
		{Method: "GET", Path: "/api/v1/audit", Role: auth.Admin, Tag: "auth", Summary: "审计日志 / audit log of writes", Query: []param{{"user", "string", "用户 / user", false}, {"limit", "integer", "条数 / entries", false},
			{"before_id", "integer", "只取 id 更小的记录（翻页：上一页最后一条的 id）/ only entries with smaller ids (the next page: the last id seen)", false}},
			Resp: []auth.AuditEntry{}, Handle: s.audit},

		{Method: "GET", Path: "/api/v1/regions", Role: auth.Viewer, Tag: "data", Summary: "地区与地区分组 / regions and region groups", Resp: RegionsView{}, Handle: s.regions},
		{Method: "GET", Path: "/api/v1/clusters", Role: auth.Viewer, Tag: "data", Summary: "产业集群 / clusters", Resp: []graph.Cluster{}, Handle: s.clusters},
		{Method: "GET", Path: "/api/v1/chains", Role: auth.Viewer, Tag: "data", Summary: "产业链及其环节与供需关系 / chains with links and feeds", Resp: []ChainView{}, Handle: s.chains},
		{Method: "GET", Path: "/api/v1/chains/:id", Role: auth.Viewer, Tag: "data", Summary: "一条产业链 / one chain", Resp: ChainView{}, Handle: s.chain},
		{Method: "GET", Path: "/api/v1/links/:id", Role: auth.Viewer, Tag: "data", Summary: "一个环节及其企业 / one link and its companies", Resp: LinkView{}, Handle: s.link},
		{Method: "GET", Path: "/api/v1/companies", Role: auth.Viewer, Tag: "data", Summary: "企业检索（中文或拼音首字母）/ search companies (Chinese or pinyin initials)",
			Query: []param{{"q", "string", "名称、拼音首字母或编号 / name, pinyin initials or id", false}, {"region", "string", "所在地区（含下级）/ located in (or below)", false},
				pChainOpt, {"link", "string", "环节编号 / link id", false}, {"tag", "string", "标签（可重复）/ tag (repeatable)", false}, pPage, pSize},
			Resp: Page[CompanyView]{}, Handle: s.companies},
		{Method: "GET", Path: "/api/v1/companies/:id", Role: auth.Viewer, Tag: "data", Summary: "企业详情：环节、供应商、客户、链主 / company profile", Resp: CompanyDetail{}, Handle: s.company},
		{Method: "GET", Path: "/api/v1/supplies", Role: auth.Viewer, Tag: "data", Summary: "供应关系 / supply ties",
			Query: []param{{"supplier", "string", "供应商编号 / supplier id", false}, {"customer", "string", "客户编号 / customer id", false}, {"link", "string", "环节编号 / link id", false}, pPage, pSize},
			Resp:  Page[graph.Supply]{}, Handle: s.supplies},
		{Method: "GET", Path: "/api/v1/leaders", Role: auth.Viewer, Tag: "data", Summary: "已声明的链主 / declared chain leaders", Resp: []LeaderView{}, Handle: s.declaredLeaders},
		{Method: "GET", Path: "/api/v1/projects", Role: auth.Viewer, Tag: "projects", Summary: "招商项目 / projects",
			Query: []param{{"district", "string", "落地板块（含下级）/ district (or below)", false}, {"stage", "string", "阶段 / stage", false}, pChainOpt, pPage, pSize},
			Resp:  Page[graph.Project]{}, Handle: s.projects},
		{Method: "GET", Path: "/api/v1/projects/:id", Role: auth.Viewer, Tag: "projects", Summary: "一个项目 / one project", Resp: graph.Project{}, Handle: s.project},
		{Method: "GET", Path: "/api/v1/projects/:id/history", Role: auth.Viewer, Tag: "projects", Summary: "项目进展记录 / a project's history", Resp: []graph.ProjectEvent{}, Handle: s.projectHistory},
		{Method: "POST", Path: "/api/v1/projects", Role: auth.Editor, Tag: "projects", Summary: "登记项目 / create a project", Body: graph.Project{}, Resp: graph.Project{}, Created: true, Write: true, Handle: s.createProject},
		{Method: "PUT", Path: "/api/v1/projects/:id", Role: auth.Editor, Tag: "projects", Summary: "修改项目信息（阶段经 transitions 变更）/ update a project (stages change through transitions)", Body: graph.Project{}, Resp: graph.Project{}, Write: true, Handle: s.updateProject},
		{Method: "POST", Path: "/api/v1/projects/:id/transitions", Role: auth.Editor, Tag: "projects", Summary: "推进、终止或更正阶段 / advance, drop or correct the stage", Body: TransitionRequest{}, Resp: graph.Project{}, Write: true, Handle: s.transition},
		{Method: "POST", Path: "/api/v1/imports", Role: auth.Editor, Tag: "data", Summary: "上传 xlsx/csv 导入（全部正确才写入）/ upload an xlsx or csv to import, all or nothing",
			Query: []param{{"dry_run", "boolean", "只检查 / validate only", false}, {"table", "string", "单个 csv 对应的表名 / table of a single csv", false}},
			Body:  "multipart/form-data: file", Resp: graph.ImportResult{}, Write: true, Handle: s.importUpload},
		{Method: "GET", Path: "/api/v1/exports", Role: auth.Viewer, Audited: true, Tag: "data", Summary: "导出（xlsx 或 csv 压缩包）/ export as xlsx or a zip of csv",
			Query: []param{{"format", "string", "xlsx | csv", false}}, RespType: "application/octet-stream", Handle: s.export},

		{Method: "GET", Path: "/api/v1/analysis/diagnosis", Role: auth.Viewer, Tag: "analysis", Summary: "产业链诊断 / chain diagnosis", Query: []param{pRegion, pChainOpt, pAsOf}, Resp: diagnose.Result{}, Handle: s.diagnosis},
		{Method: "GET", Path: "/api/v1/analysis/targets", Role: auth.Viewer, Tag: "analysis", Summary: "招商目标 / investment targets for a link",
			Query: []param{pRegion, {"link", "string", "环节编号 / link id", true}, {"limit", "integer", "数量 / how many", false}, {"tag", "string", "标签（可重复）/ tag (repeatable)", false}, {"in", "string", "候选所在地区（可重复）/ candidates located in (repeatable)", false}, {"min_revenue", "number", "最低营收（万元）/ minimum revenue", false}, {"include_same_city", "boolean", "区县招商时也列出本市其他区县的企业（市内转移）/ for a district, also list firms elsewhere in the same city", false}, pAsOf},
			Resp:  targets.Result{}, Handle: s.targets},
		{Method: "GET", Path: "/api/v1/analysis/leaders", Role: auth.Viewer, Tag: "analysis", Summary: "链主识别 / chain leaders", Query: []param{pRegion, {"chain", "string", "产业链编号 / chain id", true}, pAsOf}, Resp: leaders.Result{}, Handle: s.leaders},
		{Method: "GET", Path: "/api/v1/analysis/chokepoints", Role: auth.Viewer, Tag: "analysis", Summary: "卡脖子环节与关键企业 / choke points", Query: []param{pRegion, pChainOpt, pAsOf}, Resp: choke.Result{}, Handle: s.chokepoints},
		{Method: "GET", Path: "/api/v1/analysis/removal", Role: auth.Viewer, Tag: "analysis", Summary: "模拟企业退出 / what if a firm left", Query: []param{pRegion, {"company", "string", "企业编号 / company id", true}, pAsOf}, Resp: choke.Removal{}, Handle: s.removal},
		{Method: "GET", Path: "/api/v1/analysis/whatif", Role: auth.Viewer, Tag: "analysis", Summary: "假设落地 / what if a firm landed",
			Query: []param{pRegion, {"link", "string", "环节编号 / link id", true}, {"district", "string", "落地板块 / district", true}, {"company", "string", "企业编号（空 = 新企业）/ company (empty: a new firm)", false}, pAsOf},
			Resp:  diagnose.WhatIfResult{}, Handle: s.whatif},
		{Method: "GET", Path: "/api/v1/analysis/extend", Role: auth.Viewer, Tag: "analysis", Summary: "延链：相邻可发展环节 / links the region could grow into",
			Query: []param{pRegion, {"measure", "string", "firms | revenue", false}, {"limit", "integer", "候选数量 / candidates", false}, pAsOf},
			Resp:  relatedness.Result{}, Handle: s.extend},
		{Method: "GET", Path: "/api/v1/analysis/communities", Role: auth.Viewer, Tag: "analysis", Summary: "供应网络社区（Louvain）与产业链对照 / supply-network communities against the declared chains",
			Query: []param{{"resolution", "number", "分辨率 γ（默认 1，越大社区越小）/ resolution γ (default 1; larger: smaller communities)", false}, {"seed", "integer", "随机种子（默认 1）/ seed (default 1)", false}, {"method", "string", "leiden（默认）| louvain / leiden (default) or louvain", false}, pAsOf},
			Resp:  community.Summary{}, Handle: s.communities},
		{Method: "GET", Path: "/api/v1/analysis/kpi", Role: auth.Viewer, Tag: "analysis", Summary: "招商指标 / KPIs",
			Query: []param{{"from", "string", "起始日期 / from", true}, {"to", "string", "截止日期 / to", true}, {"district", "string", "落地板块 / district", false}, pChainOpt,
				{"cluster", "string", "产业集群 / cluster", false}, {"source", "string", "来源地区或分组 / source region or group", false}, {"foreign", "string", "foreign | domestic", false},
				{"min_investment", "number", "最低投资额（亿元，默认 1）/ minimum investment (亿元, default 1)", false}, {"plan", "number", "年度计划（亿元）/ annual plan", false},
				{"as_of", "string", "判断滞后的日期（默认今天）/ day lagging is judged on (default today)", false}},
			Resp: kpi.Report{}, Handle: s.kpi},
	}
}

func (s *Server) authOptions() auth.Options {
	return auth.Options{AnonymousViewer: s.opts.AnonymousViewer, CookieSecure: s.opts.CookieSecure}
}

// LoginRequest is the body of POST /api/v1/session.
type LoginRequest struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// LoginResponse answers a login; the page sends csrf_token as X-CSRF-Token.
type LoginResponse struct {
	User      string    `json:"user"`
	Role      auth.Role `json:"role"`
	CSRFToken string    `json:"csrf_token"`
	Expires   string    `json:"expires"`
}

// Me is the current principal.
type Me struct {
	User      string    `json:"user"`
	Role      auth.Role `json:"role"`
	Via       string    `json:"via"`
	CSRFToken string    `json:"csrf_token,omitempty"`
}

// Page is one page of a list.
type Page[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// paging reads page and page_size, bounding them.
func paging(c *gin.Context) (page, size int, ok bool) {
	page, size = 1, DefaultPageSize
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			problem(c, "bad_request", "page 应为正整数", "page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	if v := c.Query("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			problem(c, "bad_request", "page_size 应为 1–500 的整数", "page_size must be a whole number from 1 to 500")
			return 0, 0, false
		}
		size = n
	}
	return page, size, true
}

// pageOf cuts one page out of items.
func pageOf[T any](items []T, page, size int) Page[T] {
	p := Page[T]{Total: len(items), Page: page, PageSize: size, Items: []T{}}
	if from := (page - 1) * size; from < len(items) {
		p.Items = items[from:min(from+size, len(items))]
	}
	return p
}

// sendCached answers with a cached rendering, honouring If-None-Match.
func sendCached(c *gin.Context, r cached) {
	c.Header("ETag", r.etag)
	c.Header("Cache-Control", "no-cache") // revalidate each time: data change with every write
	if c.GetHeader("If-None-Match") == r.etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", r.body)
}
