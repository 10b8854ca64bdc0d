// Ranking every candidate with shared work (SPEC §9): the exact rank rows of RankNodes without one full
// brief per candidate. Per-snapshot scalars are propagated once over the "*"-flow components, and the
// compromise sets of access hubs are memoised (bitsets per strongly connected component of the pivot
// graph) so that a vendor reaching most of the map through an identity hub costs little more than its
// own neighbourhood.
#pragma once

#include <cstdint>
#include <vector>

#include "core/graph.h"
#include "query/rank.h"

namespace blastmap::query {

// Rank rows for `candidates` (node indices), in the same order, equal field by field to the rows the
// reference (one ComputeBlastRadius per candidate) gives. Only for options without min_likelihood or
// max_depth (the memoised summaries assume an unbounded search); `threads` 0 picks the hardware's.
std::vector<RankRow> SharedRankRows(const core::Graph& graph, const std::vector<uint32_t>& candidates,
                                    unsigned threads = 0);

// True when SharedRankRows gives exact rows under `options`.
inline bool SharedRankApplies(const BlastOptions& options) {
  return options.min_likelihood <= 0 && options.max_depth < 0;
}

}  // namespace blastmap::query
