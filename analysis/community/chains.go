package community

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
)

// MinCommunitySize is the size from which CompareWithChains reports a community.
const MinCommunitySize = 10

// ChainShare is how many firms of a community operate in one declared chain.
type ChainShare struct {
	Chain    int32 // chain index
	ID, Name string
	Firms    int
	Share    float64 // Firms / community size
}

// ChainMix is the chain make-up of one community: which declared chains its firms
// operate in (any of their links belongs to the chain). A firm in several chains
// counts in each, so shares may sum to more than 1.
type ChainMix struct {
	Community int // index into Result.Communities
	Size      int
	// Chains are the chains the community's firms operate in, by firms (desc).
	Chains []ChainShare
	// CrossChainFirms operate in two or more chains; Unchained in none.
	CrossChainFirms, Unchained int
	// Dominant is the share of the largest chain (0 when no firm has a chain). A
	// community whose dominant share is well below 1 clusters firms across chains.
	Dominant float64
	// Spanned counts the chains holding at least 10% of the community's firms.
	Spanned int
}

// CompareWithChains reports, for each community of r with at least
// MinCommunitySize firms (largest first), which declared chains its firms operate in
// (via s.CompanyLinks and s.LinkChain) and in what share: whether the network's
// own clusters follow the declared chains or cut across them.
func CompareWithChains(s *snapshot.Snapshot, r *Result) []ChainMix {
	count := make([]int, len(s.Chains))
	var seen []int32
	var out []ChainMix
	for ci, members := range r.Communities {
		if len(members) < MinCommunitySize {
			break // sorted by size
		}
		m := ChainMix{Community: ci, Size: len(members)}
		var used []int32
		for _, f := range members {
			seen = seen[:0]
			for _, l := range s.CompanyLinks[f] {
				if ch := s.LinkChain[l]; ch != snapshot.None && !slices.Contains(seen, ch) {
					seen = append(seen, ch)
					if count[ch] == 0 {
						used = append(used, ch)
					}
					count[ch]++
				}
			}
			switch {
			case len(seen) == 0:
				m.Unchained++
			case len(seen) > 1:
				m.CrossChainFirms++
			}
		}
		for _, ch := range used {
			sh := ChainShare{Chain: ch, ID: s.Chains[ch].ID, Name: s.Chains[ch].Name, Firms: count[ch],
				Share: float64(count[ch]) / float64(len(members))}
			m.Chains = append(m.Chains, sh)
			if sh.Share >= 0.1 {
				m.Spanned++
			}
			count[ch] = 0
		}
		slices.SortFunc(m.Chains, func(a, b ChainShare) int {
			return cmp.Or(cmp.Compare(b.Firms, a.Firms), cmp.Compare(a.Chain, b.Chain))
		})
		if len(m.Chains) > 0 {
			m.Dominant = m.Chains[0].Share
		}
		out = append(out, m)
	}
	return out
}

// Report is a partition with its chain comparison: the CLI's tables and, as JSON
// (see Summary), what the CLI's --format json and the API return.
type Report struct {
	*Result
	Mixes []ChainMix
	s     *snapshot.Snapshot
	p     Params
}

// NewReport compares r, found with p, with the declared chains of s.
func NewReport(s *snapshot.Snapshot, r *Result, p Params) *Report {
	return &Report{Result: r, Mixes: CompareWithChains(s, r), s: s, p: p}
}

// MembersShown is how many members of each community a Summary names.
const MembersShown = 20

// Summary is the JSON form of a Report: ids and names, never snapshot indices.
type Summary struct {
	Method     string  `json:"method"`
	Resolution float64 `json:"resolution"`
	Seed       uint64  `json:"seed"`
	Modularity float64 `json:"modularity"`
	// Firms is how many firms were partitioned; Count how many communities (with
	// singletons); Items the communities of at least MinCommunitySize firms.
	Firms   int                `json:"firms"`
	Count   int                `json:"communities"`
	MinSize int                `json:"min_size"`
	Items   []CommunitySummary `json:"items"`
}

// CommunitySummary is one reported community.
type CommunitySummary struct {
	Rank            int          `json:"rank"` // 1 = largest
	Size            int          `json:"size"`
	DominantChainID string       `json:"dominant_chain_id,omitempty"`
	DominantShare   float64      `json:"dominant_share"`
	ChainsSpanned   int          `json:"chains_spanned"`
	CrossChainFirms int          `json:"cross_chain_firms"`
	UnchainedFirms  int          `json:"unchained_firms"`
	Chains          []ChainCount `json:"chains"`
	// Members names the MembersShown largest firms by revenue (then id).
	Members []Member          `json:"members"`
	Reasons []analysis.Reason `json:"reasons"`
}

