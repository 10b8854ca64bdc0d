// Fides policy resources, read and checked into a documented structure (docs/importers/fides.md). The
// import does not store them: `blastmap check` evaluates policy rules. Internal to the importers layer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "importers/reader.h"

namespace blastmap::importers {

// One of a rule's three selectors: `matches` (ANY, ALL, NONE, OTHER) over `values`.
struct FidesSelector {
  std::string matches;
  std::vector<std::string> values;
};

struct FidesRule {
  std::string name;
  FidesSelector data_categories, data_uses, data_subjects;
};

struct FidesPolicy {
  std::string fides_key;
  std::string name;
  std::vector<FidesRule> rules;
  core::Provenance where;
};

// Reads one policy item, reporting problems to ctx.diag; `category` maps each category value (legacy keys
// to current ones, unknown keys reported) and returns the current key, or nullopt.
std::optional<FidesPolicy> ReadFidesPolicy(
    const Field& item, ReadContext& ctx,
    const std::function<std::optional<std::string>(const std::string&, const core::Provenance&)>& category);

}  // namespace blastmap::importers
