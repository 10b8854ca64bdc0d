#include "core/graph_builder.h"

#include <algorithm>
#include <numeric>

namespace blastmap::core {
namespace {

// The first 8 bytes of `id` as a big-endian number, zero-padded: a < b for the prefixes implies a < b for
// the ids (std::string compares bytes as unsigned char), equal prefixes say nothing.
uint64_t IdPrefix(std::string_view id) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i)
    prefix = prefix << 8 | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
  return prefix;
}

// Replaces `v` with a copy this thread allocates, and frees the original.
template <typename T>
void Rehome(T& v) {
  T copy(v);
  using std::swap;
  swap(v, copy);
}

}  // namespace

GraphBuilder::GraphBuilder(Model model) { g_.model_ = std::move(model); }

Status GraphBuilder::Begin() {
  Graph& g = g_;
  const Model& m = g.model_;
  const uint32_t n = g.node_count();
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
  const Taxonomy& t = m.taxonomy;
  if (t.size() > size_t{CategoryRows::kMaxCategories})
    return Status::Error("the taxonomy has " + std::to_string(t.size()) + " categories, more than the " +
                         std::to_string(CategoryRows::kMaxCategories) + " a graph can index");
  g.words_ = std::max<size_t>(1, (t.size() + 63) / 64);
  return Status::Ok();
}

bool GraphBuilder::Fail(Table table, size_t pos, std::string what) {
  faults_[static_cast<int>(table)] = Fault{table, pos, std::move(what)};
  return false;
}

void GraphBuilder::Queue(Pending& pending, std::string_view id, size_t slot) {
  pending.text.append(id);
  pending.ends.push_back(static_cast<uint32_t>(pending.text.size()));
  pending.slots.push_back(slot);
}

template <typename Out>
bool GraphBuilder::Resolve(Pending& pending, Table table, size_t per_row, Out&& out) {
  std::string_view ids[kBatch];
  int64_t found[kBatch];
  const size_t count = pending.slots.size();
  for (size_t i = 0, begin = 0; i < count; begin = pending.ends[i++])
    ids[i] = std::string_view(pending.text).substr(begin, pending.ends[i] - begin);
  g_.index_.FindMany(
      std::span(ids, count), std::span(found, count), [this](uint32_t v) { return g_.IdOf(v); },
      [this](uint32_t v) { __builtin_prefetch(&g_.model_.nodes[v].id); });
  bool ok = true;
  for (size_t i = 0; i < count && ok; ++i) {
    if (found[i] < 0) {
      ok = Fail(table, pending.slots[i] / per_row, "unknown node '" + std::string(ids[i]) + "'");
    } else {
      out(pending.slots[i], static_cast<uint32_t>(found[i]));
    }
  }
  pending.text.clear();
  pending.ends.clear();
  pending.slots.clear();
  return ok;
}

bool GraphBuilder::ResolveEnds(Pending& pending, Table table,
                               std::vector<std::pair<uint32_t, uint32_t>>& ends) {
  return Resolve(pending, table, 2, [&](size_t slot, uint32_t v) {
    (slot & 1 ? ends[slot / 2].second : ends[slot / 2].first) = v;
  });
}

bool GraphBuilder::ResolveHoldingNodes() {
  return Resolve(holding_nodes_, Table::kHolding, 1,
                 [&](size_t slot, uint32_t v) { holding_node_[slot] = v; });
}

bool GraphBuilder::Categories(std::span<const std::string_view> keys, Table table, size_t pos,
                              std::vector<int>& row) {
  row.clear();
  for (std::string_view key : keys) {
    const int c = g_.model_.taxonomy.Index(key);
    if (c < 0) return Fail(table, pos, "unknown category '" + std::string(key) + "'");
    row.push_back(c);
  }
  return true;
}

