// JSON pieces shared by the query layer's JSON renderers, for renderers that embed one result in another
// (what-if embeds two briefs, a replay one). Internal to the query layer: nlohmann_json stays out of the
// public headers.
#pragma once

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "query/blast_result.h"
#include "query/json_writer.h"

namespace blastmap::query {

// Likelihoods are products of declared decimals; round away float noise (0.30000000000000004).
inline double RoundLikelihood(double x) { return std::round(x * 1e6) / 1e6; }
// A record count, null when unknown.
inline nlohmann::ordered_json RecordsJson(int64_t records) {
  return records < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(records);
}

// Writes the brief to `w` in the documented shape (docs/semantics.md), walking it: no DOM of the whole brief
// is built. With max_nodes > 0, at most that many compromised nodes (and holders per exposed category) are
// listed, and the brief says what was cut ("truncated", "nodes_total").
void WriteBlastJson(JsonWriter& w, const BlastResult& result, size_t max_nodes);

}  // namespace blastmap::query
