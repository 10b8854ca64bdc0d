// Fuzzes the reader of what-if overlays (importers/overlay_reader.h), as YAML and as strict JSON.
#include <string>

#include "importers/overlay_reader.h"
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(overlay) {
  std::string text(reinterpret_cast<const char*>(data), size);
  blastmap::fuzz::ExpectMessage(blastmap::importers::ReadOverlay("fuzz.yaml", text, false));
  blastmap::fuzz::ExpectMessage(blastmap::importers::ReadOverlay("fuzz.json", text, true));
}
