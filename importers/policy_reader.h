// Reads a review policy (docs/policy.md) from YAML or JSON, reporting every problem as file:line:col.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/policy.h"
#include "core/status.h"

namespace blastmap::importers {

// The policy in `path`. Checks the structure (keys, kinds, levels); the filters' syntax is checked by
// query/policy_check.h, which knows the language. Errors list every problem found.
core::Result<core::Policy> ReadPolicy(const std::string& path);

// A file given to `blastmap check --policy`: a blastmap review policy (`policy: 1`) or a Fides resource
// file whose `policy` key lists Fides policies (docs/importers/fides.md#policies).
struct PolicyFile {
  std::optional<core::Policy> review;
  std::vector<core::FidesPolicy> fides;  // every key checked against the map's taxonomy
  std::vector<std::string> warnings;     // "file:line:col: warning: ..." (legacy keys mapped, keys ignored)
};
// Reads `path` in whichever of the two formats it is; `taxonomy` is the map's (Fides keys are checked
// against it). Errors list every problem as file:line:col.
core::Result<PolicyFile> ReadPolicyFile(const std::string& path, const core::Taxonomy& taxonomy);

}  // namespace blastmap::importers
