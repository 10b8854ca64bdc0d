// The severity score of a blast result (docs/semantics.md#severity); weights come from the taxonomy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "query/blast_result.h"

namespace blastmap::query {

// The severity of a brief's exposed categories (docs/semantics.md#severity). The weighted categories are
// summed in taxonomy order (ExposedCategory::index, which every maker of one sets), whatever the order of
// `exposed`, so every caller adds the same doubles alike.
SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Taxonomy& taxonomy);
// The same for a brief over `g`, from the graph's table of category weights (core::Graph::CategoryWeight)
// and the jurisdiction weight its maker found (the most of the default's and of the exposed subjects'
// jurisdictions'; core::Graph::JurisdictionWeight): no weight is looked up by name.
SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Graph& g,
                            double jurisdiction);

// The parts of the score, shared with ranking (query/rank_shared.cc), which computes it without a brief:
// the weights (core/taxonomy.h), and the score of the weighted categories' peak and total, the most records
// and the jurisdiction weight.
using core::CategoryWeight;
using core::DefaultJurisdictionWeight;
using core::JurisdictionWeight;
SeverityScore ComposeSeverity(const core::SeverityWeights& weights, double peak, double total,
                              int64_t records, double jurisdiction);

}  // namespace blastmap::query
