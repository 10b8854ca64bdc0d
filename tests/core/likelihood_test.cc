// Likelihoods as integer costs (core/likelihood.h): sums in any order give one cost, costs show as the
// likelihoods a person wrote, and the min-likelihood limit keeps exactly what is shown at or above it.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/likelihood.h"

namespace blastmap::core {

TEST_CASE("an edge's cost shows as its own likelihood, and products as their decimal value") {
  CHECK(CostOf(1.0) == 0);
  CHECK(LikelihoodOf(0) == 1.0);
  CHECK(CostOf(0.0) == kUnreachedCost);
  CHECK(LikelihoodOf(kUnreachedCost) == 0.0);
  CHECK(CostOf(0.5) == LikelihoodCost{1} << 40);
  for (double l : {0.9, 0.75, 0.6, 0.5, 0.3, 0.25, 0.1, 0.05, 0.01, 0.001, 1e-6, 0.123456789}) {
    CAPTURE(l);
    CHECK(LikelihoodOf(CostOf(l)) == l);  // the very double the manifest's decimal parses to
  }
  CHECK(LikelihoodOf(AddCost(CostOf(0.9), CostOf(0.3))) == 0.27);
  CHECK(LikelihoodOf(AddCost(CostOf(0.5), CostOf(0.5))) == 0.25);
  CHECK(LikelihoodOf(AddCost(AddCost(CostOf(0.9), CostOf(0.3)), CostOf(0.7))) == 0.189);
}

TEST_CASE("a path's cost does not depend on the order its edges are added in") {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> likelihood(0.01, 1.0);
  for (int round = 0; round < 200; ++round) {
    std::vector<LikelihoodCost> edges;
    for (int k = 0; k < 2 + round % 20; ++k) edges.push_back(CostOf(likelihood(rng)));
    LikelihoodCost forwards = 0;
    for (LikelihoodCost c : edges) forwards = AddCost(forwards, c);
    // Split anywhere and composed, as a memoised hub's cost is added to the cost of reaching the hub.
    const size_t cut = static_cast<size_t>(round) % edges.size();
    LikelihoodCost head = 0, tail = 0;
    for (size_t i = 0; i < edges.size(); ++i) (i < cut ? head : tail) = AddCost(i < cut ? head : tail, edges[i]);
    std::shuffle(edges.begin(), edges.end(), rng);
    LikelihoodCost shuffled = 0;
    for (LikelihoodCost c : edges) shuffled = AddCost(shuffled, c);
    CHECK(forwards == shuffled);
    CHECK(forwards == AddCost(head, tail));
  }
}

TEST_CASE("likelihoods never rise with the cost, and unlikely paths saturate instead of wrapping") {
  std::mt19937_64 rng(9);
  for (int i = 0; i < 2000; ++i) {
    const LikelihoodCost a = rng() >> (rng() % 64), b = a + (rng() >> (rng() % 63 + 1));
    if (b < a || b == kUnreachedCost) continue;
    CHECK(LikelihoodOf(a) >= LikelihoodOf(b));
  }
  const LikelihoodCost tiny = CostOf(1e-300);
  LikelihoodCost sum = 0;
  for (int i = 0; i < 30000; ++i) sum = AddCost(sum, tiny);
  CHECK(sum == kUnreachedCost - 1);
  CHECK(LikelihoodOf(sum) == 0.0);
  CHECK(AddCost(kUnreachedCost, 0) == kUnreachedCost);
}

TEST_CASE("the min-likelihood limit keeps exactly the paths shown at or above the bound") {
  CHECK(CostLimit(0) == kUnreachedCost - 1);
  for (double bound : {1.0, 0.5, 0.4, 0.81, 0.27, 0.3, 0.05, 1e-9}) {
    CAPTURE(bound);
    const LikelihoodCost limit = CostLimit(bound);
    CHECK(LikelihoodOf(limit) >= bound);
    CHECK(LikelihoodOf(limit + 1) < bound);
  }
  // 0.9 x 0.9 shows as 0.81 and is kept by a bound of 0.81, whichever way its cost rounded.
  CHECK(AddCost(CostOf(0.9), CostOf(0.9)) <= CostLimit(0.81));
  CHECK(AddCost(CostOf(0.8), CostOf(0.5)) <= CostLimit(0.4));
  CHECK(AddCost(CostOf(0.8), CostOf(0.5)) > CostLimit(0.400001));
}

}  // namespace blastmap::core
