package community

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

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

// Report is a partition with its chain comparison, for the CLI's table and xlsx
// formats.
type Report struct {
	*Result
	Mixes []ChainMix
}

// NewReport compares r with the declared chains of s.
func NewReport(s *snapshot.Snapshot, r *Result) *Report {
	return &Report{Result: r, Mixes: CompareWithChains(s, r)}
}

// Table renders one row per reported community.
func (r *Report) Table() (headers []string, rows [][]string) {
	headers = []string{"社区 community", "企业数 firms", "主导链占比 dominant share", "跨链数(≥10%) chains spanned",
		"跨链企业 cross-chain firms", "无链企业 unchained firms", "产业链构成 chain mix"}
	for _, m := range r.Mixes {
		var mix []string
		for _, c := range m.Chains {
			mix = append(mix, c.Name+" "+strconv.FormatFloat(100*c.Share, 'f', 1, 64)+"%")
		}
		rows = append(rows, []string{strconv.Itoa(m.Community + 1), strconv.Itoa(m.Size),
			strconv.FormatFloat(m.Dominant, 'f', 3, 64), strconv.Itoa(m.Spanned), strconv.Itoa(m.CrossChainFirms),
			strconv.Itoa(m.Unchained), strings.Join(mix, "；")})
	}
	return headers, rows
}
