#include "core/graph.h"

#include <algorithm>
#include <bit>
#include <boost/graph/strong_components.hpp>
#include <string_view>

#include "core/graph_builder.h"

namespace blastmap::core {
namespace {

void OrRow(uint64_t* into, const uint64_t* from, size_t words) {
  for (size_t w = 0; w < words; ++w) into[w] |= from[w];
}

// The position of `category` among the members of `set` (which holds it), ascending.
uint32_t RankIn(CategoryList set, int category) {
  return static_cast<uint32_t>(std::lower_bound(set.begin(), set.end(), category) - set.begin());
}

// Numbers distinct rows of `width` words as first met, keeping the distinct rows in `values`: an
// open-addressing table of row numbers + 1 (0: empty), at most half full.
class RowInterner {
 public:
  RowInterner(size_t width, std::vector<uint64_t>& values) : width_(width), values_(values) {
    values_.clear();
  }
  uint32_t Intern(const uint64_t* row) {
    uint32_t& slot = Place(row);
    if (slot) return slot - 1;
    values_.insert(values_.end(), row, row + width_);
    slot = ++distinct_;
    if (size_t{distinct_} * 2 > slots_.size()) {  // grow, placing every distinct row again
      slots_.assign(slots_.size() * 2, 0);
      for (uint32_t k = 0; k < distinct_; ++k) Place(values_.data() + size_t{k} * width_) = k + 1;
    }
    return distinct_ - 1;
  }

 private:
  // The slot of `row`: its number + 1, or the empty slot where it goes.
  uint32_t& Place(const uint64_t* row) {
    uint64_t h = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < width_; ++i) {
      h = (h ^ row[i]) * 0xff51afd7ed558ccdu;
      h ^= h >> 32;
    }
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const uint32_t k = slots_[i];
      if (!k || std::equal(row, row + width_, values_.data() + size_t{k - 1} * width_)) return slots_[i];
    }
  }
  size_t width_;
  std::vector<uint64_t>& values_;
  std::vector<uint32_t> slots_ = std::vector<uint32_t>(size_t{1} << 12, 0);
  uint32_t distinct_ = 0;
};

}  // namespace

bool CategorySetView::Empty() const {
  for (uint64_t w : words_) {
    if (w) return false;
  }
  return true;
}

std::vector<int> CategorySetView::Indices() const {
  std::vector<int> out;
  for (size_t w = 0; w < words_.size(); ++w) {
    for (uint64_t bits = words_[w]; bits; bits &= bits - 1) {
      out.push_back(static_cast<int>(w * 64 + std::countr_zero(bits)));
    }
  }
  return out;
}

int64_t Graph::Find(std::string_view id) const {
  return index_.Find(id, [this](uint32_t v) { return IdOf(v); });
}

Status Graph::TooManyAccesses(size_t accesses) {
  return Status::Error("the map has " + std::to_string(accesses) + " access edges, more than the " +
                       std::to_string(kMaxAccesses) + " a graph can index");
}

Status Graph::TooManyFlows(size_t flows) {
  return Status::Error("the map has " + std::to_string(flows) + " flows, more than the " +
                       std::to_string(kMaxFlows) + " a graph can index");
}