uint32_t GraphBuilder::InternSubjects(SymbolList subjects) {
  // Equal lists are one pooled SymbolList, known by its items' address: a few hundred lists among millions
  // of holdings and flows, a few dozen names.
  Graph::Rows& lists = g_.subject_lists_;
  auto [list, added_list] =
      subject_lists_.emplace(subjects.data(), static_cast<uint32_t>(lists.offsets.size() - 1));
  if (!added_list) return list->second;
  for (const Symbol& s : subjects) {
    auto [it, added] = subject_names_.emplace(s, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(s);
    lists.ids.push_back(it->second);
  }
  lists.offsets.push_back(static_cast<uint32_t>(lists.ids.size()));
  return list->second;
}

void GraphBuilder::ReserveHoldings(size_t rows, size_t category_ids) {
  holding_node_.reserve(rows);
  holding_records_.reserve(rows);
  g_.holding_subject_list_.reserve(rows);
  g_.holding_categories_.Reserve(rows, category_ids);
}

bool GraphBuilder::AddHolding(std::string_view node, std::span<const std::string_view> categories,
                              SymbolList subjects, int64_t records) {
  if (fault(Table::kHolding)) return false;
  const size_t i = holding_node_.size();
  holding_node_.push_back(0);
  Queue(holding_nodes_, node, i);
  // A bad category resolves the queued nodes first: a bad node of this row or an earlier one is the fault.
  const bool known = Categories(categories, Table::kHolding, i, holding_row_);
  if ((!known || holding_nodes_.slots.size() == kBatch) && !ResolveHoldingNodes()) return false;
  if (!known) return false;
  g_.holding_categories_.Add(holding_row_);
  g_.holding_subject_list_.push_back(InternSubjects(subjects));
  holding_records_.push_back(records);
  return true;
}

bool GraphBuilder::EndHoldings() {
  if (!ResolveHoldingNodes()) return false;
  if (fault(Table::kHolding)) return false;
  Graph& g = g_;
  const uint32_t n = g.node_count();
  const size_t holdings = holding_node_.size();
  g.holding_categories_.ShrinkToFit();
  g.holding_subject_list_.shrink_to_fit();
  holding_records_.shrink_to_fit();
  g.holding_offsets_.assign(size_t{n} + 1, 0);
  for (uint32_t v : holding_node_) ++g.holding_offsets_[v + 1];
  for (uint32_t v = 0; v < n; ++v) g.holding_offsets_[v + 1] += g.holding_offsets_[v];
  g.holding_ids_.resize(holdings);
  std::vector<uint32_t> fill(g.holding_offsets_.begin(), g.holding_offsets_.end() - 1);
  for (uint32_t i = 0; i < holdings; ++i) g.holding_ids_[fill[holding_node_[i]]++] = i;
  Free(holding_node_);
  size_t ids = 0;  // at most the holdings' categories, fewer when a node repeats one
  for (uint32_t i = 0; i < holdings; ++i) ids += g.HoldingCategories(i).size();
  g.stored_.Reserve(n, ids);
  std::vector<int>& row = holding_row_;
  for (uint32_t v = 0; v < n; ++v) {
    row.clear();
    for (uint32_t i : g.HoldingsOf(v)) g.HoldingCategories(i).ForEach([&](int c) { row.push_back(c); });
    g.stored_.Add(row);
  }
  g.stored_.ShrinkToFit();
  return true;
}

void GraphBuilder::ReserveFlows(size_t rows, size_t category_ids) {
  g_.flow_ends_.reserve(rows);
  g_.flow_forwards_all_.reserve(rows);
  g_.flow_subject_list_.reserve(rows);
  g_.flow_categories_.Reserve(rows, category_ids);
  flow_records_.reserve(rows);
}

bool GraphBuilder::AddFlow(std::string_view from, std::string_view to,
                           std::span<const std::string_view> categories, SymbolList subjects, int64_t records,
                           bool forwards_all) {
  if (fault(Table::kFlow)) return false;
  auto& ends = g_.flow_ends_;
  const size_t i = ends.size();
  ends.emplace_back(0, 0);
  Queue(flow_ends_, from, 2 * i);
  Queue(flow_ends_, to, 2 * i + 1);
  const bool known = Categories(categories, Table::kFlow, i, flow_row_);
  if ((!known || flow_ends_.slots.size() == kBatch) && !ResolveEnds(flow_ends_, Table::kFlow, ends))
    return false;
  if (!known) return false;
  g_.flow_categories_.Add(flow_row_);
  g_.flow_subject_list_.push_back(InternSubjects(subjects));
  g_.flow_forwards_all_.push_back(forwards_all ? 1 : 0);
  flow_records_.push_back(records);
  return true;
}

template <typename CsrType>
CsrType GraphBuilder::MakeCsr(const std::vector<std::pair<uint32_t, uint32_t>>& ends) const {
  std::vector<Graph::EdgeRef> props(ends.size());
  for (uint32_t i = 0; i < ends.size(); ++i) props[i].index = i;
  return CsrType(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                 g_.node_count());
}

void GraphBuilder::MakeInFlows() {
  Graph& g = g_;
  const uint32_t n = g.node_count();
  // Counted two places up, summed, then each row filled through its start one place up, which leaves the
  // starts where they belong (no array of cursors beside the rows).
  std::vector<uint32_t>& offsets = g.in_flow_offsets_;
  offsets.assign(size_t{n} + 2, 0);
  for (const auto& [from, to] : g.flow_ends_) ++offsets[to + 2];
  for (size_t v = 2; v < offsets.size(); ++v) offsets[v] += offsets[v - 1];
  g.in_flows_.resize(g.flow_ends_.size());
  // In the forward rows' order (by source, then by index), as Boost's in-edges of a bidirectional graph.
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g.flows_))) {
      const uint32_t i = g.flows_[e].index;
      const uint32_t forwards = g.flow_forwards_all_[i] ? uint32_t{1} << 31 : 0;
      g.in_flows_[offsets[boost::target(e, g.flows_) + 1]++] = {u, i | forwards};
    }
  }
  offsets.pop_back();
  offsets.shrink_to_fit();  // as a copy would be (RehomeHoldingsAndFlows)
}

