// Who holds a category (SPEC §5): every node whose held() matches it along the hierarchy, and every
// vendor whose compromise would expose it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"

namespace blastmap::query {

struct Holder {
  std::string id, name;
  core::NodeKind kind = core::NodeKind::kSystem;
  std::vector<std::string>
      categories;       // the matching categories it holds (the key, an ancestor or descendant)
  bool stored = false;  // kept at rest there (not only received)
};

struct ExposingVendor {
  std::string id, name;
  double likelihood = 0;          // the highest likelihood among the exposed holders
  std::vector<core::Symbol> via;  // exposed nodes that hold it (the vendor itself included), by node order
  size_t via_total = 0;           // how many there are: `via` lists the first max_via of them
};

struct WhoHoldsResult {
  int64_t snapshot = 0;
  std::string category;
  std::vector<Holder> holders;             // systems first, then vendors, by id
  bool exposers = true;                    // false: exposed_by was not asked for (WhoHoldsOptions)
  std::vector<ExposingVendor> exposed_by;  // most likely first
};

// How many exposed holders each vendor lists by default: an identity provider's compromise exposes
// thousands of holders of a common category on a big map, and 34,000 vendors of a 10^6-node map expose one.
inline constexpr size_t kDefaultMaxVia = 100;

struct WhoHoldsOptions {
  BlastOptions blast;               // how the vendors' compromise is searched
  size_t max_via = kDefaultMaxVia;  // holders listed per exposing vendor (all are counted); 0: all
  bool exposers = true;             // false: only the holders (the UI's category filter), at no search cost
};

// `category` must be a valid index of the graph's taxonomy.
WhoHoldsResult WhoHolds(const core::Graph& graph, int category, const WhoHoldsOptions& options = {});

}  // namespace blastmap::query