Result<Graph> Graph::Build(Model model) {
  if (model.accesses.size() > kMaxAccesses) return TooManyAccesses(model.accesses.size());
  if (model.flows.size() > kMaxFlows) return TooManyFlows(model.flows.size());
  GraphBuilder b(std::move(model));
  if (auto s = b.Begin(); !s.ok()) return s;
  const Model& m = b.model();
  using Table = GraphBuilder::Table;
  auto fault = [&](Table table) {
    const GraphBuilder::Fault& f = *b.fault(table);
    const Provenance& where = table == Table::kHolding ? m.holdings[f.pos].where
                              : table == Table::kFlow  ? m.flows[f.pos].where
                                                       : m.accesses[f.pos].where;
    return Status::Error(where.ToString() + ": " + f.what);
  };
  std::vector<std::string_view> keys;  // one element's categories, reused
  auto keys_of = [&](const SymbolList& list) -> std::span<const std::string_view> {
    keys.assign(list.begin(), list.end());
    return keys;
  };
  size_t ids = 0;  // the rows' categories, for one allocation each
  for (const auto& h : m.holdings) ids += h.categories.size();
  b.ReserveHoldings(m.holdings.size(), ids);
  for (const auto& h : m.holdings) {
    if (!b.AddHolding(h.node, keys_of(h.categories), h.subjects, h.records)) return fault(Table::kHolding);
  }
  if (!b.EndHoldings()) return fault(Table::kHolding);
  ids = 0;
  for (const auto& f : m.flows) ids += f.categories.size();
  b.ReserveFlows(m.flows.size(), ids);
  for (const auto& f : m.flows) {
    if (!b.AddFlow(f.from, f.to, keys_of(f.categories), f.subjects, f.records, f.forwards_all))
      return fault(Table::kFlow);
  }
  if (!b.EndFlows()) return fault(Table::kFlow);
  b.ReserveAccesses(m.accesses.size());
  for (const auto& a : m.accesses) {
    if (!b.AddAccess(a.from, a.to, a.likelihood, a.privilege)) return fault(Table::kAccess);
  }
  if (!b.EndAccesses()) return fault(Table::kAccess);
  return b.Finish();
}

// The records of every (node, held category) pair: within a component of "*" flows the ancestors are the
// same, so one row per component, filled from its own sources and then from its predecessors, sources first.
Graph::Rows Graph::Group(uint32_t rows, std::span<const std::pair<uint32_t, uint32_t>> pairs) {
  Rows out;
  out.offsets.assign(size_t{rows} + 1, 0);
  for (const auto& [row, value] : pairs) ++out.offsets[row + 1];
  for (uint32_t r = 0; r < rows; ++r) out.offsets[r + 1] += out.offsets[r];
  out.ids.resize(pairs.size());
  std::vector<uint32_t> fill(out.offsets.begin(), out.offsets.end() - 1);
  for (const auto& [row, value] : pairs) out.ids[fill[row]++] = value;
  return out;
}

void Graph::ComputeHeldRecords(uint32_t components, const Rows& members, const Rows& preds,
                               std::span<const int64_t> holding_records,
                               std::span<const int64_t> flow_records) {
  const size_t sw = subject_words_ = (subject_names_.size() + 63) / 64;
  const size_t vw = value_words_ = 1 + sw;
  held_values_.assign(held_.Begin(node_count()), 0);
  RowInterner interner(vw, values_);
  // One component at a time, sources first: its values in full (value_words_ words per held category: the
  // records, then the subjects) from its members' own sources, then from its predecessors' (final, interned)
  // values, read at their first members; then interned, at the first member, and copied to the others.
  std::vector<uint64_t> row;
  for (uint32_t c = components; c-- > 0;) {
    const uint32_t first = Row(members, c).front();
    const CategoryList held = Held(first);
    const uint32_t begin = held_.Begin(first), count = static_cast<uint32_t>(held.size());
    row.assign(size_t{count} * vw, 0);
    for (size_t e = 0; e < count; ++e) row[e * vw] = static_cast<uint64_t>(kUnknownRecords);
    auto take = [&](int category, int64_t records, const uint64_t* subject_bits,
                    std::span<const uint32_t> subjects) {
      uint64_t* value = row.data() + size_t{RankIn(held, category)} * vw;
      value[0] = static_cast<uint64_t>(std::max(static_cast<int64_t>(value[0]), records));
      if (subject_bits) OrRow(value + 1, subject_bits, sw);
      for (uint32_t k : subjects) value[1 + (k >> 6)] |= uint64_t{1} << (k & 63);
    };
    for (uint32_t v : Row(members, c)) {
      for (uint32_t i : HoldingsOf(v)) {
        HoldingCategories(i).ForEach(
            [&](int category) { take(category, holding_records[i], nullptr, HoldingSubjects(i)); });
      }
      for (const InFlow& in : InFlows(v)) {
        const uint32_t i = in.flow();
        if (in.forwards_all()) continue;
        FlowCategories(i).ForEach(
            [&](int category) { take(category, flow_records[i], nullptr, FlowSubjects(i)); });
      }
    }
    for (uint32_t p : Row(preds, c)) {
      const uint32_t pred = Row(members, p).front();
      const uint32_t* from = held_values_.data() + held_.Begin(pred);
      Held(pred).ForEach([&](int category) {
        const uint64_t* value = values_.data() + size_t{*from++} * vw;
        take(category, static_cast<int64_t>(value[0]), value + 1, {});
      });
    }
    for (uint32_t e = 0; e < count; ++e)
      held_values_[begin + e] = interner.Intern(row.data() + size_t{e} * vw);
    for (uint32_t v : Row(members, c)) {
      if (v != first) std::copy_n(held_values_.begin() + begin, count, held_values_.begin() + held_.Begin(v));
    }
  }
}

