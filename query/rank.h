// Ranking nodes by how bad their compromise would be (SPEC §5 rank).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"

namespace blastmap::query {

enum class RankMetric { kSeverity, kRecords, kRestricted, kReach };
std::string_view RankMetricName(RankMetric metric);
std::optional<RankMetric> ParseRankMetric(std::string_view name);

struct RankOptions {
  RankMetric by = RankMetric::kSeverity;
  std::optional<core::NodeKind> kind = core::NodeKind::kVendor;  // unset: every node
  size_t limit = 0;                                              // 0: all
  BlastOptions blast;
};

// A row's severity: SeverityScore's figures, with the level as one of the four static names ("low",
// "medium", "high", "critical"), not a string of its own.
struct RankSeverity {
  double score = 0;
  std::string_view level = "low";
  double data = 0, volume = 1, jurisdiction = 1;
  RankSeverity() = default;
  explicit RankSeverity(const SeverityScore& severity);
};

// 88 bytes (176 with strings and size_t counts): a ranking of every vendor holds one per candidate until it
// is sorted, 22 MB at 10^6. The id and name are the node's own (a Symbol lives as long as the process; a
// Text that is its node's id shares the pooled string).
struct RankRow {
  core::Symbol id;
  core::NodeKind kind = core::NodeKind::kVendor;
  core::Text name;
  RankSeverity severity;
  uint32_t controlled = 0;                  // nodes the attacker controls (the candidate included)
  uint32_t exposed_nodes = 0;               // controlled or read/write-exposed
  uint32_t categories = 0;                  // exposed categories
  uint32_t restricted = 0;                  // of which restricted
  int64_t records = core::kUnknownRecords;  // the largest records_max among exposed categories
};

struct RankResult {
  int64_t snapshot = 0;
  RankOptions options;
  size_t candidates = 0;  // how many nodes were ranked (before the limit)
  std::vector<RankRow> rows;
};

// Ranks every candidate node by options.by (ties: severity score, then records, then id). Shares work
// across candidates (rank_shared.h) when the options allow, and is then multi-threaded.
RankResult RankNodes(const core::Graph& graph, const RankOptions& options);
// The same with the shared work already done (query/rank_shared.h; built for `graph`). Null: built here.
class RankMemos;
RankResult RankNodes(const core::Graph& graph, const RankOptions& options, const RankMemos* memos);
// The same, building the shared work while it ranks (when the options allow; query/rank_shared.h) and
// handing it to `built` (left empty otherwise); with `brief`, the snapshot's brief memos (which must outlive
// what `built` receives). `threads` 0 picks the hardware's; `stats`, when given, says what was memoised.
class BriefMemos;
struct SharedRankStats;
RankResult RankNodes(const core::Graph& graph, const RankOptions& options,
                     std::shared_ptr<const RankMemos>* built, const BriefMemos* brief, unsigned threads = 0,
                     SharedRankStats* stats = nullptr);
// The same ranking by one full blast radius per candidate: the simple reference that the differential
// tests hold the shared path to.
RankResult RankNodesReference(const core::Graph& graph, const RankOptions& options);

}  // namespace blastmap::query
