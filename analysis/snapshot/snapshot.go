// Package snapshot builds the immutable, compact, index-based view of a whole
// ecosystem that every analysis reads. Records are referred to by dense int32
// indices; supply ties are held in compressed sparse rows in both directions, so a
// million companies and ten million ties fit in a few hundred MB and every
// neighbourhood is a slice. The supply network implements gonum's graph.Directed
// (nodes are company indices), so gonum algorithms run on it without copying.
package snapshot

import (
	"time"

	"github.com/chainmap/chainmap/graph"
)

// None marks an absent index (no parent region, no link).
const None = -1

// Snapshot is an immutable view of an ecosystem. Its exported slices are indexed by
// the record's index and must not be modified.
type Snapshot struct {
	// AsOf is the date ties are judged current against: the latest date a supply tie
	// mentions (since or until), or the build day if none. Project dates do not move
	// it: signing a project today says nothing about which ties are current.
	AsOf graph.Date
	// Built is when the snapshot was made, for reporting its age.
	Built time.Time

	Regions  []graph.Region
	Parent   []int32 // region → parent region index, or None
	Groups   []Group
	Clusters []graph.Cluster
	Chains   []graph.Chain
	// ChainCluster maps a chain to its cluster index.
	ChainCluster []int32
	// ChainLinks lists each chain's link indices, in id order.
	ChainLinks [][]int32
	Links      []graph.Link
	LinkChain  []int32
	// FeedsOut and FeedsIn are the link feeds (all chains) by link index.
	FeedsOut, FeedsIn [][]int32

	Companies []Company
	// CompanyLinks and LinkCompanies list operations in both directions, sorted.
	CompanyLinks, LinkCompanies [][]int32
	// ChainLeaders lists each chain's declared leaders (链主).
	ChainLeaders [][]int32

	// Supply ties in CSR form: the ties of supplier u are Ties[OutStart[u]:OutStart[u+1]],
	// sorted by customer. InStart/InTie index the same ties by customer.
	OutStart []int64
	Ties     []Tie
	InStart  []int64
	InTie    []int32 // tie indices, grouped by customer

	// Distinct neighbours (a pair tied in several links counts once), for the graph
	// interfaces and link prediction.
	outAdjStart, inAdjStart []int64
	outAdj, inAdj           []int32

	Projects []graph.Project
	// Plants are the local presence projects give (see Plant), derived from Projects.
	Plants []Plant

	linkPlants      [][]int32         // link → plant indices
	companyProjects map[int32][]int32 // company → project indices
	// The latest date of a tie's first observation, a company's founding, a project
	// stage, and of all three: At an earlier day filters what is dated after it.
	latestTie, latestFounded, latestProject, latest graph.Date

	activeFrom                                           graph.Date // AsOf minus ActiveWindowDays
	regionIdx, chainIdx, linkIdx, companyIdx, clusterIdx map[string]int32
}

// Company is the compact form of a company.
type Company struct {
	ID         string
	Name       string
	Region     int32
	RevenueWan float64
	Employees  int32
	FoundedOn  graph.Date
	Tags       TagSet
	Provenance string
}

// Tie is a supply tie from Supplier to Customer (company indices) for Link (or None).
type Tie struct {
	Supplier, Customer int32
	Link               int32
	AmountWan          float32 // 0 = unknown
	Confidence         float32
	Evidence           graph.Evidence
	Since, Until       graph.Date
}

// Group is a region group with its member region indices.
type Group struct {
	Code, Name string
	Members    []int32
}

// TagSet is a set of vocabulary tags as a bit mask (bit i = graph.TagVocabulary[i]).
type TagSet uint16

// Has reports whether the set contains t.
func (s TagSet) Has(t graph.Tag) bool {
	for i, v := range graph.TagVocabulary {
		if v.Tag == t {
			return s&(1<<i) != 0
		}
	}
	return false
}

// Tags returns the tags in vocabulary order.
func (s TagSet) Tags() []graph.Tag {
	var out []graph.Tag
	for i, v := range graph.TagVocabulary {
		if s&(1<<i) != 0 {
			out = append(out, v.Tag)
		}
	}
	return out
}

func tagSet(tags []graph.Tag) TagSet {
	var s TagSet
	for _, t := range tags {
		for i, v := range graph.TagVocabulary {
			if v.Tag == t {
				s |= 1 << i
			}
		}
	}
	return s
}

// Region returns the index of the region with code, or None.
func (s *Snapshot) Region(code string) int32 { return lookup(s.regionIdx, code) }

// Chain returns the index of the chain with id, or None.
func (s *Snapshot) Chain(id string) int32 { return lookup(s.chainIdx, id) }

// Link returns the index of the link with id, or None.
func (s *Snapshot) Link(id string) int32 { return lookup(s.linkIdx, id) }

// Company returns the index of the company with id, or None.
func (s *Snapshot) Company(id string) int32 { return lookup(s.companyIdx, id) }

// Cluster returns the index of the cluster with id, or None.
func (s *Snapshot) Cluster(id string) int32 { return lookup(s.clusterIdx, id) }

func lookup(m map[string]int32, k string) int32 {
	if i, ok := m[k]; ok {
		return i
	}
	return None
}

// Within returns, for every region, whether it is r or lies below r: "local to r".
func (s *Snapshot) Within(r int32) []bool {
	in := make([]bool, len(s.Regions))
	for i := range s.Regions {
		// Walk up; hierarchies are a few levels deep and validated acyclic.
		for p := int32(i); p != None; p = s.Parent[p] {
			if p == r {
				in[i] = true
				break
			}
		}
	}
	return in
}

// Province returns the top-most ancestor of region r (r itself if it has no parent).
func (s *Snapshot) Province(r int32) int32 {
	for s.Parent[r] != None {
		r = s.Parent[r]
	}
	return r
}

// Out returns the ties supplier u sells on.
func (s *Snapshot) Out(u int32) []Tie { return s.Ties[s.OutStart[u]:s.OutStart[u+1]] }

// In returns the indices (into Ties) of the ties customer v buys on.
func (s *Snapshot) In(v int32) []int32 { return s.InTie[s.InStart[v]:s.InStart[v+1]] }

// Suppliers returns the distinct suppliers of v, sorted.
func (s *Snapshot) Suppliers(v int32) []int32 { return s.inAdj[s.inAdjStart[v]:s.inAdjStart[v+1]] }

// Customers returns the distinct customers of u, sorted.
func (s *Snapshot) Customers(u int32) []int32 { return s.outAdj[s.outAdjStart[u]:s.outAdjStart[u+1]] }

// ActiveWindowDays is how long after its last observation a tie still counts as
// current: supply relations are observed in yearly reports, so two years.
const ActiveWindowDays = 730

// Active reports whether a tie is current at the snapshot's AsOf date: it has no
// end date, or was last observed within ActiveWindowDays of AsOf. Ended ties are
// history: evidence for recommendations, not part of today's supply.
func (s *Snapshot) Active(t *Tie) bool { return t.Until == "" || t.Until >= s.activeFrom }
