// Reads notification rules (datasets/regulations/*.yaml, docs/obligations.md) and incidents
// (datasets/incidents/*.yaml) into core types. Internal to the importers layer; the public entry points
// are in importers/import.h.
#pragma once

#include <vector>

#include "core/incident.h"
#include "core/regulation.h"
#include "core/taxonomy.h"
#include "importers/diagnostics.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {

// Adds the rules of one regulations document to `out`; category keys are checked against `taxonomy`.
void ReadRegulationDocument(const Field& root, const core::Taxonomy& taxonomy, Diagnostics& diag,
                            std::vector<core::NotificationRule>& out);

// Reads one incident document; `id` is the file name without extension. Category keys are checked
// against `taxonomy`. Returns nothing (with the problems reported) when it is invalid.
std::optional<core::Incident> ReadIncidentDocument(const Field& root, const std::string& id,
                                                   const core::Taxonomy& taxonomy, Diagnostics& diag);

}  // namespace blastmap::importers
