// The map as it was on a date (--at, docs/semantics.md#the-map-at-a-date): vendors' and flows' active
// windows applied to a model before its graph is built.
#pragma once

#include <string>

#include "core/model.h"
#include "core/status.h"

namespace blastmap::query {

// The model as of `date` (YYYY-MM-DD): nodes not yet active are gone with every edge and store they
// touch; a node whose window has ended keeps its stores and its "*" forwards (the data it still holds, and
// where) but loses its other flows and its access edges; flows outside their own window are gone.
// Errors: `date` is not a valid date.
core::Result<core::Model> ModelAt(core::Model model, const std::string& date);

}  // namespace blastmap::query
