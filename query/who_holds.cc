#include "query/who_holds.h"

#include <algorithm>

#include "core/likelihood.h"
#include "query/cancel.h"
#include "query/compromise.h"

namespace blastmap::query {
namespace {

constexpr uint32_t kNotHolder = UINT32_MAX;

// Which nodes an attacker controlling them could expose a holder from: the holders themselves, the sources
// of any access edge into a holder, and the sources of pivot (admin/code) edges into such a node. Found by
// one walk back from the holders; every vendor outside it exposes nothing, whatever the options.
std::vector<uint8_t> CanExpose(const core::Graph& g, const std::vector<uint32_t>& holder_pos) {
  std::vector<uint8_t> can(g.node_count(), 0);
  std::vector<uint32_t> stack;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (holder_pos[v] != kNotHolder) {
      can[v] = 1;
      stack.push_back(v);
    }
  }
  while (!stack.empty()) {
    CheckCancel();
    const uint32_t w = stack.back();
    stack.pop_back();
    for (auto e : boost::make_iterator_range(boost::in_edges(w, g.access()))) {
      const uint32_t u = boost::source(e, g.access());
      if (can[u]) continue;
      if (core::Pivots(g.AccessPrivilege(g.access()[e].index)) || holder_pos[w] != kNotHolder) {
        can[u] = 1;
        stack.push_back(u);
      }
    }
  }
  return can;
}

// The memoised units of a who-holds query, as the ranking's (query/rank_memos.cc): groups of nodes that
// control each other with likelihood 1, and hubs (nodes granting pivots into many nodes) outside them. A
// unit's exposure is the holders a search from one member reaches, with their costs from there: every member
// of a group is reached at the same cost, so a search that reaches a unit at cost c exposes each of these at
// c plus its cost here (costs add exactly). A search stops at the units' members and takes their exposures.
struct Units {
  static constexpr size_t kGroupMembers = 8;  // smaller groups cost a search little
  static constexpr uint32_t kHubPivots = 8;   // as the ranking's hubs
  std::vector<uint8_t> stop;                  // per node: a member of a memoised unit (empty: none)
  std::vector<uint32_t> unit_of;              // per node: its unit, for the members
  std::vector<std::vector<std::pair<uint32_t, core::LikelihoodCost>>> exposure;  // (holder position, cost)
};

// The best cost at which each holder (by position) is exposed, for one search at a time.
class HolderCosts {
 public:
  explicit HolderCosts(size_t holders) : best_(holders, core::kUnreachedCost) {}
  void Take(uint32_t pos, core::LikelihoodCost cost) {
    if (best_[pos] == core::kUnreachedCost) reached_.push_back(pos);
    best_[pos] = std::min(best_[pos], cost);
  }
  // The positions taken since the last Clear, in no order, and their costs.
  std::vector<uint32_t>& reached() { return reached_; }
  core::LikelihoodCost at(uint32_t pos) const { return best_[pos]; }
  void Clear() {
    for (uint32_t pos : reached_) best_[pos] = core::kUnreachedCost;
    reached_.clear();
  }

 private:
  std::vector<core::LikelihoodCost> best_;
  std::vector<uint32_t> reached_;
};

// The holders an attacker controlling `seed` exposes within `options` (none less likely than min_likelihood
// asks), into `costs` (cleared first): one search, stopping at the units' members and taking their
// exposures.
void Expose(const core::Graph& g, AccessSearch& search, uint32_t seed, const BlastOptions& options,
            const std::vector<uint32_t>& holder_pos, const Units& units, HolderCosts& costs) {
  const core::LikelihoodCost limit = core::CostLimit(options.min_likelihood);
  costs.Clear();
  search.Run(g, {seed}, options, units.stop.empty() ? nullptr : &units.stop);
  auto take = [&](uint32_t pos, core::LikelihoodCost cost) {
    if (cost <= limit) costs.Take(pos, cost);
  };
  for (uint32_t x : search.touched()) {
    if (holder_pos[x] != kNotHolder) take(holder_pos[x], search.at(x).cost());
  }
  for (uint32_t x : search.stopped()) {
    for (const auto& [pos, cost] : units.exposure[units.unit_of[x]])
      take(pos, core::AddCost(search.at(x).controlled_cost, cost));
  }
}

// Memoises the units that can expose a holder, sinks of the pivot graph first: a unit's search stops at the
// units memoised before it, never at itself or a later one, so every exposure it takes is final.
Units MemoiseUnits(const core::Graph& g, AccessSearch& search, const std::vector<uint32_t>& holder_pos,
                   const std::vector<uint8_t>& can, HolderCosts& costs) {
  const PivotComponents pivot = FindPivotComponents(g, /*certain_only=*/false);
  std::vector<std::vector<uint32_t>> units;
  std::vector<uint8_t> grouped(g.node_count(), 0);
  for (auto& group : CertainGroups(g, Units::kGroupMembers, pivot)) {
    for (uint32_t v : group) grouped[v] = 1;
    if (can[group.front()]) units.push_back(std::move(group));  // members all reach the same nodes
  }
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (!grouped[v] && can[v] && pivot.out_degree[v] >= Units::kHubPivots) units.push_back({v});
  }
  // By component, sinks first; within one, the groups first (a stable sort keeps them before the hubs).
  std::stable_sort(units.begin(), units.end(), [&](const auto& a, const auto& b) {
    return pivot.component[a.front()] < pivot.component[b.front()];
  });
  Units out;
  if (units.empty()) return out;
  out.stop.assign(g.node_count(), 0);
  out.unit_of.assign(g.node_count(), 0);
  const BlastOptions unbounded;  // a unit's own costs, before any query's min_likelihood
  for (const auto& members : units) {
    Expose(g, search, members.front(), unbounded, holder_pos, out, costs);
    auto& exposure = out.exposure.emplace_back();
    exposure.reserve(costs.reached().size());
    for (uint32_t pos : costs.reached()) exposure.emplace_back(pos, costs.at(pos));
    for (uint32_t v : members) {
      out.stop[v] = 1;
      out.unit_of[v] = static_cast<uint32_t>(out.exposure.size() - 1);
    }
  }
  costs.Clear();
  return out;
}

}  // namespace