bool GraphBuilder::EndFlows() {
  auto& ends = g_.flow_ends_;
  if (!ResolveEnds(flow_ends_, Table::kFlow, ends)) return false;
  if (fault(Table::kFlow)) return false;
  ends.shrink_to_fit();
  g_.flow_forwards_all_.shrink_to_fit();
  g_.flow_subject_list_.shrink_to_fit();
  g_.flow_categories_.ShrinkToFit();
  flow_records_.shrink_to_fit();
  g_.flows_ = MakeCsr<Graph::FlowCsr>(ends);  // here, so that a reader's threads build the CSRs side by side
  if (ends.size() <= Graph::kMaxFlows) MakeInFlows();  // else Finish fails
  return true;
}

void GraphBuilder::ReserveAccesses(size_t rows) {
  access_end_nodes_.reserve(rows);
  g_.access_kinds_.reserve(rows);
}

bool GraphBuilder::AddAccess(std::string_view from, std::string_view to, double likelihood,
                             Privilege privilege) {
  if (fault(Table::kAccess)) return false;
  auto& ends = access_end_nodes_;
  const size_t i = ends.size();
  ends.emplace_back(0, 0);
  Queue(access_ends_, from, 2 * i);
  Queue(access_ends_, to, 2 * i + 1);
  if (access_ends_.slots.size() == kBatch && !ResolveEnds(access_ends_, Table::kAccess, ends)) return false;
  // The cost's index among the first kRareCost distinct costs, or kRareCost and the cost in rare_costs_.
  Graph& g = g_;
  const LikelihoodCost cost = CostOf(likelihood);
  auto& values = g.access_cost_values_;
  uint32_t k = static_cast<uint32_t>(std::find(values.begin(), values.end(), cost) - values.begin());
  if (k == values.size() && k < Graph::kRareCost) values.push_back(cost);
  if (k >= Graph::kRareCost) {
    k = Graph::kRareCost;
    g.rare_costs_.emplace_back(static_cast<uint32_t>(i), cost);
  }
  g.access_kinds_.push_back(static_cast<uint8_t>(k << 2 | static_cast<uint32_t>(privilege)));
  return true;
}

