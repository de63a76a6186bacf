package graph

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on field sizes and magnitudes; values beyond them are typing mistakes (a
// revenue in 元 typed into a 万元 column) or hostile input, not data.
const (
	MaxIDLen           = 64
	MaxNameLen         = 200
	MaxTextLen         = 2000
	MaxRevenueWan      = 1e9 // 10万亿元, above the largest firm's revenue
	MaxEmployees       = 5_000_000
	MaxAmountWan       = 1e9
	MaxInvestmentWan   = 1e8 // 1万亿元 in one project
	maxFutureTolerance = 24 * time.Hour
	// PlanHorizonYears bounds dates that may lie ahead: planned dates and a supply
	// tie's observation dates. 9999-12-31 is a placeholder, not a plan.
	PlanHorizonYears = 20
)

// dateRule says how far ahead a date column may lie.
type dateRule int

const (
	happened dateRule = iota // a day that has come: at the latest tomorrow (time zones)
	horizon                  // at most PlanHorizonYears ahead
)

// recordCheck gathers the problems of one record; Table and Index are set by the
// dataset check that owns the record.
type recordCheck struct{ list []Problem }

func (r *recordCheck) add(col, val, code string, args ...string) {
	r.list = append(r.list, Problem{Index: -1, Column: col, Value: val, Code: code, Args: args})
}

func (r *recordCheck) err() error {
	if len(r.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: r.list}
}

func (r *recordCheck) id(col, v string) {
	switch {
	case v == "":
		r.add(col, v, PRequired)
	case len(v) > MaxIDLen:
		r.add(col, v, PTooLong, strconv.Itoa(MaxIDLen))
	case strings.ContainsFunc(v, unicode.IsControl):
		// Control characters are invisible in a spreadsheet, and NUL joins the parts
		// of composite keys during checks.
		r.add(col, strings.ToValidUTF8(v, "?"), PControlChar)
	default:
		if bad, ok := BadIDRune(v); ok {
			r.add(col, v, PInvisibleChar, runeName(bad))
		}
	}
}

// date checks a date field: written as a stored Date (a JSON body may send anything)
// and not later than rule allows, counted from the clock.
func (r *recordCheck) date(col string, d Date, rule dateRule) {
	switch {
	case d == "":
	case !d.Valid():
		r.add(col, strings.ToValidUTF8(string(d), "?"), PBadDate)
	case rule == happened && d.Time().After(time.Now().Add(maxFutureTolerance)):
		r.add(col, string(d), PFutureDate)
	case rule == horizon:
		if limit := DateOf(time.Now()).AddYears(PlanHorizonYears); d > limit {
			r.add(col, string(d), PAbsurd, string(limit))
		}
	}
}

func (r *recordCheck) optID(col, v string) {
	if v != "" {
		r.id(col, v)
	}
}

func (r *recordCheck) name(col, v string, required bool) {
	switch {
	case v == "" && required:
		r.add(col, v, PRequired)
	case utf8.RuneCountInString(v) > MaxNameLen:
		r.add(col, v, PTooLong, strconv.Itoa(MaxNameLen))
	}
}

func (r *recordCheck) text(col, v string) {
	if utf8.RuneCountInString(v) > MaxTextLen {
		r.add(col, v, PTooLong, strconv.Itoa(MaxTextLen))
	}
}

func (r *recordCheck) enum(col, v string, allowed []string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	if v == "" {
		r.add(col, v, PRequired)
		return
	}
	r.add(col, v, PBadEnum, strings.Join(allowed, ", "))
}

// optEnum is enum for an optional column: empty is allowed.
func (r *recordCheck) optEnum(col, v string, allowed []string) {
	if v != "" {
		r.enum(col, v, allowed)
	}
}

func (r *recordCheck) amount(col string, v, max float64) {
	switch {
	case v < 0:
		r.add(col, fmtFloat(v), PNegative)
	case v > max:
		r.add(col, fmtFloat(v), PAbsurd, fmtFloat(max))
	}
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Validate checks a region on its own; references are checked with the dataset.
func (x Region) Validate() error {
	var r recordCheck
	r.id("code", x.Code)
	r.name("name", x.Name, true)
	r.optID("parent_code", x.ParentCode)
	r.enum("kind", string(x.Kind), RegionKinds)
	if x.ParentCode != "" && x.ParentCode == x.Code {
		r.add("parent_code", x.ParentCode, PSelfRef)
	}
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a region-group membership on its own.
func (x RegionGroupMember) Validate() error {
	var r recordCheck
	r.id("group_code", x.GroupCode)
	r.name("group_name", x.GroupName, true)
	r.id("region_code", x.RegionCode)
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a cluster on its own.
func (x Cluster) Validate() error {
	var r recordCheck
	r.id("id", x.ID)
	r.name("name", x.Name, true)
	r.name("name_en", x.NameEN, false)
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a chain on its own.
func (x Chain) Validate() error {
	var r recordCheck
	r.id("id", x.ID)
	r.name("name", x.Name, true)
	r.name("name_en", x.NameEN, false)
	r.id("cluster_id", x.ClusterID)
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a link on its own.
func (x Link) Validate() error {
	var r recordCheck
	r.id("id", x.ID)
	r.id("chain_id", x.ChainID)
	r.name("name", x.Name, true)
	r.name("name_en", x.NameEN, false)
	r.enum("tier", string(x.Tier), Tiers)
	r.optEnum("role", string(x.Role), Roles)
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a link feed on its own.
func (x Feed) Validate() error {
	var r recordCheck
	r.id("from_link_id", x.From)
	r.id("to_link_id", x.To)
	if x.From != "" && x.From == x.To {
		r.add("to_link_id", x.To, PSelfRef)
	}
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a company on its own, including the check character of an
// 18-character 统一社会信用代码.
func (x Company) Validate() error {
	var r recordCheck
	r.id("id", x.ID)
	if IsUSCCLength(x.ID) {
		if ok, code, args := CheckUSCC(x.ID); !ok {
			r.add("id", x.ID, code, args...)
		}
	}
	r.name("name", x.Name, true)
	r.id("region_code", x.RegionCode)
	r.amount("revenue_wan", x.RevenueWan, MaxRevenueWan)
	switch {
	case x.Employees < 0:
		r.add("employees", strconv.Itoa(x.Employees), PNegative)
	case x.Employees > MaxEmployees:
		r.add("employees", strconv.Itoa(x.Employees), PAbsurd, strconv.Itoa(MaxEmployees))
	}
	r.date("founded_on", x.FoundedOn, happened)
	for _, t := range x.Tags {
		if _, ok := ParseTag(string(t)); !ok {
			r.add("tags", string(t), PBadTag, string(t), TagNames("、"))
		}
	}
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a company-link record on its own.
func (x CompanyLink) Validate() error {
	var r recordCheck
	r.id("company_id", x.CompanyID)
	r.id("link_id", x.LinkID)
	r.text("products", x.Products)
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a leader record on its own.
func (x Leader) Validate() error {
	var r recordCheck
	r.id("company_id", x.CompanyID)
	r.id("chain_id", x.ChainID)
	r.text("provenance", x.Provenance)
	return r.err()
}

// Validate checks a supply tie on its own.
func (x Supply) Validate() error {
	var r recordCheck
	r.id("supplier_id", x.SupplierID)
	r.id("customer_id", x.CustomerID)
	if x.SupplierID != "" && x.SupplierID == x.CustomerID {
		r.add("customer_id", x.CustomerID, PSelfRef)
	}
	r.optID("link_id", x.LinkID)
	r.name("product", x.Product, false)
	r.amount("amount_wan", x.AmountWan, MaxAmountWan)
	r.enum("evidence", string(x.Evidence), Evidences)
	if x.Confidence < 0 || x.Confidence > 1 || x.Confidence != x.Confidence {
		r.add("confidence", fmtFloat(x.Confidence), PRange01)
	}
	r.date("since", x.Since, horizon)
	r.date("until", x.Until, horizon)
	if x.Since.Valid() && x.Until.Valid() && x.Since != "" && x.Until != "" && x.Until < x.Since {
		r.add("until", string(x.Until), PDateOrder, "since", string(x.Since))
	}
	r.text("provenance", x.Provenance)
	return r.err()
}

// stageDates lists a project's stage dates in lifecycle order with their columns.
func (x Project) stageDates() [4]struct {
	col  string
	date Date
} {
	return [4]struct {
		col  string
		date Date
	}{{"signed_on", x.SignedOn}, {"started_on", x.StartedOn}, {"producing_on", x.ProducingOn}, {"at_capacity_on", x.AtCapacityOn}}
}

// StageRank returns how many stage dates stage s implies (negotiating 0 … at_capacity
// 4) and -1 for dropped, whose dates may stop anywhere.
func StageRank(s Stage) int {
	switch s {
	case Negotiating:
		return 0
	case Signed:
		return 1
	case Started:
		return 2
	case Producing:
		return 3
	case AtCapacity:
		return 4
	}
	return -1
}

// Validate checks a project on its own: the stage must agree with the stage dates
// (every stage reached has its date, none beyond it) and the dates must not go back.
func (x Project) Validate() error {
	var r recordCheck
	r.id("id", x.ID)
	r.name("name", x.Name, true)
	r.optID("company_id", x.CompanyID)
	r.optID("link_id", x.LinkID)
	r.id("region_code", x.RegionCode)
	r.optID("source_region_code", x.SourceRegionCode)
	switch {
	case x.InvestmentWan < 0:
		r.add("investment_yi", FormatYi(x.InvestmentWan), PNegative)
	case x.InvestmentWan > MaxInvestmentWan:
		r.add("investment_yi", FormatYi(x.InvestmentWan), PAbsurd, FormatYi(MaxInvestmentWan))
	}
	r.enum("stage", string(x.Stage), Stages)
	dates := x.stageDates()
	if rank := StageRank(x.Stage); rank >= 0 {
		for i, d := range dates {
			if i < rank && d.date == "" {
				r.add(d.col, "", PStageDate, string(x.Stage))
			}
			if i >= rank && d.date != "" {
				r.add(d.col, string(d.date), PStageDateExtra, string(x.Stage))
			}
		}
	} else if x.Stage == Dropped {
		gap := ""
		for _, d := range dates {
			if d.date == "" && gap == "" {
				gap = d.col
			} else if d.date != "" && gap != "" {
				r.add(gap, "", PStageDate, string(x.Stage))
				break
			}
		}
	}
	// Stage dates record what happened; a signed_on of 9999-12-31 is not a signing.
	for _, d := range dates {
		r.date(d.col, d.date, happened)
	}
	r.date("planned_start_on", x.PlannedStartOn, horizon)
	r.date("planned_producing_on", x.PlannedProduceOn, horizon)
	var prev struct {
		col  string
		date Date
	}
	for _, d := range dates {
		if d.date == "" || !d.date.Valid() {
			continue
		}
		if prev.date != "" && d.date < prev.date {
			r.add(d.col, string(d.date), PDateOrder, prev.col, string(prev.date))
		}
		prev = d
	}
	if x.PlannedStartOn != "" && x.PlannedProduceOn != "" && x.PlannedProduceOn < x.PlannedStartOn {
		r.add("planned_producing_on", string(x.PlannedProduceOn), PDateOrder, "planned_start_on", string(x.PlannedStartOn))
	}
	r.text("provenance", x.Provenance)
	return r.err()
}

// FormatYi renders an amount in 万元 as 亿元 with up to four decimals and no
// trailing zeros, e.g. 125000 → "12.5".
func FormatYi(wan int64) string {
	neg := wan < 0
	if neg {
		wan = -wan
	}
	s := strconv.FormatInt(wan/10000, 10)
	if frac := wan % 10000; frac != 0 {
		f := strings.TrimRight(strconv.FormatInt(10000+frac, 10)[1:], "0")
		s += "." + f
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseYi reads an amount in 亿元 into exact 万元: a number as ParseNumber reads it,
// with at most four decimals. Float noise from a spreadsheet cell (3.3000000000000003,
// what 3.3 becomes in binary) is rounded to the 万元 it stands for; a value that
// really has a fifth decimal (1.23456) is refused, as it cannot be stored exactly.
func ParseYi(s string) (int64, bool) {
	n, ok := numberText(strings.TrimSpace(s))
	if !ok {
		return 0, false
	}
	neg := strings.HasPrefix(n, "-")
	n = strings.TrimLeft(n, "+-")
	whole, frac, _ := strings.Cut(n, ".")
	frac = strings.TrimRight(frac, "0")
	if !strings.ContainsAny(n, "eE") && len(frac) <= 4 && len(whole) <= 12 {
		w, _ := strconv.ParseInt("0"+whole, 10, 64)
		f, _ := strconv.ParseInt((frac + "0000")[:4], 10, 64)
		v := w*10000 + f
		if neg {
			v = -v
		}
		return v, true
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || f >= 1e12 {
		return 0, false
	}
	wan := math.Round(f * 10000)
	// Noise: the two agree to 15 significant digits, all a float64 is sure of.
	if strconv.FormatFloat(f, 'g', 15, 64) != strconv.FormatFloat(wan/10000, 'g', 15, 64) {
		return 0, false
	}
	if neg {
		wan = -wan
	}
	return int64(wan), true
}

// ParseNumber reads a decimal number as officials type it and spreadsheets store
// it: an optional sign, digits, a decimal point and an exponent (1.5, -3, 1.2E-4),
// and thousands separators only in whole groups of three (1,234,567.5). It refuses
// what strconv would read as something other than what was meant — a decimal comma
// (1,5 is not 15), other groupings (1,2,3,4), underscores (1_000), hexadecimal
// (0x1p4), Inf and NaN — and numbers too large for a float64.
func ParseNumber(s string) (float64, bool) {
	n, ok := numberText(strings.TrimSpace(s))
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// numberText checks s against ParseNumber's grammar and returns it without its
// thousands separators.
func numberText(s string) (string, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start, grouped := i, false
	for i < len(s) && (isDigit(s[i]) || s[i] == ',') {
		i++
	}
	whole := s[start:i]
	if strings.Contains(whole, ",") {
		// 1,234,567: one to three digits, then groups of exactly three.
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return "", false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return "", false
			}
		}
		grouped = true
	}
	digits := len(whole)
	if i < len(s) && s[i] == '.' {
		i++
		f := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		digits += i - f
		if i == f {
			return "", false // "5." is a typing slip, not a number
		}
	}
	if digits == 0 {
		return "", false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') && !grouped {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == e || i-e > 3 {
			return "", false
		}
	}
	if i != len(s) {
		return "", false
	}
	return strings.ReplaceAll(s, ",", ""), true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
