#include "core/graph.h"

#include <algorithm>
#include <bit>
#include <boost/graph/strong_components.hpp>
#include <numeric>
#include <string_view>
#include <unordered_map>

namespace blastmap::core {
namespace {

void OrRow(uint64_t* into, const uint64_t* from, size_t words) {
  for (size_t w = 0; w < words; ++w) into[w] |= from[w];
}

// The position of `category` among the members of `set` (which holds it), ascending.
uint32_t RankIn(CategoryList set, int category) {
  return static_cast<uint32_t>(std::lower_bound(set.begin(), set.end(), category) - set.begin());
}

// The first 8 bytes of `id` as a big-endian number, zero-padded: a < b for the prefixes implies a < b for
// the ids (std::string compares bytes as unsigned char), equal prefixes say nothing.
uint64_t IdPrefix(std::string_view id) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i)
    prefix = prefix << 8 | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
  return prefix;
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

Status UnknownNode(const Provenance& where, std::string_view id) {
  return Status::Error(where.ToString() + ": unknown node '" + std::string(id) + "'");
}

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

template <typename IdAt, typename Out>
void Graph::FindNodes(size_t count, IdAt&& id_at, Out&& out) const {
  constexpr size_t kChunk = 256;
  std::string_view ids[kChunk];
  int64_t found[kChunk];
  for (size_t start = 0; start < count; start += kChunk) {
    const size_t k = std::min(kChunk, count - start);
    for (size_t i = 0; i < k; ++i) ids[i] = id_at(start + i);
    index_.FindMany(
        std::span(ids, k), std::span(found, k), [this](uint32_t v) { return IdOf(v); },
        [this](uint32_t v) { __builtin_prefetch(&model_.nodes[v].id); });
    for (size_t i = 0; i < k; ++i) out(start + i, found[i]);
  }
}

template <typename Edge>
Status Graph::EdgeEnds(const std::vector<Edge>& edges,
                       std::vector<std::pair<uint32_t, uint32_t>>& ends) const {
  ends.resize(edges.size());
  size_t unknown = SIZE_MAX;
  FindNodes(
      2 * edges.size(),
      [&](size_t j) -> const std::string& { return j & 1 ? edges[j / 2].to : edges[j / 2].from; },
      [&](size_t j, int64_t v) {
        if (v < 0) unknown = std::min(unknown, j);
        (j & 1 ? ends[j / 2].second : ends[j / 2].first) = static_cast<uint32_t>(v);
      });
  if (unknown == SIZE_MAX) return Status::Ok();
  const Edge& e = edges[unknown / 2];
  return UnknownNode(e.where, unknown & 1 ? e.to : e.from);
}

Result<Graph> Graph::Build(Model model) {
  Graph g;
  g.model_ = std::move(model);
  const Model& m = g.model_;
  const uint32_t n = g.node_count();
  if (m.accesses.size() > kMaxAccesses)
    return Status::Error("the map has " + std::to_string(m.accesses.size()) +
                         " access edges, more than the " + std::to_string(kMaxAccesses) +
                         " a graph can index");
  g.index_.Build(n, [&](uint32_t v) { return g.IdOf(v); });
  // Sorted by each id's first 8 bytes as a number (which orders as the ids do, or ties), the ids themselves
  // compared only on a tie: most comparisons then read no string.
  std::vector<std::pair<uint64_t, uint32_t>> by_id(n);
  for (uint32_t v = 0; v < n; ++v) by_id[v] = {IdPrefix(m.nodes[v].id), v};
  std::sort(by_id.begin(), by_id.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : m.nodes[a.second].id < m.nodes[b.second].id;
  });
  g.id_rank_.resize(n);
  for (uint32_t i = 0; i < n; ++i) g.id_rank_[by_id[i].second] = i;
  std::vector<std::pair<uint32_t, uint32_t>> access_ends;
  if (auto s = g.EdgeEnds(m.flows, g.flow_ends_); !s.ok()) return s;
  if (auto s = g.EdgeEnds(m.accesses, access_ends); !s.ok()) return s;
  auto make_csr = [n](const std::vector<std::pair<uint32_t, uint32_t>>& ends) {
    std::vector<EdgeRef> props(ends.size());
    for (uint32_t i = 0; i < ends.size(); ++i) props[i].index = i;
    return Csr(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(), n);
  };
  g.flows_ = make_csr(g.flow_ends_);
  g.flow_forwards_all_.reserve(m.flows.size());
  for (const auto& f : m.flows) g.flow_forwards_all_.push_back(f.forwards_all ? 1 : 0);
  g.access_ = make_csr(access_ends);
  g.access_sources_.reserve(access_ends.size());
  for (const auto& [from, to] : access_ends) g.access_sources_.push_back(from);
  g.access_kinds_.reserve(m.accesses.size());
  for (uint32_t i = 0; i < m.accesses.size(); ++i) {
    const LikelihoodCost cost = CostOf(m.accesses[i].likelihood);
    auto& values = g.access_cost_values_;
    uint32_t k = static_cast<uint32_t>(std::find(values.begin(), values.end(), cost) - values.begin());
    if (k == values.size() && k < kRareCost) values.push_back(cost);
    if (k >= kRareCost) {
      k = kRareCost;
      g.rare_costs_.emplace_back(i, cost);
    }
    g.access_kinds_.push_back(static_cast<uint8_t>(k << 2 | static_cast<uint32_t>(m.accesses[i].privilege)));
  }