static_assert(static_cast<int>(Privilege::kCode) < 4, "a privilege takes two bits of Graph::access_kinds_");

LikelihoodCost Graph::RareCost(uint32_t access) const {
  return std::lower_bound(rare_costs_.begin(), rare_costs_.end(), access,
                          [](const auto& rare, uint32_t a) { return rare.first < a; })
      ->second;
}

Status Graph::ComputeHeld(std::span<const int64_t> holding_records, std::span<const int64_t> flow_records) {
  const uint32_t n = node_count();
  std::vector<std::pair<uint32_t, uint32_t>> star;
  for (uint32_t i = 0; i < flow_count(); ++i) {
    if (FlowForwardsAll(i)) star.push_back(flow_ends_[i]);
  }
  using StarGraph =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, uint32_t, uint32_t>;
  std::vector<uint32_t> component(n);
  uint32_t components = 0;
  {
    StarGraph sg(boost::edges_are_unsorted_multi_pass, star.begin(), star.end(), n);
    components = boost::strong_components(
        sg, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, sg)));
  }
  // Within a component of "*" flows every node holds the same: one bitset per component, from its members'
  // stores and the explicit flows into them, then from its predecessors'. Tarjan numbers components sinks
  // first, so descending numbers visit sources before their targets.
  std::vector<uint64_t> comp_held(size_t{components} * words_, 0);
  for (uint32_t v = 0; v < n; ++v) Stored(v).OrInto(&comp_held[size_t{component[v]} * words_]);
  for (uint32_t i = 0; i < flow_count(); ++i) {
    if (!FlowForwardsAll(i))
      FlowCategories(i).OrInto(&comp_held[size_t{component[flow_ends_[i].second]} * words_]);
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs(n);  // (component, node), then (component, predecessor)
  for (uint32_t v = 0; v < n; ++v) pairs[v] = {component[v], v};
  Rows members = Group(components, pairs);
  pairs.clear();
  for (const auto& [u, x] : star) {
    if (component[u] != component[x]) pairs.emplace_back(component[x], component[u]);
  }
  Rows preds = Group(components, pairs);
  Free(star);
  Free(pairs);
  for (uint32_t c = components; c-- > 0;) {
    for (uint32_t p : Row(preds, c))
      OrRow(&comp_held[size_t{c} * words_], &comp_held[size_t{p} * words_], words_);
  }
  // Then each node's row, sparse.
  auto held_of = [&](uint32_t v) {
    return std::span<const uint64_t>(comp_held.data() + size_t{component[v]} * words_, words_);
  };
  size_t ids = 0;
  for (uint32_t v = 0; v < n; ++v) {
    for (uint64_t w : held_of(v)) ids += static_cast<size_t>(std::popcount(w));
  }
  held_.Reserve(n, ids);
  std::vector<int> row;
  for (uint32_t v = 0; v < n; ++v) {
    row.clear();
    ForEachBit(held_of(v), [&](int c) { row.push_back(c); });
    held_.Add(row);
  }
  Free(comp_held);
  Free(component);
  ComputeHeldRecords(components, members, preds, holding_records, flow_records);
  // What the build no longer needs is freed before the values are copied to their exact size: the copy is
  // the build's high-water mark.
  members = {};
  preds = {};
  values_.shrink_to_fit();
  sample_holders_.assign(model_.taxonomy.size(), {});
  size_t full = 0;  // categories with all their samples: the scan stops when every one has them
  for (uint32_t v = 0; v < n && full < sample_holders_.size(); ++v) {
    Held(v).ForEach([&](int c) {
      if (sample_holders_[c].size() < kSampleHolders) {
        sample_holders_[c].push_back(v);
        full += sample_holders_[c].size() == kSampleHolders;
      }
    });
  }
  ComputeBriefTables();
  return Status::Ok();
}

