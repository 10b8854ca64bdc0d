// What-if overlays (SPEC §5): edits applied in memory to a copy of a snapshot's model, never to the
// store, and the before/after/delta of a blast radius under them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/overlay.h"
#include "core/status.h"
#include "query/blast_result.h"

namespace blastmap::query {

using core::Overlay;
using core::OverlayEdit;

// A copy of `model` with every edit applied in order. Errors name the edit's file:line:col: an unknown
// node (with a did-you-mean), no flow or access edge between the two nodes, a category the flow does not
// carry, an unknown replacement category, an added id that already exists or a dangling added edge.
core::Result<core::Model> ApplyOverlay(const core::Model& model, const Overlay& overlay);

// The pseudonymous form of a category: `KEY.pseudonymous` when the taxonomy has it, else
// `user.unique_id.pseudonymous`; empty when neither exists.
std::string PseudonymousForm(const core::Taxonomy& taxonomy, const std::string& category);

// What changed between two briefs of the same seeds.
struct BlastDelta {
  std::vector<std::string> categories_added, categories_removed;  // exposed categories
  std::vector<std::string> nodes_added, nodes_removed;            // compromised or exposed nodes
  SeverityScore before, after;
  int64_t records_before = core::kUnknownRecords, records_after = core::kUnknownRecords;
};
BlastDelta CompareBlasts(const BlastResult& before, const BlastResult& after);

struct WhatIfResult {
  Overlay overlay;
  BlastResult before, after;
  BlastDelta delta;
};

}  // namespace blastmap::query
