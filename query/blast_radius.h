// The blast-radius algorithm of SPEC §4 (docs/semantics.md): compromise set over access edges,
// exposure over held(), with the explanation of every exposed node and category.
#pragma once

#include <cstdint>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"

namespace blastmap::query {

// Computes the brief for the seed node indices (distinct, valid). Never fails.
BlastResult ComputeBlastRadius(const core::Graph& graph, const std::vector<uint32_t>& seeds,
                               const BlastOptions& options);

// Where category `category` held at `node` came from: the shortest backwards flow path (ending at `node`)
// and, over every source that contributes it, the most records and the subjects.
struct CategoryTrace {
  std::vector<FlowHop> path;
  int64_t records = core::kUnknownRecords;
  std::vector<std::string> subjects;
};
CategoryTrace TraceCategory(const core::Graph& graph, uint32_t node, int category);

}  // namespace blastmap::query
