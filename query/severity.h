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

// The parts of the score, shared with ranking (query/rank_shared.cc), which computes it without a brief:
// the weight of an exposed category (its sensitivity's plus its flags'); a jurisdiction's weight, `fallback`
// for one the weights do not name (the "default" entry's, itself 1 when absent); and the score of the
// weighted categories' peak and total, the most records and the jurisdiction weight.
double CategoryWeight(const core::SeverityWeights& weights, core::Sensitivity sensitivity,
                      const core::SymbolList& flags);
double JurisdictionWeight(const core::SeverityWeights& weights, const std::string& jurisdiction, double fallback);
double DefaultJurisdictionWeight(const core::SeverityWeights& weights);
SeverityScore ComposeSeverity(const core::SeverityWeights& weights, double peak, double total, int64_t records,
                              double jurisdiction);

}  // namespace blastmap::query
