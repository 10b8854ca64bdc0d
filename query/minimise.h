// minimise (SPEC §5): for a vendor and a goal ("no user.contact", "no sensitivity >= restricted"), the
// smallest set of (flow, category) cuts after which the vendor's compromise no longer exposes anything
// the goal forbids: a minimum s-t cut per category on the flow network (Boost.Graph push-relabel max-flow).
// Flows marked `required: true` and data kept at rest are never cut.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/status.h"
#include "query/blast_result.h"
#include "query/lang/ast.h"

namespace blastmap::query {

// What must not be exposed: categories related to `category` (the key, an ancestor or a descendant), or
// categories whose row (category, name, sensitivity, flags, tags) passes `filter`.
struct Goal {
  std::string text;   // as written, e.g. "no user.contact"
  int category = -1;  // a bare category goal
  lang::ExprPtr filter;
};

// Parses "no CATEGORY" or "no FILTER" (a query-language filter over category rows). Errors name the column.
core::Result<Goal> ParseGoal(const std::string& text, const core::Taxonomy& taxonomy);
// Whether category index `c` is one the goal forbids.
bool Forbids(const Goal& goal, const core::Taxonomy& taxonomy, int c);

enum class CutCost { kCuts, kRecords };  // every cut costs 1, or the records the flow carries (unknown: 1)

struct Cut {
  uint32_t flow = 0;  // index into model().flows
  std::string from, to;
  std::string category;
  bool forward = false;  // a "*" flow: stop forwarding this category
  std::string purpose;
  int64_t records = core::kUnknownRecords;
  double cost = 1;
  core::Provenance where;
};

struct MinimiseResult {
  std::string vendor;
  std::string goal;
  std::vector<std::string> forbidden;  // exposed categories the goal forbids, before any cut
  bool achievable = true;
  std::vector<Cut> cuts;  // the minimum cut, by flow then category (empty when nothing is forbidden)
  double total_cost = 0;
  // When not achievable: why, one line each (a store on an exposed node, or a chain of required flows).
  std::vector<std::string> blockers;
  bool verified = false;  // the blast radius recomputed with the cuts applied exposes nothing forbidden
};

// Computes the minimum cut for compromising node `vendor` under `options`. Never fails.
MinimiseResult Minimise(const core::Graph& graph, uint32_t vendor, const Goal& goal,
                        const BlastOptions& options, CutCost cost = CutCost::kCuts);

// `model` with `cuts` applied: the category removed from each explicit flow, and each cut "*" flow turned
// into an explicit flow of what its source holds (in `graph`, the model's graph) minus the cut categories.
core::Model ApplyCuts(const core::Graph& graph, const std::vector<Cut>& cuts);

}  // namespace blastmap::query
