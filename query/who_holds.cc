#include "query/who_holds.h"

#include <algorithm>

#include "query/compromise.h"

namespace blastmap::query {

WhoHoldsResult WhoHolds(const core::Graph& g, int category, const BlastOptions& options) {
  const core::Taxonomy& t = g.taxonomy();
  WhoHoldsResult result;
  result.category = t.at(category).key;
  // The categories that answer the question: the key, its ancestors and its descendants.
  std::vector<int> related;
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    if (t.Related(c, category)) related.push_back(c);
  }
  std::vector<bool> holds(g.node_count(), false);
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    Holder h;
    for (int c : related) {
      if (!g.Held(v).Has(c)) continue;
      h.categories.push_back(t.at(c).key);
      h.stored = h.stored || g.Stored(v).Has(c);
    }
    if (h.categories.empty()) continue;
    holds[v] = true;
    h.id = g.node(v).id;
    h.name = g.node(v).name;
    h.kind = g.node(v).kind;
    result.holders.push_back(std::move(h));
  }
  std::stable_sort(result.holders.begin(), result.holders.end(), [](const Holder& a, const Holder& b) {
    if (a.kind != b.kind) return a.kind == core::NodeKind::kSystem;
    return a.id < b.id;
  });
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (g.node(v).kind != core::NodeKind::kVendor) continue;
    std::vector<Reach> reach = SearchAccess(g, {v}, options);
    ExposingVendor e;
    for (uint32_t x = 0; x < g.node_count(); ++x) {
      if (!holds[x] || !reach[x].reached()) continue;
      e.likelihood = std::max(e.likelihood, reach[x].likelihood());
      e.via.push_back(g.node(x).id);
    }
    if (e.via.empty()) continue;
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
