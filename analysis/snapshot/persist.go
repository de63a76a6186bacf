package snapshot

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// A persisted snapshot is the built snapshot written beside the store, so that a
// restart reads it in one sequential pass instead of rebuilding it from the store.
// It is tied to the store's data version: a file written for another version, of
// another format, truncated or corrupted (a CRC-64 of the whole content is checked
// before anything is used) is refused, and the caller rebuilds.
//
// Layout: magic, format version, the data version it was built for, then the small
// tables as one gob record, the companies and the ties in columns (strings through
// tables of distinct values), and the CRC-64 (ECMA) of everything before it. The
// indexes (CSR, adjacency, lookups, plants) are rebuilt on load: they are derived.

const (
	persistMagic   = "CHAINMAP-SNAPSHOT"
	persistVersion = uint32(1)
)

// ErrStale is returned by Load for a file built for another data version.
var ErrStale = errors.New("snapshot: the saved snapshot is for another data version")

// small holds the tables that are not big enough to need columns.
type small struct {
	AsOf         graph.Date
	Built        time.Time
	Regions      []graph.Region
	Groups       []Group
	Clusters     []graph.Cluster
	Chains       []graph.Chain
	Links        []graph.Link
	FeedsFrom    []int32
	FeedsTo      []int32
	ChainLeaders [][]int32
	Projects     []graph.Project
	LinkOwners   []int32 // company of each company-link pair
	LinkOf       []int32 // link of each pair
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// Save writes s to path, tied to dataVersion, atomically (a temporary file renamed
// into place).
func Save(s *Snapshot, path, dataVersion string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("snapshot: save: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := Write(tmp, s, dataVersion); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("snapshot: save: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("snapshot: save: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("snapshot: save: %w", err)
	}
	return nil
}

// LoadFile reads a snapshot saved at path for dataVersion.
func LoadFile(path, dataVersion string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("snapshot: load: %w", err)
	}
	defer f.Close()
	return Read(f, dataVersion)
}

// encoder writes little-endian values and feeds a CRC.
type encoder struct {
	w   *bufio.Writer
	crc uint64
	buf [binary.MaxVarintLen64]byte
	err error
}

func (e *encoder) bytes(b []byte) {
	if e.err != nil {
		return
	}
	e.crc = crc64.Update(e.crc, crcTable, b)
	_, e.err = e.w.Write(b)
}

func (e *encoder) uvarint(x uint64) { e.bytes(e.buf[:binary.PutUvarint(e.buf[:], x)]) }
func (e *encoder) u32(x uint32) {
	binary.LittleEndian.PutUint32(e.buf[:4], x)
	e.bytes(e.buf[:4])
}
func (e *encoder) str(s string) { e.uvarint(uint64(len(s))); e.bytes([]byte(s)) }

// strs writes a table of distinct strings and returns each one's index.
func (e *encoder) strs(values []string) map[string]uint32 {
	idx := map[string]uint32{}
	var list []string
	for _, v := range values {
		if _, ok := idx[v]; !ok {
			idx[v] = uint32(len(list))
			list = append(list, v)
		}
	}
	e.uvarint(uint64(len(list)))
	for _, v := range list {
		e.str(v)
	}
	return idx
}

// Write writes s in the persisted form, tied to dataVersion.
func Write(w io.Writer, s *Snapshot, dataVersion string) error {
	e := &encoder{w: bufio.NewWriterSize(w, 1<<20)}
	e.str(persistMagic)
	e.u32(persistVersion)
	e.str(dataVersion)
	sm := small{AsOf: s.AsOf, Built: s.Built, Regions: s.Regions, Groups: s.Groups, Clusters: s.Clusters,
		Chains: s.Chains, Links: s.Links, ChainLeaders: s.ChainLeaders, Projects: s.Projects}
	for a, outs := range s.FeedsOut {
		for _, c := range outs {
			sm.FeedsFrom, sm.FeedsTo = append(sm.FeedsFrom, int32(a)), append(sm.FeedsTo, c)
		}
	}
	for c, ls := range s.CompanyLinks {
		for _, l := range ls {
			sm.LinkOwners, sm.LinkOf = append(sm.LinkOwners, int32(c)), append(sm.LinkOf, l)
		}
	}
	var g bytes.Buffer
	if err := gob.NewEncoder(&g).Encode(&sm); err != nil {
		return fmt.Errorf("snapshot: save: %w", err)
	}
	e.uvarint(uint64(g.Len()))
	e.bytes(g.Bytes())

	// Companies in columns; dates and provenance through string tables.
	n := len(s.Companies)
	e.uvarint(uint64(n))
	col := make([]string, n)
	for i := range s.Companies {
		col[i] = string(s.Companies[i].FoundedOn)
	}
	founded := e.strs(col)
	for i := range s.Companies {
		col[i] = s.Companies[i].Provenance
	}
	prov := e.strs(col)
	for i := range s.Companies {
		c := &s.Companies[i]
		e.str(c.ID)
		e.str(c.Name)
		e.u32(uint32(c.Region))
		e.bytes(binary.LittleEndian.AppendUint64(e.buf[:0:8], math.Float64bits(c.RevenueWan)))
		e.u32(uint32(c.Employees))
		e.u32(founded[string(c.FoundedOn)])
		e.uvarint(uint64(c.Tags))
		e.u32(prov[c.Provenance])
	}

	// Ties in columns.
	m := len(s.Ties)
	e.uvarint(uint64(m))
	var dates, evs []string
	for i := range s.Ties {
		t := &s.Ties[i]
		dates = append(dates, string(t.Since), string(t.Until))
		evs = append(evs, string(t.Evidence))
	}
	dateIdx, evIdx := e.strs(dates), e.strs(evs)
	row := make([]byte, 0, 28)
	for i := range s.Ties {
		t := &s.Ties[i]
		row = row[:0]
		row = binary.LittleEndian.AppendUint32(row, uint32(t.Supplier))
		row = binary.LittleEndian.AppendUint32(row, uint32(t.Customer))
		row = binary.LittleEndian.AppendUint32(row, uint32(t.Link))
		row = binary.LittleEndian.AppendUint32(row, math.Float32bits(t.AmountWan))
		row = binary.LittleEndian.AppendUint32(row, math.Float32bits(t.Confidence))
		row = binary.LittleEndian.AppendUint32(row, evIdx[string(t.Evidence)])
		row = binary.LittleEndian.AppendUint32(row, dateIdx[string(t.Since)])
		row = binary.LittleEndian.AppendUint32(row, dateIdx[string(t.Until)])
		e.bytes(row)
	}
	sum := e.crc
	if e.err == nil {
		_, e.err = e.w.Write(binary.LittleEndian.AppendUint64(nil, sum))
	}
	if e.err == nil {
		e.err = e.w.Flush()
	}
	if e.err != nil {
		return fmt.Errorf("snapshot: save: %w", e.err)
	}
	return nil
}

// Read reads a persisted snapshot written for dataVersion. The whole content is
// read and its CRC checked before anything is decoded.
func Read(r io.Reader, dataVersion string) (*Snapshot, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("snapshot: load: %w", err)
	}
	if len(raw) < 8 {
		return nil, errors.New("snapshot: load: file too short")
	}
	body, tail := raw[:len(raw)-8], raw[len(raw)-8:]
	if crc64.Checksum(body, crcTable) != binary.LittleEndian.Uint64(tail) {
		return nil, errors.New("snapshot: load: checksum mismatch (truncated or corrupted file)")
	}
	d := &decoder{b: body}
	if d.str() != persistMagic {
		return nil, errors.New("snapshot: load: not a chainmap snapshot")
	}
	if v := d.u32(); v != persistVersion {
		return nil, fmt.Errorf("snapshot: load: format version %d, want %d", v, persistVersion)
	}
	if v := d.str(); v != dataVersion {
		return nil, fmt.Errorf("%w (%q, the store is at %q)", ErrStale, v, dataVersion)
	}
	var sm small
	gl := d.uvarint()
	if d.err == nil && uint64(len(d.b)) >= gl {
		d.err = gob.NewDecoder(bytes.NewReader(d.b[:gl])).Decode(&sm)
		d.b = d.b[gl:]
	}
	s := &Snapshot{AsOf: sm.AsOf, Built: sm.Built, Regions: sm.Regions, Groups: sm.Groups, Clusters: sm.Clusters,
		Chains: sm.Chains, Links: sm.Links, ChainLeaders: sm.ChainLeaders, Projects: sm.Projects}
	n := int(d.uvarint())
	founded, prov := d.strs(), d.strs()
	if d.err == nil && n > len(d.b) {
		d.err = errors.New("company count beyond the file")
	}
	if d.err == nil {
		s.Companies = make([]Company, n)
	}
	ids := make([]string, 0, max(n, 0))
	for i := 0; i < n && d.err == nil; i++ {
		c := &s.Companies[i]
		c.ID, c.Name = d.str(), d.str()
		c.Region = int32(d.u32())
		c.RevenueWan = math.Float64frombits(d.u64())
		c.Employees = int32(d.u32())
		c.FoundedOn = graph.Date(d.pick(founded, d.u32()))
		c.Tags = TagSet(d.uvarint())
		c.Provenance = d.pick(prov, d.u32())
		ids = append(ids, c.ID)
	}
	m := int(d.uvarint())
	dates, evs := d.strs(), d.strs()
	if d.err == nil && m*32 > len(d.b) {
		d.err = errors.New("tie count beyond the file")
	}
	if d.err == nil {
		s.Ties = make([]Tie, m)
	}
	for i := 0; i < m && d.err == nil; i++ {
		t := &s.Ties[i]
		t.Supplier, t.Customer, t.Link = int32(d.u32()), int32(d.u32()), int32(d.u32())
		t.AmountWan, t.Confidence = math.Float32frombits(d.u32()), math.Float32frombits(d.u32())
		t.Evidence = graph.Evidence(d.pick(evs, d.u32()))
		t.Since, t.Until = graph.Date(d.pick(dates, d.u32())), graph.Date(d.pick(dates, d.u32()))
		if t.Supplier < 0 || int(t.Supplier) >= n || t.Customer < 0 || int(t.Customer) >= n ||
			t.Link < None || int(t.Link) >= len(s.Links) {
			d.err = fmt.Errorf("tie %d refers outside the snapshot", i)
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%d bytes after the ties", len(d.b))
	}
	if d.err != nil {
		return nil, fmt.Errorf("snapshot: load: %w", d.err)
	}
	if err := s.rebuild(sm, ids); err != nil {
		return nil, fmt.Errorf("snapshot: load: %w", err)
	}
	return s, nil
}

// rebuild derives the indexes of a read snapshot.
func (s *Snapshot) rebuild(sm small, ids []string) error {
	nr, nl, nc := len(s.Regions), len(s.Links), len(s.Companies)
	s.regionIdx, s.chainIdx, s.linkIdx = map[string]int32{}, map[string]int32{}, map[string]int32{}
	s.clusterIdx, s.companyIdx = map[string]int32{}, make(map[string]int32, nc)
	for i, x := range s.Regions {
		s.regionIdx[x.Code] = int32(i)
	}
	s.Parent = make([]int32, nr)
	for i, x := range s.Regions {
		s.Parent[i] = lookup(s.regionIdx, x.ParentCode)
	}
	for i, x := range s.Clusters {
		s.clusterIdx[x.ID] = int32(i)
	}
	s.ChainCluster = make([]int32, len(s.Chains))
	for i, x := range s.Chains {
		s.chainIdx[x.ID] = int32(i)
		s.ChainCluster[i] = lookup(s.clusterIdx, x.ClusterID)
	}
	s.ChainLinks = make([][]int32, len(s.Chains))
	s.LinkChain = make([]int32, nl)
	for i, x := range s.Links {
		s.linkIdx[x.ID] = int32(i)
		ch := lookup(s.chainIdx, x.ChainID)
		s.LinkChain[i] = ch
		if ch != None {
			s.ChainLinks[ch] = append(s.ChainLinks[ch], int32(i))
		}
	}
	s.FeedsOut, s.FeedsIn = make([][]int32, nl), make([][]int32, nl)
	for k := range sm.FeedsFrom {
		a, c := sm.FeedsFrom[k], sm.FeedsTo[k]
		if a < 0 || int(a) >= nl || c < 0 || int(c) >= nl {
			return errors.New("a feed refers outside the links")
		}
		s.FeedsOut[a] = append(s.FeedsOut[a], c)
		s.FeedsIn[c] = append(s.FeedsIn[c], a)
	}
	for i, id := range ids {
		s.companyIdx[id] = int32(i)
		if r := s.Companies[i].Region; r < None || int(r) >= nr {
			return fmt.Errorf("company %q has a region outside the snapshot", id)
		}
	}
	for k := range sm.LinkOwners {
		if c, l := sm.LinkOwners[k], sm.LinkOf[k]; c < 0 || int(c) >= nc || l < 0 || int(l) >= nl {
			return errors.New("a company link refers outside the snapshot")
		}
	}
	s.CompanyLinks = group(nc, sm.LinkOwners, sm.LinkOf)
	s.LinkCompanies = group(nl, sm.LinkOf, sm.LinkOwners)
	if len(s.ChainLeaders) != len(s.Chains) {
		s.ChainLeaders = make([][]int32, len(s.Chains))
	}
	for i := range s.Ties {
		s.latestTie = max(s.latestTie, s.Ties[i].Since)
	}
	b := builder{s: s, asOf: s.AsOf}
	b.finish()
	s.indexProjects()
	s.noteLatest()
	return nil
}

// decoder reads what encoder wrote, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.err = errors.New("unexpected end of data")
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	x, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errors.New("bad varint")
		return 0
	}
	d.b = d.b[k:]
	return x
}

func (d *decoder) u32() uint32 {
	if b := d.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if b := d.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errors.New("string beyond the data")
		return ""
	}
	return string(d.take(int(n)))
}

func (d *decoder) strs() []string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errors.New("string table beyond the data")
		return nil
	}
	out := make([]string, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		out = append(out, strings.Clone(d.str()))
	}
	return out
}

func (d *decoder) pick(table []string, i uint32) string {
	if int(i) >= len(table) {
		if d.err == nil {
			d.err = errors.New("string index beyond its table")
		}
		return ""
	}
	return table[i]
}

// Reseal recomputes the checksum of a persisted snapshot whose content was edited
// (for tests of the version checks).
func Reseal(b []byte) []byte {
	body := b[:len(b)-8]
	return binary.LittleEndian.AppendUint64(bytes.Clone(body), crc64.Checksum(body, crcTable))
}
