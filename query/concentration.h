// Fourth-party concentration (SPEC §5 rank): which sub-processors many of our vendors rely on, weighted by
// the sensitivity and volume of our data that reaches them through each of those vendors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"

namespace blastmap::query {

// One vendor behind a sub-processor: what it sends there (its flows into the sub-processor).
struct ConcentrationVendor {
  std::string id, name;
  int categories = 0;  // categories of ours that reach the sub-processor through this vendor
  int64_t records = core::kUnknownRecords;
  double score = 0;  // severity score of that data (docs/semantics.md#severity)
  std::string level;
};

struct ConcentrationRow {
  std::string id, name;
  std::vector<ConcentrationVendor> vendors;  // highest score first
  double score = 0;                          // the sum of the vendors' scores
  SeverityScore held;                        // severity of everything the sub-processor holds
  int categories = 0, restricted = 0;        // of everything it holds
  int64_t records = core::kUnknownRecords;   // the largest record count among them
};

// Every node that receives flows from at least `min_vendors` vendors (a sub-processor, or fourth party),
// highest score first, then most vendors. Never fails.
std::vector<ConcentrationRow> ComputeConcentration(const core::Graph& graph, int min_vendors = 1);

}  // namespace blastmap::query
