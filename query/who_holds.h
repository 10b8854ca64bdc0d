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
  double likelihood = 0;         // the highest likelihood among the exposed holders
  std::vector<std::string> via;  // exposed nodes that hold it (the vendor itself included)
};

struct WhoHoldsResult {
  int64_t snapshot = 0;
  std::string category;
  std::vector<Holder> holders;             // systems first, then vendors, by id
  std::vector<ExposingVendor> exposed_by;  // most likely first
};

// `category` must be a valid index of the graph's taxonomy.
WhoHoldsResult WhoHolds(const core::Graph& graph, int category, const BlastOptions& options = {});

}  // namespace blastmap::query