bool GraphBuilder::EndAccesses() {
  auto& ends = access_end_nodes_;
  if (!ResolveEnds(access_ends_, Table::kAccess, ends)) return false;
  if (fault(Table::kAccess)) return false;
  g_.access_kinds_.shrink_to_fit();
  g_.access_sources_.reserve(ends.size());
  for (const auto& [from, to] : ends) g_.access_sources_.push_back(from);
  g_.access_ = MakeCsr<Graph::Csr>(ends);
  Free(ends);
  return true;
}

void GraphBuilder::FinishSubjects() {
  Graph& g = g_;
  const Model& m = g.model_;
  // The names sorted, and the lists' numbers renamed.
  const std::vector<Symbol>& names = names_;
  std::vector<uint32_t> order(names.size()), renamed(names.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return names[a].str() < names[b].str(); });
  g.subject_names_.resize(names.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    renamed[order[k]] = k;
    g.subject_names_[k] = names[order[k]];
  }
  for (uint32_t& k : g.subject_lists_.ids) k = renamed[k];
  g.subject_lists_.offsets.shrink_to_fit();
  g.subject_lists_.ids.shrink_to_fit();
  // Their jurisdictions, from the subjects' declarations (a subject may have none: no bits).
  std::unordered_map<std::string_view, const Subject*> declared;
  for (const auto& subject : m.subjects) declared.emplace(subject.id, &subject);
  std::vector<const Subject*> of(g.subject_names_.size(), nullptr);
  std::vector<Symbol> places;
  for (size_t k = 0; k < of.size(); ++k) {
    auto it = declared.find(g.subject_names_[k]);
    if (it == declared.end()) continue;
    of[k] = it->second;
    places.insert(places.end(), it->second->jurisdictions.begin(), it->second->jurisdictions.end());
  }
  std::sort(places.begin(), places.end(), [](const Symbol& a, const Symbol& b) { return a.str() < b.str(); });
  places.erase(std::unique(places.begin(), places.end()), places.end());
  g.jurisdiction_names_ = std::move(places);
  const size_t jw = g.jurisdiction_words_ = (g.jurisdiction_names_.size() + 63) / 64;
  g.subject_jurisdictions_.assign(of.size() * jw, 0);
  for (size_t k = 0; k < of.size(); ++k) {
    if (!of[k]) continue;
    for (const Symbol& j : of[k]->jurisdictions) {
      const size_t b = std::lower_bound(g.jurisdiction_names_.begin(), g.jurisdiction_names_.end(), j,
                                        [](const Symbol& a, const Symbol& x) { return a.str() < x.str(); }) -
                       g.jurisdiction_names_.begin();
      g.subject_jurisdictions_[k * jw + b / 64] |= uint64_t{1} << (b % 64);
    }
  }
}

void GraphBuilder::RehomeHoldingsAndFlows() {
  Graph& g = g_;
  Rehome(g.holding_categories_);
  Rehome(g.holding_subject_list_);
  Rehome(g.holding_offsets_);
  Rehome(g.holding_ids_);
  Rehome(g.stored_);
  Rehome(g.flows_);
  Rehome(g.flow_ends_);
  Rehome(g.flow_forwards_all_);
  Rehome(g.flow_subject_list_);
  Rehome(g.flow_categories_);
  Rehome(g.in_flow_offsets_);
  Rehome(g.in_flows_);
  Rehome(g.subject_lists_);
}

Result<Graph> GraphBuilder::Finish() {
  Graph& g = g_;
  if (g.access_sources_.size() > Graph::kMaxAccesses) return Graph::TooManyAccesses(g.access_sources_.size());
  if (g.flow_ends_.size() > Graph::kMaxFlows) return Graph::TooManyFlows(g.flow_ends_.size());
  FinishSubjects();  // before ComputeHeld: the held subjects are bits over the interned ids
  if (auto s = g.ComputeHeld(holding_records_, flow_records_); !s.ok()) return s;
  return std::move(g);
}

}  // namespace blastmap::core
