#include "query/rank.h"

#include <algorithm>
#include <tuple>

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

namespace {

RankRow ReferenceRow(const core::Graph& g, uint32_t v, const BlastOptions& options) {
  const core::Node& node = g.node(v);
  BlastResult blast = ComputeBlastRadius(g, {v}, options);
  RankRow row;
  row.id = node.id;
  row.name = node.name;
  row.kind = node.kind;
  row.severity = blast.severity;
  row.exposed_nodes = blast.compromised.size();
  for (const auto& c : blast.compromised) row.controlled += c.controlled;
  row.categories = blast.exposed.size();
  for (const auto& e : blast.exposed) {
    row.restricted += e.sensitivity == core::Sensitivity::kRestricted;
    row.records = std::max(row.records, e.records_max);
  }
  return row;
}

RankResult Rank(const core::Graph& g, const RankOptions& options, bool shared, const RankMemos* memos) {
  RankResult result;
  result.options = options;
  std::vector<uint32_t> candidates;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (!options.kind || g.node(v).kind == *options.kind) candidates.push_back(v);
  }
  if (shared && SharedRankApplies(options.blast)) {
    result.rows = memos ? SharedRankRows(*memos, candidates) : SharedRankRows(g, candidates);
  } else {
    for (uint32_t v : candidates) {
      CheckCancel();
      result.rows.push_back(ReferenceRow(g, v, options.blast));
    }
  }
  result.candidates = result.rows.size();
  auto key = [&](const RankRow& r) {
    double primary = 0;
    switch (options.by) {
      case RankMetric::kSeverity: primary = r.severity.score; break;
      case RankMetric::kRecords: primary = static_cast<double>(r.records); break;
      case RankMetric::kRestricted: primary = static_cast<double>(r.restricted); break;
      case RankMetric::kReach: primary = static_cast<double>(r.controlled); break;
    }
    return std::make_tuple(primary, r.severity.score, r.records);
  };
  std::stable_sort(result.rows.begin(), result.rows.end(), [&](const RankRow& a, const RankRow& b) {
    auto ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a.id < b.id;
  });
  if (options.limit > 0 && result.rows.size() > options.limit) result.rows.resize(options.limit);
  return result;
}

}  // namespace

RankResult RankNodes(const core::Graph& g, const RankOptions& options) { return Rank(g, options, true, nullptr); }
RankResult RankNodes(const core::Graph& g, const RankOptions& options, const RankMemos* memos) {
  return Rank(g, options, true, memos);
}

RankResult RankNodesReference(const core::Graph& g, const RankOptions& options) {
  return Rank(g, options, false, nullptr);
}

}  // namespace blastmap::query
