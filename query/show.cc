#include "query/show.h"

#include <algorithm>

namespace blastmap::query {

NodeDetails DescribeNode(const core::Graph& g, uint32_t v) {
  const core::Model& m = g.model();
  NodeDetails d;
  d.node = m.nodes[v];
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g.flows())))
    d.flows_in.push_back(m.flows[g.flows()[e].index]);
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g.flows())))
    d.flows_out.push_back(m.flows[g.flows()[e].index]);
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g.access()))) {
    d.access_in.push_back(m.accesses[g.access()[e].index]);
  }
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g.access()))) {
    d.access_out.push_back(m.accesses[g.access()[e].index]);
  }
  for (uint32_t i : g.HoldingsOf(v)) d.stores.push_back(m.holdings[i]);
  for (int c : g.Held(v).Indices()) {
    const core::Category& cat = m.taxonomy.at(c);
    d.held.push_back({cat.key, cat.sensitivity, core::FlagNames(cat.flags), g.Stored(v).Has(c)});
  }
  std::stable_sort(d.held.begin(), d.held.end(),
                   [](const auto& a, const auto& b) { return a.sensitivity > b.sensitivity; });
  return d;
}

}  // namespace blastmap::query
