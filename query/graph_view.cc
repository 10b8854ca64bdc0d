#include "query/graph_view.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/random_layout.hpp>
#include <boost/graph/topology.hpp>
#include <cmath>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "query/cancel.h"

namespace blastmap::query {
namespace {

struct ViewEdge {
  bool access;
  uint32_t index, from, to;
};

std::vector<ViewEdge> AllEdges(const core::Graph& g) {
  std::vector<ViewEdge> edges;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    CheckCancel();
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g.flows()))) {
      edges.push_back({false, g.flows()[e].index, v, static_cast<uint32_t>(boost::target(e, g.flows()))});
    }
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g.access()))) {
      edges.push_back({true, g.access()[e].index, v, static_cast<uint32_t>(boost::target(e, g.access()))});
    }
  }
  return edges;
}

// Vendors adjacent to one of our systems are third parties; a vendor that a k-th party sends data to
// (or holds access from it) is a (k+1)-th party. Breadth first over vendors only.
std::vector<int> Parties(const core::Graph& g, const std::vector<ViewEdge>& edges) {
  std::vector<int> party(g.node_count(), 0);
  std::vector<std::vector<uint32_t>> next(g.node_count());
  std::deque<uint32_t> queue;
  auto is_vendor = [&](uint32_t v) { return g.node(v).kind == core::NodeKind::kVendor; };
  for (const auto& e : edges) {
    if (is_vendor(e.from) && is_vendor(e.to)) next[e.from].push_back(e.to);
    for (auto [a, b] : {std::pair{e.from, e.to}, std::pair{e.to, e.from}}) {
      if (!is_vendor(a) && is_vendor(b) && party[b] == 0) {
        party[b] = 3;
        queue.push_back(b);
      }
    }
  }
  while (!queue.empty()) {
    uint32_t u = queue.front();
    queue.pop_front();
    for (uint32_t v : next[u]) {
      if (party[v] == 0) {
        party[v] = party[u] + 1;
        queue.push_back(v);
      }
    }
  }
  return party;
}

// Repulsion between vertices closer than two cells, found through a grid of cells of 2k (k: the ideal
// edge length of Fruchterman-Reingold, sqrt(area / n)). Boost's own grid_force_pairs sizes its cells by
// area / sqrt(n), which for any sizeable square is one cell: O(n^2) pairs per iteration.
template <typename Topology, typename PositionMap>
struct CellForcePairs {
  const Topology& topology;
  PositionMap position;
  double cell;

  template <typename G, typename ApplyForce>
  void operator()(const G& g, ApplyForce apply_force) const {
    // The grid spans where the points are now (they may drift out of the topology's square).
    size_t n = boost::num_vertices(g);
    if (n == 0) return;
    double min_x = get(position, 0)[0], max_x = min_x, min_y = get(position, 0)[1], max_y = min_y;
    for (size_t v = 1; v < n; ++v) {
      min_x = std::min(min_x, get(position, v)[0]), max_x = std::max(max_x, get(position, v)[0]);
      min_y = std::min(min_y, get(position, v)[1]), max_y = std::max(max_y, get(position, v)[1]);
    }
    size_t columns = static_cast<size_t>((max_x - min_x) / cell) + 1;
    size_t rows = static_cast<size_t>((max_y - min_y) / cell) + 1;
    if (columns * rows > 4 * n + 16) {  // a far outlier: fall back to fewer, larger cells
      double scale = std::sqrt(static_cast<double>(columns * rows) / (4.0 * n + 16));
      columns = static_cast<size_t>(columns / scale) + 1;
      rows = static_cast<size_t>(rows / scale) + 1;
    }
    double cw = (max_x - min_x) / static_cast<double>(columns) + 1e-9;
    double ch = (max_y - min_y) / static_cast<double>(rows) + 1e-9;
    std::vector<std::vector<size_t>> buckets(columns * rows);
    for (size_t v = 0; v < n; ++v) {
      size_t c = std::min(columns - 1, static_cast<size_t>((get(position, v)[0] - min_x) / cw));
      size_t r = std::min(rows - 1, static_cast<size_t>((get(position, v)[1] - min_y) / ch));
      buckets[r * columns + c].push_back(v);
    }
    for (size_t row = 0; row < rows; ++row) {
      for (size_t col = 0; col < columns; ++col) {
        for (size_t u : buckets[row * columns + col]) {
          for (size_t r = row ? row - 1 : 0; r <= std::min(row + 1, rows - 1); ++r) {
            for (size_t c = col ? col - 1 : 0; c <= std::min(col + 1, columns - 1); ++c) {
              for (size_t v : buckets[r * columns + c]) {
                if (v != u && topology.distance(get(position, u), get(position, v)) < cell) apply_force(u, v);
              }
            }
          }
        }
      }
    }
  }
};