// ChainCount is how many of a community's firms operate in a chain.
type ChainCount struct {
	ChainID   string  `json:"chain_id"`
	ChainName string  `json:"chain_name"`
	Firms     int     `json:"firms"`
	Share     float64 `json:"share"`
}

// Member names a firm of a community.
type Member struct {
	CompanyID  string  `json:"company_id"`
	Name       string  `json:"name"`
	RegionCode string  `json:"region_code,omitempty"`
	RevenueWan float64 `json:"revenue_wan,omitempty"`
}

// Summary returns the JSON form of the report.
func (r *Report) Summary() *Summary {
	s := r.s
	method := r.p.Method
	if method == "" {
		method = Leiden
	}
	out := &Summary{Method: method, Resolution: r.p.Resolution, Seed: r.p.Seed, Modularity: round4(r.Modularity),
		Firms: len(r.Membership), Count: len(r.Communities), MinSize: MinCommunitySize, Items: []CommunitySummary{}}
	if out.Resolution == 0 {
		out.Resolution = 1
	}
	for _, m := range r.Mixes {
		c := CommunitySummary{Rank: m.Community + 1, Size: m.Size, DominantShare: round4(m.Dominant), ChainsSpanned: m.Spanned,
			CrossChainFirms: m.CrossChainFirms, UnchainedFirms: m.Unchained, Chains: []ChainCount{}, Members: []Member{}}
		for _, x := range m.Chains {
			c.Chains = append(c.Chains, ChainCount{ChainID: x.ID, ChainName: x.Name, Firms: x.Firms, Share: round4(x.Share)})
		}
		members := slices.Clone(r.Communities[m.Community])
		slices.SortFunc(members, func(a, b int32) int {
			return cmp.Or(cmp.Compare(s.Companies[b].RevenueWan, s.Companies[a].RevenueWan), strings.Compare(s.Companies[a].ID, s.Companies[b].ID))
		})
		for _, f := range members[:min(MembersShown, len(members))] {
			co := &s.Companies[f]
			x := Member{CompanyID: co.ID, Name: co.Name, RevenueWan: co.RevenueWan}
			if co.Region != snapshot.None {
				x.RegionCode = s.Regions[co.Region].Code
			}
			c.Members = append(c.Members, x)
		}
		if len(m.Chains) > 0 {
			top := m.Chains[0]
			c.DominantChainID = top.ID
			r := analysis.Because("chain_mix", "该社区 %[1]d 家企业，%.0[2]f%% 从事%[3]s，涉及 %[4]d 条产业链（各占一成以上），跨链企业 %[5]d 家",
				"%[1]d firms, %.0[2]f%% of them in %[3]s; %[4]d chains hold a tenth or more; %[5]d firms work in several chains",
				m.Size, 100*top.Share, top.Name, m.Spanned, m.CrossChainFirms).
				With("size", float64(m.Size)).With("dominant_share", round4(top.Share)).With("chains_spanned", float64(m.Spanned))
			c.Reasons = []analysis.Reason{r}
		} else {
			c.Reasons = []analysis.Reason{analysis.Because("unchained", "该社区 %d 家企业均不在已声明的产业链上",
				"none of the %d firms operates in a declared chain", m.Size).With("size", float64(m.Size))}
		}
		out.Items = append(out.Items, c)
	}
	return out
}

// MarshalJSON writes the report as its Summary.
func (r *Report) MarshalJSON() ([]byte, error) { return json.Marshal(r.Summary()) }

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Table renders one row per reported community.
func (r *Report) Table() (headers []string, rows [][]string) { return r.TableIn(analysis.ZH) }

// TableIn renders one row per reported community in language l.
func (r *Report) TableIn(l analysis.Lang) (headers []string, rows [][]string) {
	headers = []string{l.Head("社区", "community"), l.Head("企业数", "firms"), l.Head("主导链占比", "dominant share"),
		l.Head("跨链数(≥10%)", "chains spanned"), l.Head("跨链企业", "cross-chain firms"), l.Head("无链企业", "unchained firms"),
		l.Head("产业链构成", "chain mix")}
	for _, m := range r.Mixes {
		var mix []string
		for _, c := range m.Chains {
			name := c.Name
			if l == analysis.EN && r.s != nil && r.s.Chains[c.Chain].NameEN != "" {
				name = r.s.Chains[c.Chain].NameEN
			}
			mix = append(mix, name+" "+strconv.FormatFloat(100*c.Share, 'f', 1, 64)+"%")
		}
		rows = append(rows, []string{strconv.Itoa(m.Community + 1), strconv.Itoa(m.Size),
			strconv.FormatFloat(m.Dominant, 'f', 3, 64), strconv.Itoa(m.Spanned), strconv.Itoa(m.CrossChainFirms),
			strconv.Itoa(m.Unchained), strings.Join(mix, l.Pick("；", "; "))})
	}
	return headers, rows
}
