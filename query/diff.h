// diff (SPEC §5): what changed between two maps (nodes, stores, flows, access edges) and each vendor's
// blast-radius delta, with the CI gates of `blastmap diff --fail-on`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"

namespace blastmap::query {

struct Change {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  std::string element;     // node, store, flow, access
  std::string key;         // "mixpanel", "app -> mixpanel", "idp -> app (admin)"
  std::string detail;      // what changed, e.g. "+user.contact.phone_number -user.name"
  core::Provenance where;  // in the new map (the old one for removals)
};
std::string_view ChangeKindName(Change::Kind kind);

struct VendorDelta {
  std::string id;
  bool added = false, removed = false;  // exists only in the new (old) map
  double score_before = 0, score_after = 0;
  std::string level_before, level_after;   // "" when the vendor does not exist on that side
  std::vector<std::string> newly_exposed;  // categories exposed after but not before
  std::vector<std::string> no_longer_exposed;
  std::vector<std::string> new_restricted;  // of newly_exposed, the restricted ones
};

struct DiffResult {
  std::string before, after;  // labels: "snapshot 3", a path
  std::vector<Change> changes;
  std::vector<VendorDelta> vendors;  // only vendors whose blast radius changed, worst increase first
};

// Compares two maps over the same kind of taxonomy; `before_label` and `after_label` only label them.
DiffResult DiffMaps(const core::Graph& before, const core::Graph& after, std::string before_label,
                    std::string after_label);

enum class FailOn { kSeverityIncrease, kNewRestricted, kAny };
std::optional<FailOn> ParseFailOn(std::string_view name);
// The reasons `result` crosses the gate, one line each; empty when it passes. severity-increase: a
// vendor's severity level rises (a new vendor counts from low); new-restricted: a vendor newly exposes a
// restricted category; any: anything changed.
std::vector<std::string> GateFailures(const DiffResult& result, FailOn gate);

}  // namespace blastmap::query