  const Taxonomy& t = m.taxonomy;
  if (t.size() > size_t{CategoryRows::kMaxCategories})
    return Status::Error("the taxonomy has " + std::to_string(t.size()) + " categories, more than the " +
                         std::to_string(CategoryRows::kMaxCategories) + " a graph can index");
  g.words_ = std::max<size_t>(1, (t.size() + 63) / 64);
  std::vector<int> row;  // one element's categories, reused
  // The category indices of `keys` into `row`, or the first unknown key as an error.
  auto categories = [&](const SymbolList& keys, const Provenance& where) -> Status {
    row.clear();
    for (const auto& key : keys) {
      const int c = t.Index(key);
      if (c < 0) return Status::Error(where.ToString() + ": unknown category '" + key + "'");
      row.push_back(c);
    }
    return Status::Ok();
  };
  std::vector<uint32_t> holding_node(m.holdings.size());
  constexpr uint32_t kUnknown = UINT32_MAX;
  g.FindNodes(
      m.holdings.size(), [&](size_t i) -> const std::string& { return m.holdings[i].node; },
      [&](size_t i, int64_t v) { holding_node[i] = v < 0 ? kUnknown : static_cast<uint32_t>(v); });
  g.holding_offsets_.assign(size_t{n} + 1, 0);
  size_t holding_ids = 0;  // the rows' sizes, for one allocation each
  for (const auto& h : m.holdings) holding_ids += h.categories.size();
  g.holding_categories_.Reserve(m.holdings.size(), holding_ids);
  for (uint32_t i = 0; i < m.holdings.size(); ++i) {
    const auto& h = m.holdings[i];
    const uint32_t v = holding_node[i];
    if (v == kUnknown) return UnknownNode(h.where, h.node);
    ++g.holding_offsets_[v + 1];
    if (auto s = categories(h.categories, h.where); !s.ok()) return s;
    g.holding_categories_.Add(row);
  }
  for (uint32_t v = 0; v < n; ++v) g.holding_offsets_[v + 1] += g.holding_offsets_[v];
  g.holding_ids_.resize(m.holdings.size());
  std::vector<uint32_t> fill(g.holding_offsets_.begin(), g.holding_offsets_.end() - 1);
  for (uint32_t i = 0; i < m.holdings.size(); ++i) g.holding_ids_[fill[holding_node[i]]++] = i;
  g.stored_.Reserve(n, holding_ids);  // at most the holdings' categories, fewer when a node repeats one
  for (uint32_t v = 0; v < n; ++v) {
    row.clear();
    for (uint32_t i : g.HoldingsOf(v)) g.HoldingCategories(i).ForEach([&](int c) { row.push_back(c); });
    g.stored_.Add(row);
  }
  g.stored_.ShrinkToFit();
  size_t flow_ids = 0;
  for (const auto& f : m.flows) flow_ids += f.categories.size();
  g.flow_categories_.Reserve(m.flows.size(), flow_ids);
  for (uint32_t i = 0; i < m.flows.size(); ++i) {
    if (auto s = categories(m.flows[i].categories, m.flows[i].where); !s.ok()) return s;
    g.flow_categories_.Add(row);
  }
  g.InternSubjects();  // before ComputeHeld: the held subjects are bits over the interned ids
  if (auto s = g.ComputeHeld(); !s.ok()) return s;
  return g;
}

