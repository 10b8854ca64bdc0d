#include "query/show.h"

#include <algorithm>

namespace blastmap::query {

NodeDetails DescribeNode(const core::Graph& g, uint32_t v) {
  NodeDetails d;
  d.node = g.node(v);
  for (const core::Graph::InFlow& in : g.InFlows(v)) d.flows_in.push_back(g.flow(in.flow()));
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g.flows())))
    d.flows_out.push_back(g.flow(g.flows()[e].index));
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g.access()))) {
    d.access_in.push_back(g.access(g.access()[e].index));
  }
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g.access()))) {
    d.access_out.push_back(g.access(g.access()[e].index));
  }
  for (uint32_t i : g.HoldingsOf(v)) d.stores.push_back(g.holding(i));
  for (int c : g.Held(v).Indices()) {
    const core::Category& cat = g.taxonomy().at(c);
    d.held.push_back({cat.key, cat.sensitivity, core::FlagNames(cat.flags), g.Stored(v).Has(c)});
  }
  std::stable_sort(d.held.begin(), d.held.end(),
                   [](const auto& a, const auto& b) { return a.sensitivity > b.sensitivity; });
  return d;
}

}  // namespace blastmap::query
