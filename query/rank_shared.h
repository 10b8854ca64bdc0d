// Ranking every candidate with shared work (SPEC §9): the exact rank rows of RankNodes without one full
// brief per candidate. Per-node scalars are folded once from the graph's held records and subjects, and what
// lies beyond access hubs and beyond groups of nodes that control each other with likelihood 1 is
// memoised (category costs per unit, compromise sets as bitsets per strongly connected component of the
// pivot graph), so that a vendor reaching most of the map through an identity hub or the map's big
// component costs little more than its own neighbourhood. Exact because likelihood costs add exactly
// (core/likelihood.h).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/graph.h"
#include "query/rank.h"

namespace blastmap::query {

// What the shared work memoised: for tests (every kind of memo must be exercised) and the benchmark.
struct SharedRankStats {
  size_t groups = 0;     // memoised groups of nodes controlling each other with likelihood 1
  size_t grouped = 0;    // their members
  size_t hubs = 0;       // memoised hubs outside the groups
  size_t set_memos = 0;  // pivot components whose compromise sets are memoised
  size_t from_brief = 0;  // groups memoised from the snapshot's brief memos instead of a search
  size_t batched = 0;     // units of a component alone at its level, memoised on several threads at once
  size_t ranked_while_building = 0;  // rows ranked while the memos were built (SharedRankRows of a graph)
  size_t helped = 0;  // memos built on the ranking thread's share once its pass was done (the same)
};

// The per-snapshot part of shared ranking (traced scalars, category weights, memos): what every ranking of
// one graph shares, so an Engine builds it once. Holds a reference to `graph`, which must outlive it.
// With `brief` (the snapshot's brief memos, query/brief_memo.h), the groups they memoise get their memos
// from them instead of a search; `brief` must then outlive the result too.
class RankMemos;
class BriefMemos;
std::shared_ptr<const RankMemos> BuildRankMemos(const core::Graph& graph, unsigned threads = 0,
                                                SharedRankStats* stats = nullptr,
                                                const BriefMemos* brief = nullptr);

// Rank rows for `candidates` (node indices), in the same order, equal field by field to the rows the
// reference (one ComputeBlastRadius per candidate) gives. Only for options without min_likelihood or
// max_depth (the memoised summaries assume an unbounded search); `threads` 0 picks the hardware's.
std::vector<RankRow> SharedRankRows(const RankMemos& memos, const std::vector<uint32_t>& candidates,
                                    unsigned threads = 0);
// The same, building the memos (as BuildRankMemos) while it ranks: with two threads or more, one thread
// ranks the candidates in order while the others build the memos (a row that needs a memo not built yet is
// left for the end) and, its pass done, builds the memos not yet started with them; then the rest are ranked
// on every thread. `built`, when given, receives the memos.
std::vector<RankRow> SharedRankRows(const core::Graph& graph, const std::vector<uint32_t>& candidates,
                                    unsigned threads = 0, SharedRankStats* stats = nullptr,
                                    const BriefMemos* brief = nullptr,
                                    std::shared_ptr<const RankMemos>* built = nullptr);

// True when SharedRankRows gives exact rows under `options`.
inline bool SharedRankApplies(const BlastOptions& options) {
  return options.min_likelihood <= 0 && options.max_depth < 0;
}

}  // namespace blastmap::query
