// Reads taxonomy documents (categories, data_subjects, data_uses, severity) into a core::Taxonomy.
// Internal to the importers layer; the public entry points are in importers/import.h.
#pragma once

#include <optional>

#include "core/taxonomy.h"
#include "importers/diagnostics.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {

// One category entry ({key, name, description, sensitivity, flags, tags}); reports problems.
std::optional<core::Category> ReadCategory(const Field& item, Diagnostics& diag);

// Adds everything one taxonomy document declares to `taxonomy` (not finalized).
void ReadTaxonomyDocument(const Field& root, Diagnostics& diag, core::Taxonomy& taxonomy);

}  // namespace blastmap::importers
