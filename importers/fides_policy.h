// Fides policy resources (docs/importers/fides.md#policies), read and checked into core::FidesPolicy: from
// the `policy` resources of an imported tree (stored with the snapshot) or from a Fides resource file given
// to `blastmap check --policy`. Internal to the importers layer.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/model.h"
#include "importers/fides_vocabulary.h"
#include "importers/reader.h"

namespace blastmap::importers {

// How a policy value is checked: the current key (a legacy key mapped, with a warning), or nullopt after
// reporting an error with a did-you-mean.
using FidesKeyCheck = std::function<std::optional<std::string>(const std::string&, const core::Provenance&)>;
struct FidesKeyChecks {
  FidesKeyCheck category, use, subject;
};

// The checks of a fides vocabulary: categories and data uses mapped (legacy keys, with a warning) or
// reported; data subjects must be kinds of ctx.taxonomy or of `kinds` (declared data_subject resources).
// The result refers to its arguments, which must outlive it.
FidesKeyChecks VocabularyChecks(const FidesVocabulary& vocabulary, ReadContext& ctx,
                                const std::set<std::string>& kinds);

// Reads one policy item, reporting every problem to `diag`; nullopt when it has no usable fides_key.
std::optional<core::FidesPolicy> ReadFidesPolicy(const Field& item, Diagnostics& diag,
                                                 const FidesKeyChecks& keys);

// Adds `policy` to `policies`; a fides_key used twice is an error naming the first one.
void AddFidesPolicy(core::FidesPolicy policy, std::vector<core::FidesPolicy>& policies, Diagnostics& diag);

// The `policy` resources of the documents of a Fides resource file, every key checked against `taxonomy`
// (the map's, with its extensions); other resource types are ignored with a warning.
std::vector<core::FidesPolicy> ReadFidesPolicyDocuments(const std::string& file,
                                                        const std::vector<YamlDocumentPtr>& docs,
                                                        const core::Taxonomy& taxonomy, Diagnostics& diag);

}  // namespace blastmap::importers