void Graph::ComputeBriefTables() {
  const Taxonomy& t = model_.taxonomy;
  const SeverityWeights& w = t.severity();
  sensitive_held_.clear();
  for (Sensitivity level : {Sensitivity::kRestricted, Sensitivity::kConfidential}) {
    for (int c = 0; c < static_cast<int>(t.size()); ++c) {
      if (t.at(c).sensitivity == level && !sample_holders_[c].empty()) sensitive_held_.push_back(c);
    }
  }
  // Each category's row has the positions of the sensitive ones related to it (Taxonomy::Related).
  sensitive_words_ = (sensitive_held_.size() + 63) / 64;
  related_sensitive_.assign(t.size() * sensitive_words_, 0);
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    for (size_t k = 0; k < sensitive_held_.size(); ++k) {
      if (t.Related(sensitive_held_[k], c))
        related_sensitive_[c * sensitive_words_ + k / 64] |= uint64_t{1} << (k % 64);
    }
  }
  category_weights_.resize(t.size());
  for (size_t c = 0; c < t.size(); ++c) {
    const Category& cat = t.at(static_cast<int>(c));
    category_weights_[c] = core::CategoryWeight(w, cat.sensitivity, FlagList(cat.flags));
  }
  default_jurisdiction_weight_ = core::DefaultJurisdictionWeight(w);
  jurisdiction_weights_.resize(jurisdiction_names_.size());
  for (size_t b = 0; b < jurisdiction_names_.size(); ++b)
    jurisdiction_weights_[b] =
        core::JurisdictionWeight(w, jurisdiction_names_[b].str(), default_jurisdiction_weight_);
}

}  // namespace blastmap::core

namespace blastmap::core {

namespace {

template <typename T>
size_t Bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

// A bidirectional CSR graph: row starts and targets each way, the edges' properties forward and the edge
// indices backward.
size_t CsrBytes(const Graph::Csr& g) {
  const size_t rows = num_vertices(g) + 1, edges = num_edges(g);
  return rows * 2 * sizeof(uint32_t) +
         edges * (2 * sizeof(uint32_t) + sizeof(Graph::EdgeRef) + sizeof(uint32_t));
}
// A one-way CSR graph: row starts, targets and the edges' properties.
size_t CsrBytes(const Graph::FlowCsr& g) {
  const size_t rows = num_vertices(g) + 1, edges = num_edges(g);
  return rows * sizeof(uint32_t) + edges * (sizeof(uint32_t) + sizeof(Graph::EdgeRef));
}

}  // namespace

std::vector<std::pair<std::string_view, size_t>> Graph::HeapParts() const {
  size_t samples = Bytes(sample_holders_);
  for (const auto& s : sample_holders_) samples += Bytes(s);
  return {
      {"index", index_.HeapBytes()},
      {"id_rank", Bytes(id_rank_)},
      {"flow_csr", CsrBytes(flows_) + Bytes(in_flow_offsets_) + Bytes(in_flows_)},
      {"access_csr", CsrBytes(access_)},
      {"edge_arrays", Bytes(flow_ends_) + Bytes(access_sources_) + Bytes(flow_forwards_all_) +
                          Bytes(access_kinds_) + Bytes(access_cost_values_) + Bytes(rare_costs_)},
      {"stored_held", stored_.HeapBytes() + held_.HeapBytes()},
      {"flow_categories", flow_categories_.HeapBytes()},
      {"holding_categories", holding_categories_.HeapBytes() + Bytes(holding_offsets_) + Bytes(holding_ids_)},
      {"held_values", Bytes(held_values_)},
      {"values", Bytes(values_)},
      {"subject_rows", Bytes(subject_names_) + Bytes(subject_lists_.offsets) + Bytes(subject_lists_.ids) +
                           Bytes(holding_subject_list_) + Bytes(flow_subject_list_) +
                           Bytes(jurisdiction_names_) + Bytes(subject_jurisdictions_)},
      {"sample_holders", samples},
  };
}

}  // namespace blastmap::core
