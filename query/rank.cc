#include "query/rank.h"

#include <algorithm>

#include "query/blast_radius.h"
#include "query/cancel.h"
#include "query/rank_shared.h"

namespace blastmap::query {

std::string_view RankMetricName(RankMetric metric) {
  switch (metric) {
    case RankMetric::kSeverity: return "severity";
    case RankMetric::kRecords: return "records";
    case RankMetric::kRestricted: return "restricted";
    case RankMetric::kReach: return "reach";
  }
  return "severity";
}

std::optional<RankMetric> ParseRankMetric(std::string_view name) {
  for (RankMetric m :
       {RankMetric::kSeverity, RankMetric::kRecords, RankMetric::kRestricted, RankMetric::kReach}) {
    if (RankMetricName(m) == name) return m;
  }
  return std::nullopt;
}

static_assert(sizeof(RankRow) == 88);

RankSeverity::RankSeverity(const SeverityScore& severity)
    : score(severity.score), data(severity.data), volume(severity.volume), jurisdiction(severity.jurisdiction) {
  for (std::string_view name : {"low", "medium", "high", "critical"}) {
    if (severity.level == name) level = name;
  }
}

namespace {

RankRow ReferenceRow(const core::Graph& g, uint32_t v, const BlastOptions& options) {
  const core::Node& node = g.node(v);
  BlastResult blast = ComputeBlastRadius(g, {v}, options);
  RankRow row;
  row.id = node.id;
  row.name = node.name;
  row.kind = node.kind;
  row.severity = RankSeverity(blast.severity);
  row.exposed_nodes = static_cast<uint32_t>(blast.compromised.size());
  for (const auto& c : blast.compromised) row.controlled += c.controlled;
  row.categories = static_cast<uint32_t>(blast.exposed.size());
  for (const auto& e : blast.exposed) {
    row.restricted += e.sensitivity == core::Sensitivity::kRestricted;
    row.records = std::max(row.records, e.records_max);
  }
  return row;
}

RankResult Rank(const core::Graph& g, const RankOptions& options, bool shared, const RankMemos* memos,
                std::shared_ptr<const RankMemos>* built = nullptr, const BriefMemos* brief = nullptr,
                unsigned threads = 0, SharedRankStats* stats = nullptr) {
  RankResult result;
  result.options = options;
  std::vector<uint32_t> candidates;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (!options.kind || g.node(v).kind == *options.kind) candidates.push_back(v);
  }
  if (shared && SharedRankApplies(options.blast)) {
    result.rows = memos ? SharedRankRows(*memos, candidates)
                        : SharedRankRows(g, candidates, threads, stats, brief, built);
  } else {
    for (uint32_t v : candidates) {
      CheckCancel();
      result.rows.push_back(ReferenceRow(g, v, options.blast));
    }
  }
  result.candidates = result.rows.size();
  // Sorted as small keys (the metric, then severity and records, descending; then the id, by its rank), and
  // the rows moved into that order in place: a second vector of rows (22 MB for the 250 k vendors of the
  // 10^6 map) would add as much to the ranking's peak.
  struct Key {
    double primary, score;
    int64_t records;
    uint32_t id_rank, row;
  };
  std::vector<Key> keys(result.rows.size());
  for (uint32_t i = 0; i < keys.size(); ++i) {
    const RankRow& r = result.rows[i];
    double primary = 0;
    switch (options.by) {
      case RankMetric::kSeverity: primary = r.severity.score; break;
      case RankMetric::kRecords: primary = static_cast<double>(r.records); break;
      case RankMetric::kRestricted: primary = static_cast<double>(r.restricted); break;
      case RankMetric::kReach: primary = static_cast<double>(r.controlled); break;
    }
    keys[i] = {primary, r.severity.score, r.records, g.IdRank(candidates[i]), i};
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.primary != b.primary) return a.primary > b.primary;
    if (a.score != b.score) return a.score > b.score;
    if (a.records != b.records) return a.records > b.records;
    return a.id_rank < b.id_rank;
  });
  // Place i takes row keys[i].row: each cycle of that permutation is followed once, and every place it
  // fills is marked done by pointing its key at itself.
  for (uint32_t i = 0; i < keys.size(); ++i) {
    if (keys[i].row == i) continue;
    RankRow first = std::move(result.rows[i]);
    uint32_t j = i;
    while (keys[j].row != i) {
      const uint32_t k = keys[j].row;
      result.rows[j] = std::move(result.rows[k]);
      keys[j].row = j;
      j = k;
    }
    result.rows[j] = std::move(first);
    keys[j].row = j;
  }
  const size_t keep = options.limit > 0 ? std::min(options.limit, keys.size()) : keys.size();
  if (keep < result.rows.size()) {
    result.rows.resize(keep);
    result.rows.shrink_to_fit();
  }
  return result;
}

}  // namespace

RankResult RankNodes(const core::Graph& g, const RankOptions& options) { return Rank(g, options, true, nullptr); }
RankResult RankNodes(const core::Graph& g, const RankOptions& options, const RankMemos* memos) {
  return Rank(g, options, true, memos);
}

RankResult RankNodes(const core::Graph& g, const RankOptions& options,
                     std::shared_ptr<const RankMemos>* built, const BriefMemos* brief, unsigned threads,
                     SharedRankStats* stats) {
  return Rank(g, options, true, nullptr, built, brief, threads, stats);
}

RankResult RankNodesReference(const core::Graph& g, const RankOptions& options) {
  return Rank(g, options, false, nullptr);
}

}  // namespace blastmap::query