WhoHoldsResult WhoHolds(const core::Graph& g, int category, const WhoHoldsOptions& who) {
  const BlastOptions& options = who.blast;
  const size_t max_via = who.max_via;
  const core::Taxonomy& t = g.taxonomy();
  WhoHoldsResult result;
  result.category = t.at(category).key;
  // The categories that answer the question: the key, its ancestors and its descendants.
  std::vector<int> related;
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    if (t.Related(c, category)) related.push_back(c);
  }
  const uint32_t n = g.node_count();
  std::vector<uint32_t> holder_pos(n, kNotHolder);  // per node: its position in `holder_nodes`
  std::vector<uint32_t> holder_nodes;               // ascending
  for (uint32_t v = 0; v < n; ++v) {
    Holder h;
    for (int c : related) {
      if (!g.Held(v).Has(c)) continue;
      h.categories.push_back(t.at(c).key);
      h.stored = h.stored || g.Stored(v).Has(c);
    }
    if (h.categories.empty()) continue;
    holder_pos[v] = static_cast<uint32_t>(holder_nodes.size());
    holder_nodes.push_back(v);
    h.id = g.node(v).id;
    h.name = g.node(v).name;
    h.kind = g.node(v).kind;
    result.holders.push_back(std::move(h));
  }
  std::stable_sort(result.holders.begin(), result.holders.end(), [](const Holder& a, const Holder& b) {
    if (a.kind != b.kind) return a.kind == core::NodeKind::kSystem;
    return a.id < b.id;
  });
  result.exposers = who.exposers;
  if (holder_nodes.empty() || !who.exposers) return result;

  // Which vendors expose a holder, each by one access search (SearchAccess's, with the options) from the
  // vendor. Without a depth limit, the searches stop at the memoised units (above): vendors entering an
  // identity hub or the big group would otherwise each walk the same big region again.
  const std::vector<uint8_t> can = CanExpose(g, holder_pos);
  SearchLease search(n);
  HolderCosts costs(holder_nodes.size());
  const Units units = options.max_depth < 0 ? MemoiseUnits(g, *search, holder_pos, can, costs) : Units{};
  for (uint32_t v = 0; v < n; ++v) {
    if (g.node(v).kind != core::NodeKind::kVendor || !can[v]) continue;
    Expose(g, *search, v, options, holder_pos, units, costs);
    std::vector<uint32_t>& reached = costs.reached();
    if (reached.empty()) continue;
    ExposingVendor e;
    e.via_total = reached.size();
    core::LikelihoodCost cheapest = core::kUnreachedCost;
    for (uint32_t pos : reached) cheapest = std::min(cheapest, costs.at(pos));
    // The first max_via holders in node order (positions ascend with the nodes).
    const size_t listed = max_via ? std::min(max_via, reached.size()) : reached.size();
    if (listed < reached.size()) std::nth_element(reached.begin(), reached.begin() + listed, reached.end());
    std::sort(reached.begin(), reached.begin() + listed);
    e.via.reserve(listed);
    for (size_t i = 0; i < listed; ++i) e.via.push_back(g.node(holder_nodes[reached[i]]).id);
    e.likelihood = core::LikelihoodOf(cheapest);
    e.id = g.node(v).id;
    e.name = g.node(v).name;
    result.exposed_by.push_back(std::move(e));
  }
  std::stable_sort(result.exposed_by.begin(), result.exposed_by.end(), [](const auto& a, const auto& b) {
    if (a.likelihood != b.likelihood) return a.likelihood > b.likelihood;
    return a.id < b.id;
  });
  return result;
}

}  // namespace blastmap::query
