// Fuzzes the import of one json file read as cyclonedx, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(cyclonedx) { blastmap::fuzz::FuzzImport(data, size, "cyclonedx", ".json"); }
