package zhenjiang

import (
	"math"
	"math/rand/v2"

	"github.com/chainmap/chainmap/graph"
)

// supplies adds synthetic supply ties along link feeds: every local firm buys the
// goods of each link feeding its own from local suppliers (with the feeding link's
// local share) or outside ones, local firms sell to outside customers, and outside
// firms trade among themselves (the network 以商引商 works through).
func (b *builder) supplies(r *rand.Rand) {
	seen := map[[3]string]bool{}
	// Local customers: the chain leaders and anchor firms buy from many suppliers, mostly outside,
	// which makes their outside suppliers 以商引商 targets. Some customers switched
	// supplier years ago, leaving an ended tie as history.
	for _, l := range b.links {
		for _, ci := range b.local[l.ID] {
			cust := b.ds.Companies[ci]
			for _, from := range b.feeders[l.ID] {
				n := 1 + r.IntN(3)
				if b.anchor[cust.ID] {
					n = 4 + r.IntN(4)
				}
				for range n {
					b.addTie(r, seen, b.chooseSupplier(r, from, ci), ci, from, false)
				}
				if r.Float64() < 0.2 {
					b.addTie(r, seen, b.chooseSupplier(r, from, ci), ci, from, true)
				}
			}
		}
	}
	// Local suppliers selling out of the city, always when no local customer exists.
	for _, l := range b.links {
		for _, si := range b.local[l.ID] {
			for _, to := range l.Feeds {
				if len(b.local[to]) > 0 && r.Float64() < 0.3 {
					continue
				}
				outs := b.outside[to]
				for range 1 + r.IntN(2) {
					b.addTie(r, seen, si, outs[r.IntN(len(outs))], l.ID, false)
				}
			}
		}
	}
	// Outside firms buying from outside firms.
	for _, l := range b.links {
		for _, ci := range b.outside[l.ID] {
			for _, from := range b.feeders[l.ID] {
				outs := b.outside[from]
				for range r.IntN(3) {
					b.addTie(r, seen, outs[r.IntN(len(outs))], ci, from, false)
				}
			}
		}
	}
}

// chooseSupplier picks a seller of link from's goods for customer ci: half the time
// the link's local anchor firm if it has one, else a local firm with the link's
// designed local share (at least 60% for an anchor's purchases), else an outside firm.
func (b *builder) chooseSupplier(r *rand.Rand, from string, ci int) int {
	locals := b.local[from]
	share := localShare[b.plan[from].Status]
	if b.anchor[b.ds.Companies[ci].ID] {
		share = max(share, 0.6) // an anchor's local suppliers grew up around it (配套)
	}
	// The link's anchor firm is the supplier local buyers turn to first.
	if a, ok := b.anchorOf(from); ok && a != ci && r.Float64() < 0.5 {
		return a
	}
	if len(locals) > 0 && r.Float64() < share {
		if si := locals[r.IntN(len(locals))]; si != ci {
			return si
		}
	}
	outs := b.outside[from]
	return outs[r.IntN(len(outs))]
}

// addTie appends one tie unless (supplier, customer, link) exists. History ties
// and about 10% of other observed ties ended years ago; inferred ties carry no dates.
func (b *builder) addTie(r *rand.Rand, seen map[[3]string]bool, si, ci int, link string, history bool) {
	s, c := b.ds.Companies[si], b.ds.Companies[ci]
	key := [3]string{s.ID, c.ID, link}
	if seen[key] || s.ID == c.ID {
		return
	}
	seen[key] = true
	base := c.RevenueWan
	if base == 0 { // real firms: revenue unknown, assume a large plant
		base = 100000
		if b.anchor[c.ID] {
			base = 500000
		}
	}
	t := graph.Supply{
		SupplierID: s.ID,
		CustomerID: c.ID,
		LinkID:     link,
		Product:    b.plan[link].Word,
		AmountWan:  math.Max(10, math.Round(base*(0.004+0.036*r.Float64()))),
		Provenance: synthetic,
	}
	// A tie starts a year after both firms exist, 2018 at the earliest; a young firm
	// has no old history.
	earliest := maxDate("2018-01-01", maxDate(addDays(s.FoundedOn, 365), addDays(c.FoundedOn, 365)))
	history = history && earliest < "2021-06-30"
	if history || r.Float64() < 0.65 {
		t.Evidence = graph.Observed
		t.Confidence = math.Round((0.85+0.15*r.Float64())*100) / 100
		last := graph.Date("2024-12-31")
		if history {
			last = "2021-12-31"
		}
		t.Since = randDate(r, earliest, last)
		if (history || r.Float64() < 0.1) && t.Since < "2022-01-01" {
			t.Until = randDate(r, addDays(t.Since, 180), "2023-12-31") // ended: history
		} else {
			t.Until = randDate(r, "2025-03-31", "2025-10-31") // last seen recently
		}
	} else {
		t.Evidence = graph.Inferred
		t.Confidence = math.Round((0.35+0.4*r.Float64())*100) / 100
	}
	b.ds.Supplies = append(b.ds.Supplies, t)
}

// anchorOf returns a local anchor firm operating in link, if there is one (the first
// listed).
func (b *builder) anchorOf(link string) (int, bool) {
	for _, ci := range b.local[link] {
		if b.anchor[b.ds.Companies[ci].ID] {
			return ci, true
		}
	}
	return 0, false
}
