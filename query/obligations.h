// Notification obligations of an exposure (docs/obligations.md): the rules of datasets/regulations
// evaluated per data subject, plus the contractual notice windows of the vendors compromised as seeds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/regulation.h"
#include "query/blast_result.h"

namespace blastmap::query {

// Fills result.obligations (shortest deadline first) and result.jurisdictions_without_rules from
// result.exposed and result.compromised. Never fails; rules naming categories the map's taxonomy lacks
// simply do not match them.
void EvaluateObligations(const core::Graph& graph, const std::vector<core::NotificationRule>& rules,
                         BlastResult& result);

// Seconds since the epoch of a UTC time "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a
// trailing Z allowed); nullopt when it is not one.
std::optional<int64_t> ParseUtc(const std::string& text);
// "YYYY-MM-DDTHH:MMZ".
std::string FormatUtc(int64_t seconds);

}  // namespace blastmap::query
