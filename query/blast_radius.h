// The blast-radius algorithm of SPEC §4 (docs/semantics.md): compromise set over access edges,
// exposure over held(), with the explanation of every exposed node and category.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"
#include "query/provenance.h"  // TraceCategory, for the callers that trace one category
#include "query/second_thread.h"  // parallel_brief_nodes: when a brief takes a second thread

namespace blastmap::query {

class BriefMemos;

// Computes the brief for the seed node indices (distinct, valid). Never fails. The brief points into the
// graph's model (BlastResult::graph): this overload shares the ownership of `graph`, so the brief outlives
// every other owner; the one taking a reference borrows it (the brief is valid only while `graph` lives).
// With `memos` (the snapshot's, query/brief_memo.h), the search is composed from them where they serve the
// options.
BlastResult ComputeBlastRadius(std::shared_ptr<const core::Graph> graph, const std::vector<uint32_t>& seeds,
                               const BlastOptions& options, const BriefMemos* memos = nullptr);
BlastResult ComputeBlastRadius(const core::Graph& graph, const std::vector<uint32_t>& seeds,
                               const BlastOptions& options, const BriefMemos* memos = nullptr);


}  // namespace blastmap::query
