// Fuzzes the import of one json file read as native, through importers::ImportPath.
#include "tests/fuzz/fuzz_target.h"

BLASTMAP_FUZZ_TARGET(native_json) { blastmap::fuzz::FuzzImport(data, size, "native", ".json"); }
