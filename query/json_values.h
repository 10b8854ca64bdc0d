// JSON values of results, for renderers that embed one result in another (what-if embeds two briefs).
// Internal to the query layer: nlohmann_json stays out of the public headers.
#pragma once

#include <nlohmann/json.hpp>

#include "query/blast_result.h"

namespace blastmap::query {

// The brief as a JSON value, in the documented shape (docs/semantics.md).
nlohmann::ordered_json BlastJsonValue(const BlastResult& result);

}  // namespace blastmap::query
