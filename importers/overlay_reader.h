// Reads what-if overlays (docs/what-if.md) from YAML or JSON into core::Overlay, with every problem
// reported as file:line:col. References are checked when the overlay is applied (query/what_if.h).
#pragma once

#include <string>

#include "core/overlay.h"
#include "core/status.h"

namespace blastmap::importers {

// Parses overlay text; `name` is used in messages (a path, or e.g. "request body"); `json` selects strict
// JSON, otherwise YAML (which also accepts most JSON).
core::Result<core::Overlay> ReadOverlay(const std::string& name, const std::string& text, bool json);
// Reads an overlay file (JSON when it ends in .json).
core::Result<core::Overlay> ReadOverlayFile(const std::string& path);

}  // namespace blastmap::importers
