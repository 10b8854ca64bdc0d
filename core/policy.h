// A review policy (docs/policy.md): rules whose filters are query-language text, kept with the position
// where each was written so that errors and findings point into the policy file. Read by
// importers/policy_reader.h, evaluated by query/policy_check.h.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace blastmap::core {

// A filter as written in the policy, and where its text starts.
struct PolicyFilter {
  std::string text;  // empty: no filter (everything passes)
  Provenance where;
};

struct PolicyRule {
  enum class Kind {
    kFlows,  // every flow whose source, target and carried categories pass the filters is a violation
    kNodes,  // every node passing the filter is a violation
    kBlast,  // every node (default: vendor) whose blast severity reaches `at_least` is a violation
  };
  std::string id;
  std::string description;
  std::string level = "error";  // SARIF level: error, warning, note
  Kind kind = Kind::kFlows;
  PolicyFilter from, to, carrying;  // kFlows
  PolicyFilter where;               // kNodes; kBlast: which nodes (default kind = vendor)
  std::string at_least = "high";    // kBlast: severity level that violates
  std::vector<std::string> except;  // kBlast, kNodes: node ids exempted
  Provenance declared;              // the rule itself
};

struct Policy {
  std::string file;
  std::vector<PolicyRule> rules;
};

}  // namespace blastmap::core
