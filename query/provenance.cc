#include "query/provenance.h"

#include <algorithm>
#include <deque>
#include <unordered_map>

#include "query/cancel.h"
#include "query/compromise.h"
#include "query/sort_unique.h"

namespace blastmap::query {

TraceSpace::TraceSpace(uint32_t nodes, size_t categories)
    : marks_(nodes),
      found_(categories, 0),
      wanted_(categories, 0),
      first_node_(categories),
      first_source_(categories),
      first_is_store_(categories) {}

void TraceSpace::Walk(const core::Graph& g, uint32_t node, const std::vector<int>& wanted) {
  NextEpoch();
  for (int c : wanted) wanted_[c] = epoch_;
  size_t missing = wanted.size();
  queue_.clear();
  queue_.push_back(node);
  marks_[node] = {epoch_, kNone};
  auto take = [&](int c, uint32_t y, uint32_t source, bool store) {
    if (found_[c] == epoch_) return;
    found_[c] = epoch_;
    first_node_[c] = y;
    first_source_[c] = source;
    first_is_store_[c] = store;
    if (wanted_[c] == epoch_) --missing;
  };
  for (size_t head = 0; head < queue_.size() && missing > 0; ++head) {
    CheckCancel();
    const uint32_t y = queue_[head];
    for (uint32_t i : g.HoldingsOf(y)) g.HoldingCategories(i).ForEach([&](int c) { take(c, y, i, true); });
    for (const core::Graph::InFlow& in : g.InFlows(y)) {
      const uint32_t index = in.flow();
      if (in.forwards_all()) {
        const uint32_t u = in.source;
        if (marks_[u].seen != epoch_) {
          marks_[u] = {epoch_, index};
          queue_.push_back(u);
        }
      } else {
        g.FlowCategories(index).ForEach([&](int c) { take(c, y, index, false); });
      }
    }
  }
}

void TraceSpace::Prefetch(const core::Graph& g, std::span<const uint32_t> nodes) const {
  constexpr size_t kFirst = 8;  // a hub's holdings or in-flows are many: the first few of each
  for (uint32_t v : nodes) {
    __builtin_prefetch(marks_.data() + v);
    g.PrefetchHoldingsOf(v);
    g.PrefetchInFlows(v);
  }
  for (uint32_t v : nodes) {
    const std::span<const uint32_t> holdings = g.HoldingsOf(v);
    for (uint32_t i : holdings.first(std::min(holdings.size(), kFirst))) g.PrefetchHolding(i);
    const std::span<const core::Graph::InFlow> in = g.InFlows(v);
    for (const core::Graph::InFlow& flow : in.first(std::min(in.size(), kFirst))) {
      if (!flow.forwards_all()) g.PrefetchFlow(flow.flow());  // a "*" flow's categories are not read
    }
  }
}

std::vector<FlowHop> TraceSpace::Path(const core::Graph& g, uint32_t node, int c) const {
  std::vector<FlowHop> path;
  if (found_[c] != epoch_) return path;
  size_t forwards = 0;  // counted first, so that the path is allocated once
  for (uint32_t v = first_node_[c]; v != node && marks_[v].via != kNone; v = g.FlowTarget(marks_[v].via))
    ++forwards;
  path.reserve(1 + forwards);
  if (first_is_store_[c]) {
    path.push_back({FlowHop::Kind::kStores, first_source_[c]});
  } else {
    path.push_back({FlowHop::Kind::kFlow, first_source_[c]});
  }
  for (uint32_t v = first_node_[c]; v != node && marks_[v].via != kNone;) {
    path.push_back({FlowHop::Kind::kForward, marks_[v].via});
    v = g.FlowTarget(marks_[v].via);
  }
  return path;
}

HopText ReadHop(const core::Graph& g, const FlowHop& hop) {
  if (hop.kind == FlowHop::Kind::kStores) {
    const core::Holding h = g.holding(hop.index);
    return {hop.kind, h.node, h.node, core::ToStrings(h.categories), h.where};
  }
  const core::Flow f = g.flow(hop.index);
  if (hop.kind == FlowHop::Kind::kForward) return {hop.kind, f.from, f.to, {"*"}, f.where};
  return {hop.kind, f.from, f.to, core::ToStrings(f.categories), f.where};
}

void TraceSpace::NextEpoch() {
  if (++epoch_ == 0) {  // wrapped: forget every stamp
    for (Mark& mark : marks_) mark.seen = 0;
    std::fill(found_.begin(), found_.end(), 0);
    std::fill(wanted_.begin(), wanted_.end(), 0);
    epoch_ = 1;
  }
}

TraceSpace& Traces(uint32_t nodes, size_t categories) {
  thread_local std::unique_ptr<TraceSpace> space;
  thread_local std::pair<uint32_t, size_t> size;
  if (!space || size != std::make_pair(nodes, categories)) {
    space = std::make_unique<TraceSpace>(nodes, categories);
    size = {nodes, categories};
  }
  return *space;
}

CategoryTrace TraceCategory(const core::Graph& g, uint32_t node, int category) {
  const core::Model& m = g.model();
  CategoryTrace trace;
  // Backwards breadth-first search through "*" flows whose source holds the category; a source is a
  // store on a visited node or an explicit flow into one that names the category.
  // Visited nodes and the "*" flow by which we stepped back to each; sparse, as a trace touches few nodes.
  std::unordered_map<uint32_t, uint32_t> via_flow = {{node, kNone}};
  std::deque<uint32_t> queue = {node};
  bool found = false;
  auto forward_path = [&](uint32_t from_node, FlowHop first) {
    std::vector<FlowHop> path = {std::move(first)};
    for (uint32_t v = from_node; via_flow.at(v) != kNone;) {
      path.push_back({FlowHop::Kind::kForward, via_flow.at(v)});
      v = g.FlowTarget(via_flow.at(v));
    }
    return path;
  };
  auto take = [&](int64_t records, const core::SymbolList& subjects) {
    trace.records = std::max(trace.records, records);
    trace.subjects.insert(trace.subjects.end(), subjects.begin(), subjects.end());
  };
  while (!queue.empty()) {
    CheckCancel();
    uint32_t y = queue.front();
    queue.pop_front();
    if (g.Stored(y).Has(category)) {
      for (uint32_t i : g.HoldingsOf(y)) {
        const core::Holding& h = m.holdings[i];
        const std::string& key = m.taxonomy.at(category).key;
        if (std::find(h.categories.begin(), h.categories.end(), key) == h.categories.end()) continue;
        take(h.records, h.subjects);
        if (!found) trace.path = forward_path(y, {FlowHop::Kind::kStores, i});
        found = true;
      }
    }
    for (const core::Graph::InFlow& in : g.InFlows(y)) {
      const uint32_t index = in.flow();
      const core::Flow& f = m.flows[index];
      const uint32_t u = in.source;
      if (f.forwards_all) {
        if (g.Held(u).Has(category) && via_flow.emplace(u, index).second) queue.push_back(u);
      } else if (g.FlowCategories(index).Has(category)) {
        take(f.records, f.subjects);
        if (!found) trace.path = forward_path(y, {FlowHop::Kind::kFlow, index});
        found = true;
      }
    }
  }
  SortUnique(trace.subjects);
  return trace;
}

}  // namespace blastmap::query
