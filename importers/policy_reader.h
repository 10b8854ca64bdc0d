// Reads a review policy (docs/policy.md) from YAML or JSON, reporting every problem as file:line:col.
#pragma once

#include <string>

#include "core/policy.h"
#include "core/status.h"

namespace blastmap::importers {

// The policy in `path`. Checks the structure (keys, kinds, levels); the filters' syntax is checked by
// query/policy_check.h, which knows the language. Errors list every problem found.
core::Result<core::Policy> ReadPolicy(const std::string& path);

}  // namespace blastmap::importers