void LayOut(GraphView& view, const std::vector<ViewEdge>& edges, const std::vector<int64_t>& position) {
  using LayoutGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  using Topology = boost::square_topology<std::minstd_rand>;
  LayoutGraph lg(view.nodes.size());
  for (const auto& e : edges) {
    if (position[e.from] >= 0 && position[e.to] >= 0 && e.from != e.to) {
      boost::add_edge(static_cast<size_t>(position[e.from]), static_cast<size_t>(position[e.to]), lg);
    }
  }
  // The square's side grows with the node count so that density stays readable.
  double side = 120.0 * std::sqrt(static_cast<double>(view.nodes.size()) + 1.0);
  std::minstd_rand rng(42);  // deterministic: the same map lays out the same way
  Topology topology(rng, side / 2);
  std::vector<Topology::point_type> points(view.nodes.size());
  auto pmap = boost::make_iterator_property_map(points.begin(), boost::get(boost::vertex_index, lg));
  boost::random_graph_layout(lg, pmap, topology);
  double cell = 2 * topology.extent()[0] / std::sqrt(static_cast<double>(view.nodes.size() + 1));
  boost::fruchterman_reingold_force_directed_layout(
      lg, pmap, topology,
      boost::cooling(boost::linear_cooling<double>(80))
          .force_pairs(CellForcePairs<Topology, decltype(pmap)>{topology, pmap, cell}));
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    view.nodes[i].x = std::round(points[i][0] * 10) / 10;
    view.nodes[i].y = std::round(points[i][1] * 10) / 10;
  }
  view.laid_out = true;
}

}  // namespace

GraphView BuildGraphView(const core::Graph& g, const GraphViewOptions& options) {
  GraphView view;
  std::vector<ViewEdge> edges = AllEdges(g);
  view.total_nodes = g.node_count();
  view.total_edges = edges.size();
  std::vector<size_t> degree(g.node_count(), 0);
  for (const auto& e : edges) ++degree[e.from], ++degree[e.to];

  std::vector<char> chosen(g.node_count(), 0);
  if (options.focus) {
    // Breadth first over flows and access edges in either direction.
    std::vector<std::vector<uint32_t>> adjacent(g.node_count());
    for (const auto& e : edges) adjacent[e.from].push_back(e.to), adjacent[e.to].push_back(e.from);
    std::vector<int> dist(g.node_count(), -1);
    std::deque<uint32_t> queue{*options.focus};
    dist[*options.focus] = 0;
    while (!queue.empty()) {
      uint32_t u = queue.front();
      queue.pop_front();
      chosen[u] = 1;
      if (dist[u] >= options.depth) continue;
      for (uint32_t v : adjacent[u]) {
        if (dist[v] < 0) dist[v] = dist[u] + 1, queue.push_back(v);
      }
    }
    view.focus = g.node(*options.focus).id;
    view.depth = options.depth;
  } else {
    std::fill(chosen.begin(), chosen.end(), 1);
  }

  size_t count = std::count(chosen.begin(), chosen.end(), 1);
  size_t edge_count = 0;
  for (const auto& e : edges) edge_count += chosen[e.from] && chosen[e.to];
  if (options.max_elements > 0 && count + edge_count > options.max_elements) {
    // Overview: vendors first (third parties before sub-processors), then systems by degree, while the
    // nodes take at most a third of the budget (edges among them take the rest).
    std::vector<uint32_t> order;
    for (uint32_t v = 0; v < g.node_count(); ++v) {
      if (chosen[v]) order.push_back(v);
    }
    std::vector<int> party = Parties(g, edges);
    auto rank = [&](uint32_t v) {
      bool vendor = g.node(v).kind == core::NodeKind::kVendor;
      return std::tuple(options.focus && v == *options.focus ? 0 : 1, vendor ? 0 : 1,
                        vendor && party[v] ? party[v] : 99, -static_cast<int64_t>(degree[v]), v);
    };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return rank(a) < rank(b); });
    order.resize(std::min(order.size(), std::max<size_t>(1, options.max_elements / 3)));
    std::fill(chosen.begin(), chosen.end(), 0);
    for (uint32_t v : order) chosen[v] = 1;
    view.overview = true;
  }

  std::vector<int> party = Parties(g, edges);
  std::vector<int64_t> position(g.node_count(), -1);
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (!chosen[v]) continue;
    position[v] = static_cast<int64_t>(view.nodes.size());
    ViewNode n;
    n.index = v;
    n.party = g.node(v).kind == core::NodeKind::kVendor ? party[v] : 0;
    n.degree = degree[v];
    n.held = g.Held(v).Indices();
    const auto& tax = g.taxonomy();
    std::stable_sort(n.held.begin(), n.held.end(),
                     [&](int a, int b) { return tax.at(a).sensitivity > tax.at(b).sensitivity; });
    if (!n.held.empty()) n.max_sensitivity = tax.at(n.held.front()).sensitivity;
    view.nodes.push_back(std::move(n));
  }
  for (const auto& e : edges) {
    if (!chosen[e.from] || !chosen[e.to]) continue;
    if (options.max_elements > 0 && view.overview &&
        view.nodes.size() + view.flows.size() + view.accesses.size() >= options.max_elements) {
      break;
    }
    (e.access ? view.accesses : view.flows).push_back(e.index);
  }
  std::sort(view.flows.begin(), view.flows.end());
  std::sort(view.accesses.begin(), view.accesses.end());
  if (options.layout) LayOut(view, edges, position);
  return view;
}

