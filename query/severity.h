// The severity score of a blast result (docs/semantics.md#severity); weights come from the taxonomy.
#pragma once

#include <vector>

#include "core/taxonomy.h"
#include "query/blast_result.h"

namespace blastmap::query {

SeverityScore ScoreSeverity(const std::vector<ExposedCategory>& exposed, const core::Taxonomy& taxonomy);

}  // namespace blastmap::query
