// Likelihoods as integer costs (docs/semantics.md, "Likelihood arithmetic").
//
// The likelihood of an access path is the product of its edges' likelihoods (SPEC §4). Floating-point
// products depend on their order in the last bits, so a path's likelihood computed from the seed would
// differ from one composed of two halves computed apart (what shared ranking memoises). A cost is
// -log2(likelihood) in fixed point, 2^40 units to a halving: a path's cost is the exact integer sum of its
// edges' costs, whatever the order, and the most likely path is the cheapest. A cost is shown as the
// likelihood 2^(-cost / 2^40) rounded to nine significant digits, which gives back every edge's own
// likelihood exactly and a product such as 0.9 x 0.3 as 0.27.
#pragma once

#include <cmath>
#include <cstdint>

namespace blastmap::core {

using LikelihoodCost = uint64_t;

// Units of cost to one halving of the likelihood.
inline constexpr double kCostUnitsPerHalving = 1099511627776.0;  // 2^40
// The cost of "not reached" (likelihood 0); every real path costs less.
inline constexpr LikelihoodCost kUnreachedCost = UINT64_MAX;

// The cost of one edge of likelihood `likelihood` in (0, 1]; 0 for likelihood 1. A likelihood of 0 or
// below (never valid in a map) costs kUnreachedCost.
inline LikelihoodCost CostOf(double likelihood) {
  if (!(likelihood > 0)) return kUnreachedCost;
  if (likelihood >= 1) return 0;
  // -log2 of the smallest positive double is 1074.x, so one edge costs below 2^51.
  return static_cast<LikelihoodCost>(std::llround(-std::log2(likelihood) * kCostUnitsPerHalving));
}

// a + b, saturating at kUnreachedCost - 1 for reached paths (kUnreachedCost stays unreached). Paths that
// saturate are less likely than 2^-16,000,000: they show as 0 either way.
inline LikelihoodCost AddCost(LikelihoodCost a, LikelihoodCost b) {
  if (a == kUnreachedCost || b == kUnreachedCost) return kUnreachedCost;
  const LikelihoodCost sum = a + b;
  return (sum < a || sum == kUnreachedCost) ? kUnreachedCost - 1 : sum;
}

// The likelihood shown for a path of cost `cost`: 2^(-cost / 2^40) rounded to nine significant digits;
// 1 for cost 0, 0 for kUnreachedCost. Never increases as the cost grows.
double LikelihoodOf(LikelihoodCost cost);

// The largest cost whose likelihood (LikelihoodOf) is at least `min_likelihood`: the search keeps exactly
// the paths a user would see at or above the bound. kUnreachedCost - 1 for a bound of 0 or below.
LikelihoodCost CostLimit(double min_likelihood);

}  // namespace blastmap::core
