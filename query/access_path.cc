#include "query/access_path.h"

#include <algorithm>
#include <unordered_set>

#include "core/graph.h"

namespace blastmap::query {

AccessHop AccessAt(const BlastResult& r, int32_t hop) { return r.source->access(r.hops[hop]); }

namespace {

// Walks the path of r.compromised[i] from its last hop back to a seed, calling f(hop) for each hop (an
// index into r.hops). The
// walk stops, as the search's own explanation did, where an edge would repeat (a cycle of equal-likelihood
// updates under a depth limit): node p's pivot edge repeats exactly when p was met before on this walk, or
// when p is i itself and i's own hop is its pivot edge.
template <typename F>
void WalkBack(const BlastResult& r, size_t i, F&& f) {
  const auto& nodes = r.compromised;
  const CompromisedNode& v = nodes[i];
  if (v.hop < 0) return;
  f(v.hop);
  std::vector<int32_t> met;  // short paths: a linear scan; long ones switch to a set
  std::unordered_set<int32_t> met_set;
  auto seen = [&](int32_t p) {
    if (met_set.empty()) {
      if (std::find(met.begin(), met.end(), p) != met.end()) return true;
      met.push_back(p);
      if (met.size() > 32) met_set.insert(met.begin(), met.end());
      return false;
    }
    return !met_set.insert(p).second;
  };
  if (v.pivot < 0) met.push_back(static_cast<int32_t>(i));
  for (int32_t p = v.parent; p >= 0;) {
    if (seen(p)) break;
    const CompromisedNode& n = nodes[p];
    const int32_t step = n.pivot >= 0 ? n.pivot : n.hop;
    if (step < 0) break;  // a seed
    f(step);
    p = n.pivot >= 0 ? n.pivot_parent : n.parent;
  }
}

}  // namespace

std::vector<uint32_t> HopEdgesOf(const BlastResult& r, size_t i) {
  std::vector<uint32_t> edges;
  WalkBack(r, i, [&](int32_t hop) { edges.push_back(r.hops[hop]); });
  std::reverse(edges.begin(), edges.end());
  return edges;
}

std::vector<AccessHop> HopsOf(const BlastResult& r, size_t i) {
  std::vector<AccessHop> hops;
  for (uint32_t edge : HopEdgesOf(r, i)) hops.push_back(r.source->access(edge));
  return hops;
}

std::vector<std::string> PathOf(const BlastResult& r, size_t i) {
  const std::vector<AccessHop> hops = HopsOf(r, i);
  std::vector<std::string> path;
  path.reserve(hops.size() + 1);
  if (hops.empty())
    path.push_back(r.compromised[i].id());
  else
    path.push_back(hops.front().from);
  for (const AccessHop& h : hops) path.push_back(h.to);
  return path;
}

size_t HopCount(const BlastResult& r, size_t i) {
  size_t n = 0;
  WalkBack(r, i, [&](int32_t) { ++n; });
  return n;
}

void PrepareToList(const BlastResult& r, size_t listed) {
  if (listed > kReadWholeAbove && r.source->lean()) (void)r.source->model();
}

std::vector<std::string> HolderIds(const BlastResult& r, const ExposedCategory& e) {
  std::vector<std::string> ids;
  ids.reserve(e.holders.size());
  for (int32_t i : e.holders) ids.push_back(r.compromised[i].id());
  return ids;
}

std::string FirstHolder(const BlastResult& r, const ExposedCategory& e) {
  return e.holders.empty() ? std::string() : r.compromised[e.holders.front()].id();
}

}  // namespace blastmap::query
