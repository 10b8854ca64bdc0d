// check (SPEC §5): evaluates a review policy (docs/policy.md) on a map; every violation points at the
// manifest file and line that declared the offending flow or node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/policy.h"
#include "core/status.h"

namespace blastmap::query {

// What a Fides policy rule matched in one privacy declaration (docs/importers/fides.md#policies).
struct FidesMatch {
  std::string policy, rule;           // the policy's fides_key and the rule's name
  std::string system, declaration;    // the declaring system's id and the declaration's name
  std::string dataset;                // set when the categories are a level of a referenced dataset
  std::vector<std::string> categories, uses, subjects;  // the declared keys the rule matched
  core::Provenance rule_at, data_at;  // the rule in its policy; the dataset level (when dataset is set)
};

struct Violation {
  std::string rule;   // rule id
  std::string level;  // error, warning, note
  std::string message;
  core::Provenance where;            // the manifest declaration of the offending flow, node or declaration
  std::optional<FidesMatch> fides;   // set for a Fides policy rule
};

// A rule as the outputs describe it (SARIF's rule descriptors).
struct RuleInfo {
  std::string id, description, level;
};

struct CheckResult {
  std::string policy_file;            // where the rules came from (files, or the map's Fides policies)
  std::vector<RuleInfo> rules;        // every rule evaluated
  std::vector<Violation> violations;  // in rule order, then declaration order
  size_t errors() const;              // violations at level error
};

// Evaluates every rule. Errors (a filter's syntax, an unknown column or category) are
// "POLICY:LINE:COL: message" at the filter's position in the policy file.
core::Result<CheckResult> CheckPolicy(const core::Graph& graph, const core::Policy& policy);

// Evaluates Fides policies on the map's privacy declarations with Fides' semantics
// (docs/importers/fides.md#policies), appending one error-level violation per (rule, declaration or
// referenced dataset level) and one RuleInfo per rule to `result`.
void CheckFidesPolicies(const core::Graph& graph, const std::vector<core::FidesPolicy>& policies,
                        CheckResult& result);

}  // namespace blastmap::query
