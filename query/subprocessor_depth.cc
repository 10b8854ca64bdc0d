#include "query/subprocessor_depth.h"

#include <deque>

namespace blastmap::query {

std::vector<int> SubprocessorDepths(const core::Graph& g) {
  // A 0-1 breadth-first search from every system: entering a vendor costs 1, entering a system 0.
  std::vector<int> depth(g.node_count(), -1);
  std::deque<uint32_t> queue;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (g.node(v).kind == core::NodeKind::kSystem) {
      depth[v] = 0;
      queue.push_back(v);
    }
  }
  while (!queue.empty()) {
    uint32_t u = queue.front();
    queue.pop_front();
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g.flows()))) {
      uint32_t v = static_cast<uint32_t>(boost::target(e, g.flows()));
      int cost = g.node(v).kind == core::NodeKind::kVendor ? 1 : 0;
      if (depth[v] >= 0 && depth[v] <= depth[u] + cost) continue;
      depth[v] = depth[u] + cost;
      if (cost == 0) {
        queue.push_front(v);
      } else {
        queue.push_back(v);
      }
    }
  }
  return depth;
}

}  // namespace blastmap::query
