// Differential test of who-holds: the query with its memoised units (likelihood-1 groups and hubs, searched
// once each, the vendors' searches stopping at them) names exactly the vendors, likelihoods and holders of
// the simple reference below, one full access search per vendor, on generated maps
// (tests/query/differential.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "query/compromise.h"
#include "query/who_holds.h"
#include "tests/query/differential.h"

namespace blastmap::query {
namespace {

// The reference: every vendor's compromise set by SearchAccess, and the holders in it.
std::vector<ExposingVendor> ReferenceExposers(const core::Graph& g, int category,
                                              const BlastOptions& options) {
  const core::Taxonomy& t = g.taxonomy();
  std::vector<bool> holds(g.node_count(), false);
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    for (int c = 0; c < static_cast<int>(t.size()); ++c) {
      if (t.Related(c, category) && g.Held(v).Has(c)) holds[v] = true;
    }
  }
  std::vector<ExposingVendor> out;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (g.node(v).kind != core::NodeKind::kVendor) continue;
    const std::vector<Reach> reach = SearchAccess(g, {v}, options);
    ExposingVendor e;
    for (uint32_t x = 0; x < g.node_count(); ++x) {
      if (!holds[x] || !reach[x].reached()) continue;
      e.likelihood = std::max(e.likelihood, reach[x].likelihood());
      e.via.push_back(g.node(x).id);
    }
    if (e.via.empty()) continue;
    e.via_total = e.via.size();
    e.id = g.node(v).id;
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.likelihood != b.likelihood) return a.likelihood > b.likelihood;
    return a.id < b.id;
  });
  return out;
}

}  // namespace

TEST_CASE(
    "who-holds with memoised groups and hubs names exactly the reference's vendors, likelihoods and "
    "holders") {
  size_t checked = 0, capped = 0;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    auto graph = core::Graph::Build(differential::RandomMap(240, seed, 5, /*groups=*/seed % 2 == 0));
    REQUIRE(graph.ok());
    const core::Graph& g = graph.value();
    BlastOptions likely;
    likely.min_likelihood = 0.4;
    BlastOptions shallow;
    shallow.max_depth = 2;
    for (const char* key :
         {"user.contact.email", "user.financial.credit_card", "system.authentication", "user"}) {
      const int category = g.taxonomy().Index(key);
      REQUIRE(category >= 0);
      for (const BlastOptions& options : {BlastOptions{}, likely, shallow}) {
        INFO("seed " << seed << ", " << key << ", min_likelihood " << options.min_likelihood << ", max_depth "
                     << options.max_depth);
        const std::vector<ExposingVendor> reference = ReferenceExposers(g, category, options);
        const WhoHoldsResult whole = WhoHolds(g, category, {options, /*max_via=*/0});
        const WhoHoldsResult cut = WhoHolds(g, category, {options, /*max_via=*/3});
        REQUIRE(whole.exposed_by.size() == reference.size());
        REQUIRE(cut.exposed_by.size() == reference.size());
        for (size_t i = 0; i < reference.size(); ++i) {
          const ExposingVendor &a = whole.exposed_by[i], &b = reference[i];
          INFO("vendor " << b.id);
          REQUIRE(a.id == b.id);
          CHECK(a.likelihood == b.likelihood);
          CHECK(a.via == b.via);
          CHECK(a.via_total == b.via_total);
          const ExposingVendor& c = cut.exposed_by[i];
          CHECK(c.via_total == b.via_total);
          const size_t listed = std::min<size_t>(3, b.via.size());
          CHECK(c.via == std::vector<core::Symbol>(b.via.begin(), b.via.begin() + listed));
          capped += b.via.size() > 3;
          ++checked;
        }
      }
    }
  }
  // The maps must give the comparison something to compare: many vendors, many cut lists.
  CHECK(checked > 2000);
  CHECK(capped > 500);
}

}  // namespace blastmap::query
