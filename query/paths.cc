#include "query/paths.h"

#include <deque>
#include <functional>

#include "query/cancel.h"

namespace blastmap::query {
namespace {

struct PathEdge {
  bool access;
  uint32_t index;  // into model().flows or model().accesses
  uint32_t target;
};

std::vector<PathEdge> OutEdges(const core::Graph& g, uint32_t v, PathEdges kinds) {
  std::vector<PathEdge> out;
  if (kinds != PathEdges::kAccess) {
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g.flows()))) {
      out.push_back({false, g.flows()[e].index, static_cast<uint32_t>(boost::target(e, g.flows()))});
    }
  }
  if (kinds != PathEdges::kFlows) {
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g.access()))) {
      out.push_back({true, g.access()[e].index, static_cast<uint32_t>(boost::target(e, g.access()))});
    }
  }
  return out;
}

PathHop Hop(const core::Graph& g, const PathEdge& e) {
  PathHop hop;
  hop.access = e.access;
  if (e.access) {
    const core::Access a = g.access(e.index);
    hop.from = a.from;
    hop.to = a.to;
    hop.privilege = std::string(core::PrivilegeName(a.privilege));
    hop.likelihood = a.likelihood;
    hop.where = a.where;
  } else {
    const core::Flow f = g.flow(e.index);
    hop.from = f.from;
    hop.to = f.to;
    hop.categories = f.forwards_all ? std::vector<std::string>{"*"} : core::ToStrings(f.categories);
    hop.where = f.where;
  }
  return hop;
}

}  // namespace

PathsResult FindPaths(const core::Graph& g, uint32_t from, uint32_t to, const PathOptions& options) {
  PathsResult result;
  result.from = g.node(from).id;
  result.to = g.node(to).id;
  // Distances to `to` (backwards BFS) prune every branch that cannot arrive within the length left, so
  // the depth-first enumeration below only walks edges that lie on some short enough path.
  std::vector<int> distance(g.node_count(), -1);
  std::deque<uint32_t> queue = {to};
  distance[to] = 0;
  while (!queue.empty()) {
    CheckCancel();
    uint32_t v = queue.front();
    queue.pop_front();
    auto visit = [&](uint32_t u) {
      if (distance[u] < 0) {
        distance[u] = distance[v] + 1;
        queue.push_back(u);
      }
    };
    if (options.edges != PathEdges::kAccess) {
      for (const core::Graph::InFlow& in : g.InFlows(v)) visit(in.source);
    }
    if (options.edges != PathEdges::kFlows) {
      for (auto e : boost::make_iterator_range(boost::in_edges(v, g.access())))
        visit(boost::source(e, g.access()));
    }
  }
  if (from == to || distance[from] < 0) return result;

  size_t steps = 0;
  std::vector<bool> on_path(g.node_count(), false);
  std::vector<PathEdge> path;
  // Iterative deepening: every simple path of length L is found before any of length L + 1.
  for (int length = distance[from]; length <= options.max_length && result.paths.size() < options.limit;
       ++length) {
    std::function<void(uint32_t)> walk = [&](uint32_t v) {
      CheckCancel();
      if (result.paths.size() >= options.limit || result.truncated) return;
      if (++steps > options.budget) {
        result.truncated = true;
        return;
      }
      int left = length - static_cast<int>(path.size());
      if (v == to) {
        if (left == 0) {
          std::vector<PathHop> hops;
          for (const PathEdge& e : path) hops.push_back(Hop(g, e));
          result.paths.push_back(std::move(hops));
        }
        return;
      }
      on_path[v] = true;
      for (const PathEdge& e : OutEdges(g, v, options.edges)) {
        if (on_path[e.target] || distance[e.target] < 0 || distance[e.target] > left - 1) continue;
        path.push_back(e);
        walk(e.target);
        path.pop_back();
      }
      on_path[v] = false;
    };
    walk(from);
    if (result.truncated) break;
  }
  return result;
}

}  // namespace blastmap::query
