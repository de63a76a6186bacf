package diagnose

import (
	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// WhatIfResult compares the diagnosis before and after a hypothetical landing.
type WhatIfResult struct {
	Landing            Landing      `json:"landing"`
	Region             string       `json:"region"`
	ChainID            string       `json:"chain_id"`
	ChainName          string       `json:"chain_name"`
	CompletenessBefore float64      `json:"completeness_before"`
	CompletenessAfter  float64      `json:"completeness_after"`
	Changes            []LinkChange `json:"changes"`
	Before             ChainResult  `json:"before"`
	After              ChainResult  `json:"after"`
}

// LinkChange is a link whose status the landing changes.
type LinkChange struct {
	LinkID   string            `json:"link_id"`
	LinkName string            `json:"link_name"`
	From     Status            `json:"from"`
	To       Status            `json:"to"`
	Reasons  []analysis.Reason `json:"reasons"` // the after-verdict's reasons
}

// WhatIf diagnoses the chain of landing.Link in region before and after the landing:
// an existing company (or a new one when CompanyID is "") operating in the link from
// a plant in landing.District. An existing company counts as local from then on, so
// its current ties to local firms become local supply.
func WhatIf(s *snapshot.Snapshot, region string, landing Landing, p Params) (*WhatIfResult, error) {
	l := s.Link(landing.Link)
	if l == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "环节 %q 不存在 / link %q not found", landing.Link, landing.Link)
	}
	dist := s.Region(landing.District)
	if dist == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / district %q not found", landing.District, landing.District)
	}
	c := int32(snapshot.None)
	if landing.CompanyID != "" {
		if c = s.Company(landing.CompanyID); c == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "企业 %q 不存在 / company %q not found", landing.CompanyID, landing.CompanyID)
		}
	}
	chain := s.Chains[s.LinkChain[l]].ID
	before, err := diagnose(s, region, chain, p, nil)
	if err != nil {
		return nil, err
	}
	if r := s.Region(region); !s.Within(r)[dist] {
		return nil, graph.Errorf(graph.EINVALID, "%s 不在 %s 内 / district %s is not within region %s",
			landing.District, region, landing.District, region)
	}
	after, err := diagnose(s, region, chain, p, &overlay{company: c, link: l, district: dist})
	if err != nil {
		return nil, err
	}
	b, a := before.Chains[0], after.Chains[0]
	res := &WhatIfResult{Landing: landing, Region: before.Region, ChainID: b.ChainID, ChainName: b.ChainName,
		CompletenessBefore: b.Completeness, CompletenessAfter: a.Completeness, Changes: []LinkChange{}, Before: b, After: a}
	for i := range b.Links {
		if b.Links[i].Status != a.Links[i].Status {
			res.Changes = append(res.Changes, LinkChange{LinkID: a.Links[i].LinkID, LinkName: a.Links[i].LinkName,
				From: b.Links[i].Status, To: a.Links[i].Status, Reasons: a.Links[i].Reasons})
		}
	}
	return res, nil
}
