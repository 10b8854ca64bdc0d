// FindPivotComponents (query/compromise.h), the one Tarjan walk behind the likelihood-1 groups and the
// ranking's memo levels, against Boost.Graph's strong_components over the same edges, and the condensation's
// levels against a longest-path pass over the reference's components.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "query/compromise.h"
#include "tests/query/differential.h"

namespace blastmap::query {
namespace {

// The pivot edges (with `certain_only`, of likelihood 1) as (source, target) pairs.
std::vector<std::pair<uint32_t, uint32_t>> PivotEdges(const core::Graph& g, bool certain_only) {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (const auto& a : g.model().accesses) {
    const uint32_t index = static_cast<uint32_t>(&a - g.model().accesses.data());
    if (!core::Pivots(g.AccessPrivilege(index)) || (certain_only && g.AccessCost(index) != 0)) continue;
    edges.emplace_back(static_cast<uint32_t>(g.Find(a.from)), static_cast<uint32_t>(g.Find(a.to)));
  }
  return edges;
}

void CheckAgainstBoost(const core::Graph& g, bool certain_only) {
  CAPTURE(certain_only);
  const uint32_t n = g.node_count();
  const auto edges = PivotEdges(g, certain_only);
  using Simple = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Simple reference(edges.begin(), edges.end(), n);
  std::vector<uint32_t> expected(n);
  const uint32_t count = static_cast<uint32_t>(boost::strong_components(
      reference,
      boost::make_iterator_property_map(expected.begin(), boost::get(boost::vertex_index, reference))));
  const PivotComponents found = FindPivotComponents(g, certain_only);
  REQUIRE(found.count == count);
  REQUIRE(found.component.size() == n);
  REQUIRE(found.level.size() == count);
  // The same partition: a one-to-one map between the two numberings.
  std::vector<uint32_t> to_found(count, UINT32_MAX), to_expected(count, UINT32_MAX);
  size_t mismatched = 0;
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t a = expected[v], b = found.component[v];
    if (to_found[a] == UINT32_MAX) to_found[a] = b;
    if (to_expected[b] == UINT32_MAX) to_expected[b] = a;
    mismatched += to_found[a] != b || to_expected[b] != a;
  }
  CHECK(mismatched == 0);
  // Sinks first, and each level one above the highest component an edge leads into: the longest path in
  // the reference's condensation, over its components in its own (sinks first) order.
  std::vector<uint32_t> level(count, 0), out_degree(n, 0);
  std::vector<std::vector<uint32_t>> targets(count);
  for (const auto& [u, v] : edges) {
    ++out_degree[u];
    if (expected[u] != expected[v]) targets[expected[u]].push_back(expected[v]);
    if (found.component[u] != found.component[v]) CHECK(found.component[u] > found.component[v]);
  }
  for (uint32_t c = 0; c < count; ++c) {
    for (uint32_t t : targets[c]) {
      REQUIRE(t < c);
      level[c] = std::max(level[c], level[t] + 1);
    }
  }
  size_t wrong_levels = 0;
  for (uint32_t c = 0; c < count; ++c) wrong_levels += found.level[to_found[c]] != level[c];
  CHECK(wrong_levels == 0);
  CHECK(found.out_degree == out_degree);
}

}  // namespace

TEST_CASE("pivot components: Tarjan's walk over the access graph equals Boost's strong_components") {
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    for (bool groups : {false, true}) {
      CAPTURE(seed);
      CAPTURE(groups);
      auto graph = core::Graph::Build(differential::RandomMap(seed == 4 ? 3000 : 400, seed, 5, groups));
      REQUIRE(graph.ok());
      for (bool certain_only : {false, true}) CheckAgainstBoost(graph.value(), certain_only);
    }
  }
}

TEST_CASE("likelihood-1 groups found within the pivot components equal those of the whole map") {
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    for (bool groups : {false, true}) {
      CAPTURE(seed);
      CAPTURE(groups);
      auto graph = core::Graph::Build(differential::RandomMap(seed == 4 ? 3000 : 400, seed, 5, groups));
      REQUIRE(graph.ok());
      const core::Graph& g = graph.value();
      const PivotComponents pivot = FindPivotComponents(g, false);
      for (size_t min_members : {size_t{1}, size_t{2}, size_t{8}}) {
        CAPTURE(min_members);
        const auto expected = CertainGroups(g, min_members);
        CHECK(CertainGroups(g, min_members, pivot) == expected);
        if (min_members == 8 && groups) CHECK(!expected.empty());
      }
    }
  }
}

TEST_CASE("pivot components: a ring of 200,000 systems is one component, and a chain has 200,000 levels") {
  // Deep enough that a recursive walk would overflow the stack.
  constexpr uint32_t kLength = 200000;
  for (bool ring : {true, false}) {
    CAPTURE(ring);
    testing::MapBuilder m;
    for (uint32_t i = 0; i < kLength; ++i) m.Node("s" + std::to_string(i));
    for (uint32_t i = 0; i + 1 < kLength; ++i)
      m.Access("s" + std::to_string(i), "s" + std::to_string(i + 1), core::Privilege::kAdmin);
    if (ring) m.Access("s" + std::to_string(kLength - 1), "s0", core::Privilege::kCode);
    auto graph = core::Graph::Build(std::move(m.model));
    REQUIRE(graph.ok());
    const PivotComponents found = FindPivotComponents(graph.value(), false);
    if (ring) {
      CHECK(found.count == 1);
      CHECK(found.level == std::vector<uint32_t>{0});
    } else {
      REQUIRE(found.count == kLength);
      const uint32_t first = found.component[graph.value().Find("s0")];
      CHECK(found.level[first] == kLength - 1);
      CHECK(found.level[found.component[graph.value().Find("s" + std::to_string(kLength - 1))]] == 0);
    }
  }
}

}  // namespace blastmap::query
