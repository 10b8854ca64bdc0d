#include "core/likelihood.h"

#include <array>

namespace blastmap::core {
namespace {

// 10^k for k in [0, 330]: the scale that brings a likelihood's ninth significant digit to the units.
const std::array<double, 331>& PowersOfTen() {
  static const std::array<double, 331> powers = [] {
    std::array<double, 331> p{};
    p[0] = 1;
    for (size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * 10;
    return p;
  }();
  return powers;
}

double Convert(LikelihoodCost cost) {
  const double x = std::exp2(-static_cast<double>(cost) / kCostUnitsPerHalving);
  if (x < 1e-290) return x;  // no room to scale; such paths are never told apart by a person
  // x in [10^-e, 10^(1-e)): scaled by 10^(e+8) its nine significant digits are the integer part. x * 10^k
  // and the division are each correctly rounded, so a likelihood such as 0.05 comes back as the double 0.05.
  const int e = -static_cast<int>(std::floor(std::log10(x)));
  const double scale = PowersOfTen()[static_cast<size_t>(e + 8)];
  return std::round(x * scale) / scale;
}

}  // namespace

double LikelihoodOf(LikelihoodCost cost) {
  if (cost == kUnreachedCost) return 0;
  if (cost == 0) return 1;
  // A brief converts one cost per node, and a map has few distinct path costs: a small direct-mapped
  // cache per thread saves the exp2/log10 for nearly all of them.
  struct Slot {
    LikelihoodCost cost = 0;
    double likelihood = 1;
  };
  thread_local std::array<Slot, 1024> cache{};
  Slot& slot = cache[(cost ^ (cost >> 17) ^ (cost >> 35)) & 1023];
  if (slot.cost != cost) slot = {cost, Convert(cost)};
  return slot.likelihood;
}

LikelihoodCost CostLimit(double min_likelihood) {
  if (!(min_likelihood > 0)) return kUnreachedCost - 1;
  if (min_likelihood > 1) min_likelihood = 1;  // callers reject such bounds; the likeliest paths stay
  // LikelihoodOf never increases with the cost: find the last cost still at or above the bound.
  LikelihoodCost lo = 0, hi = kUnreachedCost - 1;  // LikelihoodOf(lo) >= bound
  if (LikelihoodOf(hi) >= min_likelihood) return hi;
  while (hi - lo > 1) {
    const LikelihoodCost mid = lo + (hi - lo) / 2;
    (LikelihoodOf(mid) >= min_likelihood ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace blastmap::core