void Graph::InternSubjects() {
  const Model& m = model_;
  // One pass numbers the distinct lists and the distinct names as first seen (equal lists are one
  // interned SymbolList, known by its items' address; a few dozen names among hundreds of thousands of
  // mentions); then the names are sorted and the numbers renamed.
  std::unordered_map<std::string_view, uint32_t> seen;
  std::unordered_map<const Symbol*, uint32_t> lists;
  std::vector<Symbol> names;
  auto intern = [&](const SymbolList& subjects, std::vector<uint32_t>& list_of) {
    auto [list, added_list] =
        lists.emplace(subjects.data(), static_cast<uint32_t>(subject_lists_.offsets.size() - 1));
    list_of.push_back(list->second);
    if (!added_list) return;
    for (const Symbol& s : subjects) {
      auto [it, added] = seen.emplace(s, static_cast<uint32_t>(names.size()));
      if (added) names.push_back(s);
      subject_lists_.ids.push_back(it->second);
    }
    subject_lists_.offsets.push_back(static_cast<uint32_t>(subject_lists_.ids.size()));
  };
  holding_subject_list_.reserve(m.holdings.size());
  flow_subject_list_.reserve(m.flows.size());
  for (const auto& h : m.holdings) intern(h.subjects, holding_subject_list_);
  for (const auto& f : m.flows) intern(f.subjects, flow_subject_list_);
  std::vector<uint32_t> order(names.size()), renamed(names.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return names[a].str() < names[b].str(); });
  subject_names_.resize(names.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    renamed[order[k]] = k;
    subject_names_[k] = names[order[k]];
  }
  for (uint32_t& k : subject_lists_.ids) k = renamed[k];
  // Their jurisdictions, from the subjects' declarations (a subject may have none: no bits).
  std::unordered_map<std::string_view, const Subject*> declared;
  for (const auto& subject : m.subjects) declared.emplace(subject.id, &subject);
  std::vector<const Subject*> of(subject_names_.size(), nullptr);
  std::vector<Symbol> places;
  for (size_t k = 0; k < of.size(); ++k) {
    auto it = declared.find(subject_names_[k]);
    if (it == declared.end()) continue;
    of[k] = it->second;
    places.insert(places.end(), it->second->jurisdictions.begin(), it->second->jurisdictions.end());
  }
  std::sort(places.begin(), places.end(), [](const Symbol& a, const Symbol& b) { return a.str() < b.str(); });
  places.erase(std::unique(places.begin(), places.end()), places.end());
  jurisdiction_names_ = std::move(places);
  const size_t jw = jurisdiction_words_ = (jurisdiction_names_.size() + 63) / 64;
  subject_jurisdictions_.assign(of.size() * jw, 0);
  for (size_t k = 0; k < of.size(); ++k) {
    if (!of[k]) continue;
    for (const Symbol& j : of[k]->jurisdictions) {
      const size_t b = std::lower_bound(jurisdiction_names_.begin(), jurisdiction_names_.end(), j,
                                        [](const Symbol& a, const Symbol& x) { return a.str() < x.str(); }) -
                       jurisdiction_names_.begin();
      subject_jurisdictions_[k * jw + b / 64] |= uint64_t{1} << (b % 64);
    }
  }
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

void Graph::ComputeHeldRecords(uint32_t components, const Rows& members, const Rows& preds) {
  const Model& m = model_;
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
            [&](int category) { take(category, m.holdings[i].records, nullptr, HoldingSubjects(i)); });
      }
      for (auto e : boost::make_iterator_range(boost::in_edges(v, flows_))) {
        const uint32_t i = flows_[e].index;
        if (m.flows[i].forwards_all) continue;
        FlowCategories(i).ForEach(
            [&](int category) { take(category, m.flows[i].records, nullptr, FlowSubjects(i)); });
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
  values_.shrink_to_fit();
}

static_assert(static_cast<int>(Privilege::kCode) < 4, "a privilege takes two bits of Graph::access_kinds_");

LikelihoodCost Graph::RareCost(uint32_t access) const {
  return std::lower_bound(rare_costs_.begin(), rare_costs_.end(), access,
                          [](const auto& rare, uint32_t a) { return rare.first < a; })
      ->second;
}

Status Graph::ComputeHeld() {
  const Model& m = model_;
  const uint32_t n = node_count();
  std::vector<std::pair<uint32_t, uint32_t>> star;
  for (uint32_t i = 0; i < m.flows.size(); ++i) {
    if (m.flows[i].forwards_all) star.push_back(flow_ends_[i]);
  }
  using StarGraph =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, uint32_t, uint32_t>;
  StarGraph sg(boost::edges_are_unsorted_multi_pass, star.begin(), star.end(), n);
  std::vector<uint32_t> component(n);
  const uint32_t components = boost::strong_components(
      sg, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, sg)));
  // Within a component of "*" flows every node holds the same: one bitset per component, from its members'
  // stores and the explicit flows into them, then from its predecessors'. Tarjan numbers components sinks
  // first, so descending numbers visit sources before their targets.
  std::vector<uint64_t> comp_held(size_t{components} * words_, 0);
  for (uint32_t v = 0; v < n; ++v) Stored(v).OrInto(&comp_held[size_t{component[v]} * words_]);
  for (uint32_t i = 0; i < m.flows.size(); ++i) {
    if (!m.flows[i].forwards_all)
      FlowCategories(i).OrInto(&comp_held[size_t{component[flow_ends_[i].second]} * words_]);
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs(n);  // (component, node), then (component, predecessor)
  for (uint32_t v = 0; v < n; ++v) pairs[v] = {component[v], v};
  const Rows members = Group(components, pairs);
  pairs.clear();
  for (const auto& [u, x] : star) {
    if (component[u] != component[x]) pairs.emplace_back(component[x], component[u]);
  }
  const Rows preds = Group(components, pairs);
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
  comp_held = {};
  ComputeHeldRecords(components, members, preds);
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
  return Status::Ok();
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

}  // namespace

std::vector<std::pair<std::string_view, size_t>> Graph::HeapParts() const {
  size_t samples = Bytes(sample_holders_);
  for (const auto& s : sample_holders_) samples += Bytes(s);
  return {
      {"index", index_.HeapBytes()},
      {"id_rank", Bytes(id_rank_)},
      {"flow_csr", CsrBytes(flows_)},
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