std::string GraphViewToJson(const core::Graph& g, const GraphView& view) {
  using json = nlohmann::ordered_json;
  const auto& tax = g.taxonomy();
  json out;
  out["snapshot"] = view.snapshot;
  out["total_nodes"] = view.total_nodes;
  out["total_edges"] = view.total_edges;
  out["overview"] = view.overview;
  out["focus"] = view.focus ? json(*view.focus) : json(nullptr);
  out["depth"] = view.focus ? json(view.depth) : json(nullptr);
  out["laid_out"] = view.laid_out;
  json nodes = json::array();
  for (const auto& n : view.nodes) {
    const core::Node& node = g.node(n.index);
    json held = json::array();
    size_t restricted = 0;
    for (int c : n.held) {
      held.push_back(tax.at(c).key);
      restricted += tax.at(c).sensitivity == core::Sensitivity::kRestricted;
    }
    json j = {{"id", node.id},
              {"name", node.name},
              {"kind", core::NodeKindName(node.kind)},
              {"party", n.party ? json(n.party) : json(nullptr)},
              {"degree", n.degree},
              {"max_sensitivity",
               n.max_sensitivity ? json(core::SensitivityName(*n.max_sensitivity)) : json(nullptr)},
              {"held", held},
              {"restricted", restricted},
              {"file", node.where.file},
              {"line", node.where.line}};
    if (auto it = node.attrs.find("role"); it != node.attrs.end() && !it->second.empty()) {
      j["role"] = it->second.front();
    }
    if (view.laid_out) j["position"] = {{"x", n.x}, {"y", n.y}};
    nodes.push_back(j);
  }
  out["nodes"] = nodes;
  // The n-th flow between the same two nodes, in declaration order: how what-if overlays name one flow.
  auto nth = [&](uint32_t i) {
    const uint32_t to = g.FlowTarget(i);
    int n = 1;
    for (auto e : boost::make_iterator_range(boost::out_edges(g.FlowSource(i), g.flows())))
      n += g.flows()[e].index < i && boost::target(e, g.flows()) == to;
    return n;
  };
  json flows = json::array();
  for (uint32_t i : view.flows) {
    const core::Flow f = g.flow(i);
    flows.push_back({{"id", "f" + std::to_string(i)},
                     {"from", f.from},
                     {"to", f.to},
                     {"index", nth(i)},
                     {"categories", f.forwards_all ? json("*") : json(f.categories)},
                     {"file", f.where.file},
                     {"line", f.where.line}});
  }
  out["flows"] = flows;
  json accesses = json::array();
  for (uint32_t i : view.accesses) {
    const core::Access a = g.access(i);
    accesses.push_back({{"id", "a" + std::to_string(i)},
                        {"from", a.from},
                        {"to", a.to},
                        {"privilege", core::PrivilegeName(a.privilege)},
                        {"mechanism", a.mechanism},
                        {"likelihood", std::round(a.likelihood * 1e6) / 1e6},
                        {"file", a.where.file},
                        {"line", a.where.line}});
  }
  out["access"] = accesses;
  return out.dump() + "\n";
}

}  // namespace blastmap::query
