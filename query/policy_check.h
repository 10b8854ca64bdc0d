// check (SPEC §5): evaluates a review policy (docs/policy.md) on a map; every violation points at the
// manifest file and line that declared the offending flow or node.
#pragma once

#include <string>
#include <vector>

#include "core/graph.h"
#include "core/policy.h"
#include "core/status.h"

namespace blastmap::query {

struct Violation {
  std::string rule;   // rule id
  std::string level;  // error, warning, note
  std::string message;
  core::Provenance where;  // the manifest declaration of the offending flow or node
};

struct CheckResult {
  std::string policy_file;
  std::vector<core::PolicyRule> rules;  // as read, for SARIF's rule descriptors
  std::vector<Violation> violations;    // in rule order, then declaration order
  size_t errors() const;                // violations at level error
};

// Evaluates every rule. Errors (a filter's syntax, an unknown column or category) are
// "POLICY:LINE:COL: message" at the filter's position in the policy file.
core::Result<CheckResult> CheckPolicy(const core::Graph& graph, const core::Policy& policy);

}  // namespace blastmap::query
